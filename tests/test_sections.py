"""Splitting a report into its six parts and their sub-sections at every level."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.model import Section
from archive.parse import parse_document
from archive.parse.sections import split_sections
from archive.readers import read_document
from archive.readers.document import Block

PARTS = {
    "jinxiang": ["一", "二", "三", "五", "六"],  # part 四 lost its heading
    "wenxian": ["一", "二", "三", "四", "五", "六"],
    "guanzhuang": ["一", "二", "三", "四", "五", "六"],
    "huji": ["一", "二", "四", "五", "六"],  # table 三 cut together with its heading
    "dongfeng": ["一", "二", "三", "五", "六"],  # part 四 missing
}


def _sections(sample_path, name: str) -> list[Section]:
    return parse_document(read_document(sample_path(name))).sections


def _by_anchor(sections: list[Section]) -> dict[str, Section]:
    return {s.anchor: s for part in sections for _path, s in part.walk()}


def _paragraph_sections(*lines: str) -> list[Section]:
    return split_sections([Block("paragraph", line) for line in lines])


@pytest.mark.parametrize("name", sorted(PARTS))
def test_parts_found_in_every_sample(sample_path, name: str) -> None:
    report = parse_document(read_document(sample_path(name)))
    assert report.parts_found == PARTS[name]


def test_part_titles_as_printed(sample_path) -> None:
    parts = [s for s in _sections(sample_path, "wenxian") if s.level == 1]
    assert [s.title for s in parts] == [
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
        "存在的主要问题及改进情况",
        "其他需要报告的事项",
    ]


def test_variant_part_titles_are_accepted(sample_path) -> None:
    sections = _by_anchor(_sections(sample_path, "dongfeng"))
    assert sections["p5"].title == "存在的主要问题及下一步打算"
    assert sections["p5"].text.startswith("我乡政务信息公开工作虽然取得了一定进展")
    parts = _paragraph_sections("一、总体情况", "正文。", "五、政府信息公开工作存在的主要问题及改进情况", "问题。")
    assert [(p.number, p.title) for p in parts] == [("一", "总体情况"), ("五", "政府信息公开工作存在的主要问题及改进情况")]


def test_sub_sections_at_every_level(sample_path) -> None:
    wenxian = _by_anchor(_sections(sample_path, "wenxian"))
    assert [c.title for c in wenxian["p1"].children] == ["主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障"]
    guanzhuang = _by_anchor(_sections(sample_path, "guanzhuang"))
    assert [(c.number, c.title) for c in guanzhuang["p1-1"].children] == [
        ("1.", "体制机制建设情况"),
        ("2.", "主动公开信息情况"),
        ("3.", "解读回应关切"),
    ]
    assert guanzhuang["p1-1-2"].level == 3
    huji = _by_anchor(_sections(sample_path, "huji"))
    assert [c.number for c in huji["p5-2"].children] == ["①", "②", "③", "④"]
    assert huji["p5-2-1"].title == "提高思想认识"
    assert huji["p5-2-1"].text.startswith("进一步提升职能部门")
    assert [c.number for c in huji["p6"].children] == ["1、", "2、"]
    dongfeng = _by_anchor(_sections(sample_path, "dongfeng"))
    assert [c.title for c in dongfeng["p1"].children][:2] == ["主动公开方面", "依申请公开方面"]


def test_half_width_brackets_are_sub_sections(sample_path) -> None:
    jinxiang = _by_anchor(_sections(sample_path, "jinxiang"))
    assert [(c.number, c.title) for c in jinxiang["p1"].children][2:] == [
        ("（三）", "政府信息管理情况"),
        ("（四）", "政府信息公开平台建设情况"),
        ("（五）", "监督保障方面"),
    ]


def test_a_heading_with_text_after_it_is_split(sample_path) -> None:
    wenxian = _by_anchor(_sections(sample_path, "wenxian"))
    fees = wenxian["p6-1"]
    assert (fees.number, fees.title) == ("（一）", "收取政府信息公开信息处理费情况")
    assert fees.text == "2023年，温县人民政府办公室未收取过政府信息公开信息处理费。"
    jinxiang = _by_anchor(_sections(sample_path, "jinxiang"))
    assert jinxiang["p6-5"].title == "本行政机关政府信息公开工作年度报告数据统计需要说明的事项"
    assert jinxiang["p6-5"].text == "无"


def test_point_runs_stay_in_the_paragraph(sample_path) -> None:
    guanzhuang = _by_anchor(_sections(sample_path, "guanzhuang"))
    assert guanzhuang["p1-3"].children == []
    assert guanzhuang["p1-3"].text.startswith("一是政府信息管理制度建设情况。")
    assert "\n二是政府信息管理动态调整机制建设情况。" in guanzhuang["p1-3"].text


def test_tables_are_not_section_text(sample_path) -> None:
    for name in PARTS:
        for part in _sections(sample_path, name):
            for _path, section in part.walk():
                assert "\t" not in section.text
                assert "第二十条" not in section.text
                assert "本年新收政府信息公开申请数量" not in section.text


def test_preamble_is_a_level_zero_section_without_the_title(sample_path) -> None:
    sections = _sections(sample_path, "jinxiang")
    assert (sections[0].number, sections[0].title, sections[0].level) == ("", "引言", 0)
    assert sections[0].text.startswith("本报告由金乡县人民政府办公室按照")
    assert "年度报告\n" not in sections[0].text
    assert _sections(sample_path, "wenxian")[0].number == "一"  # nothing before 一、: no preamble


def test_anchors_are_stable_unique_and_ascii(sample_path) -> None:
    for name in PARTS:
        anchors = [s.anchor for part in _sections(sample_path, name) for _path, s in part.walk()]
        assert len(anchors) == len(set(anchors))
        assert all(re.fullmatch(r"intro|p\d+(-\d+)*(x\d+)?", a) for a in anchors)
    assert "p5" in _by_anchor(_sections(sample_path, "dongfeng"))  # 五 stays p5 although 四 is missing


def test_out_of_order_part_numbers_are_text_not_parts() -> None:
    parts = _paragraph_sections("一、总体情况", "正文。", "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量")
    assert [p.number for p in parts] == ["一", "三"]
    assert parts[1].text == "一、本年新收政府信息公开申请数量"


def test_a_sentence_that_starts_with_a_number_is_not_a_heading() -> None:
    parts = _paragraph_sections("一、总体情况", "1.我乡根据条例，认真履行主动公开政府信息的职能，加强相关领域的日常更新。")
    assert parts[0].children == []
    assert parts[0].text.startswith("1.我乡根据条例")


def test_markdown_headings_without_numbers_name_their_parts(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("# 某镇2023年政府信息公开工作年度报告\n\n## 总体情况\n\n正文。\n\n### 主动公开\n\n内容。\n\n## 其他需要报告的事项\n\n无。\n", "utf-8")
    report = parse_document(read_document(path))
    assert report.parts_found == ["一", "六"]
    assert report.sections[0].children[0].title == "主动公开"


def test_a_part_title_run_together_with_its_text_is_still_a_part() -> None:
    parts = _paragraph_sections("一、总体情况2023年，我县认真贯彻落实国家、省和市关于政务公开工作决策部署，坚持以人民为中心。")
    assert (parts[0].number, parts[0].title) == ("一", "总体情况")
    assert parts[0].text.startswith("2023年，我县")


def test_table_row_labels_leaked_into_text_do_not_take_a_part_number() -> None:
    parts = _paragraph_sections(
        "三、收到和处理政府信息公开申请情况",
        "四、结转下年度继续办理",
        "四、政府信息公开行政复议、行政诉讼情况",
    )
    assert [(p.number, p.title) for p in parts] == [("三", "收到和处理政府信息公开申请情况"), ("四", "政府信息公开行政复议、行政诉讼情况")]


def test_a_numbered_list_inside_a_part_does_not_take_the_next_part_number() -> None:
    parts = _paragraph_sections(
        "一、总体情况",
        "二、加强组织领导",
        "成立领导小组。",
        "二、主动公开政府信息情况",
        "五、存在的主要问题及下一步打算",
    )
    assert [(p.number, p.title) for p in parts] == [
        ("一", "总体情况"),
        ("二", "主动公开政府信息情况"),
        ("五", "存在的主要问题及下一步打算"),
    ]
    assert parts[0].text == "二、加强组织领导\n成立领导小组。"


LINES = st.sampled_from(
    [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及下一步打算", "六、其他需要报告的事项", "二、加强领导", "（一）主动公开", "(二) 依申请公开",
        "1.体制机制建设情况", "2、主动公开信息情况", "①提高思想认识。进一步提升。", "一是加强组织领导。", "正文一段。",
        "（三）收费情况。2023年未收费。", "一、本年新收政府信息公开申请数量",
    ]
)


@given(st.lists(LINES, max_size=30))
def test_any_sequence_of_headings_gives_a_consistent_tree(lines: list[str]) -> None:
    sections = _paragraph_sections(*lines)
    parts = [s for s in sections if s.level == 1]
    values = ["一二三四五六".index(p.number) for p in parts]
    assert values == sorted(set(values))
    every = [s for top in sections for _path, s in top.walk()]
    anchors = [s.anchor for s in every]
    assert len(anchors) == len(set(anchors))
    for top in sections:
        for path, section in top.walk():
            assert all(child.level == section.level + 1 for child in section.children)
            assert len(path) == section.level - top.level
    text = "\n".join(s.text for s in every)
    for line in lines:
        if "。" in line and not line.startswith(("（三）", "①")):
            assert line in text
