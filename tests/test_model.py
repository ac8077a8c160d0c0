"""The report model round-trips through JSON."""

from __future__ import annotations

import json
from decimal import Decimal

from archive.model import Cell, Finding, Region, Report, Section, Table


def _report() -> Report:
    return Report(
        id="r1",
        source="reports/a.txt",
        source_format="txt",
        title="某县2023年政府信息公开工作年度报告",
        agency="某县人民政府",
        year=2023,
        region=Region("山东省", "济宁市", "金乡县", "370828"),
        sections=[Section("一、", "总体情况", "正文", 1, "p1", [Section("（一）", "主动公开", "子", 2, "p1-1")])],
        tables={
            "active": Table(
                "active",
                {"fees": {"amount_10k_yuan": Cell(Decimal("1.25"), "1.25", "number")},
                 "penalty": {"decisions": Cell(3, "3", "number")}},
            ),
            "requests": Table("requests", {"1": {"total": Cell(None, "/", "text"), "other": Cell.missing()}}),
        },
        findings=[Finding("table_missing", "warning", "缺少表四", table="review_litigation")],
    )


def test_report_round_trips_through_json() -> None:
    report = _report()
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert Report.from_dict(data) == report


def test_missing_and_text_cells_are_null_not_zero() -> None:
    data = _report().to_dict()
    assert data["tables"]["requests"]["1"]["total"] == {"value": None, "raw": "/", "state": "text"}
    assert data["tables"]["requests"]["1"]["other"] == {"value": None, "raw": None, "state": "missing"}


def test_table_status() -> None:
    assert Table("x").status == "missing"
    assert _report().tables["requests"].status == "partial"
    assert _report().tables["active"].status == "complete"


def test_parts_found_counts_only_top_level() -> None:
    assert _report().parts_found == ["一"]
