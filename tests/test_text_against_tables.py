"""Figures of the text against the tables: a finding only when no usual reading agrees, none on the real reports."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest

from archive.files import report_files
from archive.model import Cell, Report
from archive.parse.stated_figures import stated_figures
from archive.pipeline import load_report
from archive.text_against_tables import CODE, READINGS, check_text_against_tables, comparable, reading_value

ROOT = Path(__file__).resolve().parent.parent
REAL_REPORTS = report_files(ROOT / "content")


@pytest.fixture(scope="module")
def wenxian() -> Report:
    """温县人民政府办公室 2023: “共收到政府信息公开申请 16 件”, and 16 new requests in 表三."""
    return load_report(ROOT / "content" / "reports" / "wenxian-xianzhengfu-ban-2023.txt", ROOT / "content")


def _set(report: Report, table: str, row: str, column: str, value: int | None) -> None:
    cell = Cell(value, str(value), "number") if value is not None else Cell.missing()
    report.tables[table].rows[row][column] = cell


def test_a_figure_no_reading_agrees_with_is_a_finding_naming_both(wenxian: Report) -> None:
    report = copy.deepcopy(wenxian)
    _set(report, "requests", "1", "total", 18)
    _set(report, "requests", "2", "total", 1)
    (finding,) = check_text_against_tables(report)
    assert finding.code == CODE and finding.severity == "warning"
    assert "“收到政府信息公开申请 16 件”" in finding.message
    assert "「一、总体情况 › （二）依申请公开」" in finding.message
    assert "为 18" in finding.message and "为 19" in finding.message  # new, and new plus carried over
    assert (finding.table, finding.row, finding.column, finding.section) == ("requests", "1", "total", "p1-2")


def test_any_usual_reading_agreeing_is_no_finding(wenxian: Report) -> None:
    report = copy.deepcopy(wenxian)
    _set(report, "requests", "1", "total", 12)
    _set(report, "requests", "2", "total", 4)  # 16 = new plus carried over
    assert check_text_against_tables(report) == []


def test_handled_less_other_handling_agrees() -> None:
    report = load_report(ROOT / "content" / "reports" / "pingtan-2025.html", ROOT / "content")
    # 共办结148件: 表三（七）总计 148; had it been 149 with one 其他处理, 149 − 1 = 148 agrees as well
    _set(report, "requests", "3.7", "total", 149)
    _set(report, "requests", "3.6.3", "total", 2)
    _set(report, "requests", "3.6.1", "total", 0)
    _set(report, "requests", "3.6.2", "total", 0)
    _set(report, "requests", "2", "total", 1)  # new plus carried over less carried forward: 154 + 1 − 6 = 149
    codes = [f for f in check_text_against_tables(report) if "办结" in f.message]
    assert codes and "149" in codes[0].message  # 149 − 2 = 147: no reading is 148
    _set(report, "requests", "3.6.3", "total", 1)
    assert not [f for f in check_text_against_tables(report) if "办结" in f.message]


def test_cells_missing_or_not_numbers_say_nothing(wenxian: Report) -> None:
    report = copy.deepcopy(wenxian)
    _set(report, "requests", "1", "total", None)
    report.tables["requests"].rows["2"]["total"] = Cell(None, "/", "text")
    assert check_text_against_tables(report) == []


def test_the_finding_is_among_the_report_checks(tmp_path: Path) -> None:
    text = (ROOT / "content" / "reports" / "wenxian-xianzhengfu-ban-2023.txt").read_text("utf-8")
    changed = tmp_path / "wenxian.txt"
    changed.write_text(text.replace("我办共收到政府信息公开申请 16 件", "我办共收到政府信息公开申请 61 件"), "utf-8")
    report = load_report(changed, tmp_path)
    assert [f.code for f in report.findings if f.code == CODE] == [CODE]


@cache
def _real(path: Path) -> Report:
    return load_report(path, ROOT / "content")


@pytest.mark.parametrize("path", REAL_REPORTS, ids=[p.relative_to(ROOT / "content" / "reports").as_posix() for p in REAL_REPORTS])
def test_no_finding_on_a_real_report_whose_text_and_tables_agree(path: Path) -> None:
    report = _real(path)
    assert [f.message for f in report.findings if f.code == CODE] == []


def test_the_real_reports_figures_are_compared_not_skipped() -> None:
    """The check above is not vacuous: most figures the real reports state are compared, and agree."""
    compared = 0
    for path in REAL_REPORTS:
        report = _real(path)
        for figure in stated_figures(report.sections, report.agency, report.year):
            values = [reading_value(report, r) for r in READINGS[figure.kind]]
            if comparable(figure, report) and any(v is not None for v in values):
                compared += 1
                assert figure.value in values, (path.name, figure.raw)
    assert compared >= 15
