"""Real reports end to end: every table value as the documents show it, agency, year, the six parts.

Expected values were read from the documents themselves (the portal pages' tables, the PDF pages rendered).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from real_files import real_file

from archive.model import Report
from archive.pipeline import load_report
from archive.schema import column_keys, row_keys

Z7 = [0] * 7


def requests(**rows: list[int | None]) -> dict[str, list[int | None]]:
    """The requests table: every row zero unless given (keys use _ for .)."""
    table = {row: list(Z7) for row in row_keys("requests")}
    table.update({key.replace("_", "."): values for key, values in rows.items()})
    return table


def one(n: int) -> list[int]:
    """A requests row with n in 自然人 and in 总计 only."""
    return [n, 0, 0, 0, 0, 0, n]


UNSPLIT = [None] * 7  # the report prints （六）其他处理 as one row, not the 2021 format's three

EXPECTED: dict[str, dict] = {
    "pingtan-2023.html": {
        "agency": "平潭综合实验区",
        "year": 2023,
        "date": "2024-03-08",
        "active": {
            "regulations": [0, 0, 0],
            "normative_documents": [77, 132, 470],
            "licensing": [2629],
            "penalty": [1330],
            "enforcement": [54],
            "fees": [Decimal("5949.088667")],
        },
        "requests": requests(
            **{
                "1": [80, 1, 0, 0, 0, 0, 81],
                "3_1": one(22),
                "3_2": [19, 1, 0, 0, 0, 0, 20],
                "3_3_4": one(1),
                "3_3_6": one(1),
                "3_3_7": one(1),
                "3_3_8": one(2),
                "3_4_1": one(31),
                "3_5_2": one(1),
                "3_6_1": one(1),
                "3_6_3": one(1),
                "3_7": [80, 1, 0, 0, 0, 0, 81],
            }
        ),
        "review": [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2],
    },
    "pingtan-2024.html": {
        "agency": "平潭综合实验区",
        "year": 2024,
        "date": "2025-03-10",
        "active": {
            "regulations": [0, 0, 0],
            "normative_documents": [62, 33, 440],
            "licensing": [4529],
            "penalty": [1100],
            "enforcement": [65],
            "fees": [Decimal("18651.06")],
        },
        "requests": requests(
            **{
                "1": [217, 1, 0, 0, 0, 0, 218],
                "3_1": one(71),
                "3_2": one(29),
                "3_3_1": one(4),
                "3_3_4": one(3),
                "3_3_5": one(32),
                "3_4_1": one(75),
                "3_5_2": one(1),
                "3_6_1": one(1),
                "3_6_3": [1, 1, 0, 0, 0, 0, 2],
                "3_7": [217, 1, 0, 0, 0, 0, 218],
            }
        ),
        "review": [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19],
    },
    "pingtan-2025.html": {
        "agency": "平潭综合实验区",
        "year": 2025,
        "date": "2026-03-10",
        "active": {
            "regulations": [0, 0, 0],
            "normative_documents": [58, 45, 546],
            "licensing": [2418],
            "penalty": [644],
            "enforcement": [64],
            "fees": [Decimal("4166.241619")],
        },
        "requests": requests(
            **{
                "1": [151, 3, 0, 0, 0, 0, 154],
                "3_1": one(33),
                "3_2": one(38),
                "3_3_5": one(3),
                "3_3_6": one(2),
                "3_3_7": one(3),
                "3_3_8": one(3),
                "3_4_1": [49, 1, 0, 0, 0, 0, 50],
                "3_4_2": one(3),
                "3_5_1": one(2),
                "3_6_1": one(8),
                "3_6_2": one(2),
                "3_6_3": one(1),
                "3_7": [147, 1, 0, 0, 0, 0, 148],
                "4": [4, 2, 0, 0, 0, 0, 6],
            }
        ),
        "review": [25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3],
    },
    "hongze-2023.pdf": {
        "agency": "洪泽区人民政府",
        "year": 2023,
        "date": None,
        "active": {
            "regulations": [0, 0, 0],
            "normative_documents": [0, 5, 5],
            "licensing": [550],
            "penalty": [4119],
            "enforcement": [195],
            "fees": [Decimal("7730.28")],
        },
        "requests": requests(
            **{
                "1": one(21),
                "3_2": one(4),
                "3_3_1": one(1),
                "3_3_6": one(1),
                "3_3_7": one(1),
                "3_4_1": one(10),
                "3_4_2": one(3),
                "3_5_1": one(1),
                "3_6_1": UNSPLIT,
                "3_6_2": UNSPLIT,
                "3_6_3": UNSPLIT,
                "3_7": one(21),
            }
        ),
        "review": [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0],
    },
    "hongze-2024.pdf": {
        "agency": "淮安市洪泽区人民政府",
        "year": 2024,
        "date": None,
        "active": {
            "regulations": [0, 0, 0],
            "normative_documents": [3, 0, 8],
            "licensing": [9487],
            "penalty": [2776],
            "enforcement": [84],
            "fees": [Decimal("7545")],
        },
        "requests": requests(
            **{
                "1": one(95),
                "3_1": one(50),
                "3_2": one(9),
                "3_3_3": one(1),
                "3_3_6": one(1),
                "3_3_7": one(1),
                "3_4_1": one(31),
                "3_4_2": one(1),
                "3_5_1": one(1),
                "3_6_1": UNSPLIT,
                "3_6_2": UNSPLIT,
                "3_6_3": UNSPLIT,
                "3_7": one(95),
            }
        ),
        "review": [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3],
    },
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def real(request: pytest.FixtureRequest) -> tuple[str, Report]:
    return request.param, load_report(real_file(request.param), root=real_file(request.param).parent)


def test_metadata_and_parts(real: tuple[str, Report]) -> None:
    name, report = real
    expected = EXPECTED[name]
    assert expected["agency"] in (report.agency or "")
    assert report.year == expected["year"]
    assert report.publication_date == expected["date"]
    assert report.parts_found == ["一", "二", "三", "四", "五", "六"]
    assert report.source_format == name.rsplit(".", 1)[1]


def test_active_table(real: tuple[str, Report]) -> None:
    name, report = real
    table = report.tables["active"]
    got = {row: [table.value(row, c) for c in column_keys("active", row)] for row in row_keys("active")}
    assert got == EXPECTED[name]["active"]


def test_requests_table(real: tuple[str, Report]) -> None:
    name, report = real
    table = report.tables["requests"]
    for row in row_keys("requests"):
        got = [table.value(row, c) for c in column_keys("requests")]
        assert got == EXPECTED[name]["requests"][row], row


def test_review_litigation_table(real: tuple[str, Report]) -> None:
    name, report = real
    table = report.tables["review_litigation"]
    got = [table.value(r, c) for r in row_keys("review_litigation") for c in column_keys("review_litigation")]
    assert got == EXPECTED[name]["review"]


def test_pingtan_has_no_findings(real: tuple[str, Report]) -> None:
    name, report = real
    if not name.startswith("pingtan"):
        pytest.skip("the 洪泽 reports have inconsistencies of their own")
    assert [f for f in report.findings if f.severity != "info"] == []
    assert {t.status for t in report.tables.values()} == {"complete"}


def test_hongze_findings_name_the_source_inconsistencies() -> None:
    report = load_report(real_file("hongze-2023.pdf"))
    codes = {(f.code, f.row) for f in report.findings if f.severity != "info"}
    # 行政复议 printed as 10 + 1 + 0 + 0 with 总计 0, 复议后起诉 5 + 0 + 0 + 0 with 总计 0.
    assert ("review_litigation_total", "review") in codes
    assert ("review_litigation_total", "litigation_after_review") in codes
    assert not [f for f in report.findings if f.table == "active" and f.severity != "info"]
    assert not [f for f in report.findings if f.code.startswith("requests_")]


def test_blank_template_is_read_but_has_no_values() -> None:
    report = load_report(real_file("template-2021-format.docx"))
    assert report.parts_found == ["一", "二", "三", "四", "五", "六"]
    values = [c.value for t in report.tables.values() for cols in t.rows.values() for c in cols.values()]
    assert values and all(v is None for v in values)  # blank is never read as 0
