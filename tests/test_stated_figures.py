"""Figures stated in a report's text: the usual wordings, whose figure it is, where it stands."""

from __future__ import annotations

import pytest

from archive.model import Section
from archive.parse.stated_figures import StatedFigure, stated_figures


def _figures(text: str, agency: str = "温县人民政府", year: int = 2023) -> list[StatedFigure]:
    part = Section("一", "总体情况", "", 1, "p1", [Section("（二）", "依申请公开", text, 2, "p1-2")])
    return stated_figures([part], agency, year)


def _said(text: str, **kwargs: object) -> list[tuple[str, int, str]]:
    return [(f.kind, f.value, f.scope) for f in _figures(text, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年，我办共收到政府信息公开申请 16 件（其中网上申请 4 件，信函申请 12 件）。", [("requests_received", 16, "own")]),
        ("2023年全区受理政府信息公开申请21件，均在法定期限答复。", [("requests_received", 21, "own")]),
        ("全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件。", [("requests_received", 81, "own")]),
        ("全年办理政府信息公开申请218件。", [("requests_processed", 218, "own")]),
        (
            "全区共收到政府信息公开申请154件，共办结148件，结转至2024年6件。",
            [("requests_received", 154, "own"), ("requests_handled", 148, "own"), ("requests_carried_forward", 6, "own")],
        ),
        ("16 件已在规定的期限内办理完毕，结转下年度继续办理 1 件。", [("requests_handled", 16, "own"), ("requests_carried_forward", 1, "own")]),
        ("上年结转政府信息公开申请 3 件。", [("requests_carried_over", 3, "own")]),
        ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", [("review", 36, "own"), ("litigation", 9, "own")]),
        ("因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。", [("review", 2, "own"), ("litigation", 7, "own")]),
        ("动态更新发布本年度制发行政规范性文件62件。", [("normative_issued", 62, "own")]),
        ("现行有效规范性文件共 27 件。", [("normative_in_force", 27, "own")]),
    ],
)
def test_the_usual_wordings_are_read(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert _said(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "政府信息公开申请较上年增加 5 件。",  # a change, not a count
        "办结率 100%，答复满意率 98.5%。",  # shares
        "受理答复网民留言 378 件。",  # not requests for information
        "因政府信息公开被申请行政复议、提起行政诉讼案件共 3 件。",  # review and litigation together: neither alone
        "清理并集中发布现行有效行政规范性文件393件。",  # documents published this year, not those in force
        "共收到政府信息公开申请三件。",  # a number in characters is not read
    ],
)
def test_what_is_not_one_of_these_figures_is_not_read(text: str) -> None:
    assert _said(text) == []


def test_whose_figure_it_is() -> None:
    assert _said("区政府办代表区政府受理政府信息公开申请17件。", agency="淮安市洪泽区人民政府") == [
        ("requests_received", 17, "other")
    ]
    assert _said("其中，收到政府信息公开申请 4 件。") == [("requests_received", 4, "part")]
    assert _said("官庄镇共收到依申请公开事项3件。", agency="安丘市官庄镇人民政府") == [("requests_received", 3, "own")]
    # 全县 in a county government's report is its own figure; in its office's report, the county's
    assert _said("全县共受理政府信息公开申请 40 件。", agency="温县人民政府") == [("requests_received", 40, "own")]
    assert _said("全县共受理政府信息公开申请 40 件。", agency="温县人民政府办公室") == [("requests_received", 40, "other")]


def test_year_printed_before_the_figure_and_carried_to_which_year() -> None:
    figures = _figures("2022年共收到政府信息公开申请 12 件。")
    assert figures[0].year == 2022
    assert _said("结转至2023年 2 件。") == [("requests_carried_over", 2, "own")]  # into the report's own year
    assert _said("结转至2030年 2 件。") == []


def test_each_figure_points_at_its_words_and_round_trips() -> None:
    text = "完善制度。\n2023年，我办共收到政府信息公开申请 16 件，均已办结。"
    (figure,) = _figures(text)
    assert text[figure.start : figure.end] == figure.raw == "收到政府信息公开申请 16 件"
    assert figure.section == "p1-2"
    assert figure.sentence.startswith("2023年，我办")
    assert StatedFigure.from_dict(figure.to_dict()) == figure
