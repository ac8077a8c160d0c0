"""A report in the 2019 trial format end to end: recognised, mapped to the 2021 keys where the
items are the same, and a finding naming every printed value that has no 2021 place.

The fixture (tests/fixtures/format2019/) is one constructed report as text and as a portal page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.model import Report
from archive.pipeline import load_report
from archive.schema import column_keys, row_keys

FOLDER = Path(__file__).parent / "fixtures" / "format2019"
FILES = ["shiliexian-2019.txt", "shiliexian-2019.html"]
Z7 = [0] * 7


def one(n: int) -> list[int]:
    return [n, 0, 0, 0, 0, 0, n]


REQUESTS = {row: Z7 for row in row_keys("requests")} | {
    "1": [23, 2, 0, 0, 1, 0, 26],
    "2": one(1),
    "3.1": [10, 1, 0, 0, 0, 0, 11],
    "3.2": [3, 0, 0, 0, 1, 0, 4],
    "3.3.4": one(1),
    "3.3.6": one(1),
    "3.4.1": [5, 1, 0, 0, 0, 0, 6],
    "3.4.2": one(1),
    "3.5.1": one(1),
    "3.6.1": [None] * 7,  # （六）其他处理 is one row in the 2019 format: its 2021 sub-items are missing, not 0
    "3.6.2": [None] * 7,
    "3.6.3": [None] * 7,
    "3.7": [23, 2, 0, 0, 1, 0, 26],
    "4": one(1),
}


@pytest.fixture(scope="module", params=FILES)
def report(request: pytest.FixtureRequest) -> Report:
    return load_report(FOLDER / request.param)


def values(report: Report, table: str, row: str) -> list[object]:
    return [report.tables[table].value(row, c) for c in column_keys(table, row)]


def test_recognised_as_the_2019_format(report: Report) -> None:
    assert report.format == "2019"
    assert (report.agency, report.year, report.publication_date) == ("示例县人民政府办公室", 2019, "2020-01-31")
    assert report.parts_found == ["一", "二", "三", "四", "五", "六"]
    assert [(f.code, f.severity) for f in report.findings if f.code == "format_2019"] == [("format_2019", "info")]


def test_what_maps_is_read_into_the_2021_keys(report: Report) -> None:
    assert values(report, "active", "regulations") == [0, None, None]  # 本年新制作数量 → 本年制发件数
    assert values(report, "active", "normative_documents") == [6, None, None]  # the row 规范性文件
    assert values(report, "active", "licensing") == [1268]  # 处理决定数量
    assert values(report, "active", "penalty") == [213]
    assert values(report, "active", "enforcement") == [9]
    for row, expected in REQUESTS.items():
        assert values(report, "requests", row) == expected, row
    assert values(report, "review_litigation", "review") == [1, 0, 0, 0, 1]
    assert values(report, "review_litigation", "litigation_direct") == [1, 0, 0, 1, 2]
    assert values(report, "review_litigation", "litigation_after_review") == [0, 0, 0, 0, 0]


def test_what_has_no_2021_place_stays_missing(report: Report) -> None:
    active = report.tables["active"]
    # 行政事业性收费 is counted in items (上一年项目数量, 本年增/减), not in 万元: no amount is read
    assert active.cell("fees", "amount_10k_yuan").state == "missing"
    for row in ("regulations", "normative_documents"):
        assert {active.cell(row, c).state for c in ("repealed", "in_force")} == {"missing"}
    assert report.tables["review_litigation"].status == "complete"


def test_a_finding_names_every_value_that_does_not_map(report: Report) -> None:
    unmapped = [f for f in report.findings if f.code == "format_2019_unmapped"]
    assert len(unmapped) == 1 and unmapped[0].severity == "warning"
    message = unmapped[0].message
    for printed in (
        "「规范性文件」的「本年新公开数量」：6",
        "「规范性文件」的「对外公开总数量」：41",
        "「行政许可」的「上一年项目数量」：152",
        "「行政许可」的「本年增/减」：-3",
        "「其他对外管理服务事项」的「处理决定数量」：415",
        "「行政事业性收费」的「上一年项目数量」：18",
        "「行政事业性收费」的「本年增/减」：-2",
        "「政府集中采购」的「采购项目数量」：27",
        "「政府集中采购」的「采购总金额」：1356.8",
    ):
        assert printed in message, printed
    unsplit = [f for f in report.findings if f.code == "other_handling_unsplit"]
    assert len(unsplit) == 1 and "自然人 1" in unsplit[0].message


def test_no_finding_the_source_does_not_deserve(report: Report) -> None:
    assert [f for f in report.findings if f.severity == "error"] == []
    gaps = [f for f in report.findings if f.code == "table_truncated"]
    assert [(f.table, f.severity) for f in gaps] == [("active", "warning")]
    assert "2019年试行格式" in gaps[0].message and "被截断" not in gaps[0].message


def test_text_and_portal_page_give_the_same_tables() -> None:
    text, page = (load_report(FOLDER / name) for name in FILES)
    assert page.source_format == "html"
    assert text.tables == page.tables
