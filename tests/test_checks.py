"""check_report and check_carry_over: each rule on reports built directly."""

from __future__ import annotations

import pytest

from archive.checks import check_carry_over, check_report
from archive.model import Cell, Finding, Report, Section, Table
from archive.schema import column_keys, row_keys

PARTS = [
    ("一", "总体情况"),
    ("二", "主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况"),
    ("四", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "存在的主要问题及改进情况"),
    ("六", "其他需要报告的事项"),
]


def full_table(key: str, values: dict[str, list[int | str | None]] | None = None, fill: int = 0) -> Table:
    """A table with every cell ``fill`` except the rows given (int: number, str: text, None: missing)."""
    values = values or {}
    rows: dict[str, dict[str, Cell]] = {}
    for row in row_keys(key):
        columns = column_keys(key, row)
        given = values.get(row, [fill] * len(columns))
        rows[row] = {}
        for column, value in zip(columns, given, strict=True):
            if value is None:
                rows[row][column] = Cell.missing()
            elif isinstance(value, str):
                rows[row][column] = Cell(None, value, "text")
            else:
                rows[row][column] = Cell(value, str(value), "number")
    return Table(key, rows)


def make_report(
    requests: Table | None = None,
    review: Table | None = None,
    active: Table | None = None,
    parts: list[tuple[str, str]] = PARTS,
    year: int = 2023,
    agency: str = "某县人民政府办公室",
    fmt: str = "2021",
) -> Report:
    sections = [Section(number, title, level=1, anchor=f"p{i + 1}") for i, (number, title) in enumerate(parts)]
    return Report(
        id="r1",
        source="x.txt",
        source_format="txt",
        agency=agency,
        year=year,
        format=fmt,
        sections=sections,
        tables={
            "active": active or full_table("active"),
            "requests": requests or full_table("requests"),
            "review_litigation": review or full_table("review_litigation"),
        },
    )


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def consistent_requests() -> dict[str, list[int | str | None]]:
    # natural persons: 16 new + 1 carried = 13 handled (1 + 11 + 1) + 4 carried forward
    return {
        "1": [16, 0, 0, 0, 0, 0, 16],
        "2": [1, 0, 0, 0, 0, 0, 1],
        "3.1": [1, 0, 0, 0, 0, 0, 1],
        "3.4.1": [11, 0, 0, 0, 0, 0, 11],
        "3.6.3": [1, 0, 0, 0, 0, 0, 1],
        "3.7": [13, 0, 0, 0, 0, 0, 13],
        "4": [4, 0, 0, 0, 0, 0, 4],
    }


def test_consistent_complete_report_has_no_findings():
    assert check_report(make_report(requests=full_table("requests", consistent_requests()))) == []


def test_requests_balance_names_column_and_both_sums():
    values = consistent_requests()
    values["4"] = [3, 0, 0, 0, 0, 0, 3]
    findings = check_report(make_report(requests=full_table("requests", values)))
    balance = [f for f in findings if f.code == "requests_balance"]
    assert [(f.column, f.severity, f.table, f.section) for f in balance] == [
        ("natural_person", "error", "requests", "p3"),
        ("total", "error", "requests", "p3"),
    ]
    assert "表三「自然人」列" in balance[0].message
    assert "（16+1=17）" in balance[0].message and "（13+3=16）" in balance[0].message


def test_requests_results_total():
    values = consistent_requests()
    values["3.7"] = [12, 0, 0, 0, 0, 0, 12]
    values["4"] = [5, 0, 0, 0, 0, 0, 5]
    findings = check_report(make_report(requests=full_table("requests", values)))
    results = [f for f in findings if f.code == "requests_results_total"]
    assert [(f.row, f.column) for f in results] == [("3.7", "natural_person"), ("3.7", "total")]
    assert "（12）" in results[0].message and "（13）" in results[0].message
    assert "requests_balance" not in codes(findings)


def test_requests_row_total():
    values = consistent_requests()
    values["1"] = [16, 1, 0, 0, 0, 0, 16]
    findings = check_report(make_report(requests=full_table("requests", values)))
    row_totals = [f for f in findings if f.code == "requests_row_total"]
    assert [(f.row, f.column) for f in row_totals] == [("1", "total")]
    assert "一、本年新收政府信息公开申请数量" in row_totals[0].message and "（17）" in row_totals[0].message


def test_review_litigation_total():
    review = full_table("review_litigation", {"review": [1, 1, 0, 1, 2], "litigation_direct": [0, 0, 0, 1, 1]})
    findings = check_report(make_report(review=review))
    totals = [f for f in findings if f.code == "review_litigation_total"]
    assert [(f.table, f.row, f.column) for f in totals] == [("review_litigation", "review", "total")]
    assert "行政复议" in totals[0].message and "（3）" in totals[0].message
    assert totals[0].section == "p4"


def test_text_and_missing_cells_are_not_counted_as_zero():
    values = consistent_requests()
    values["4"] = ["/", 0, 0, 0, 0, 0, 4]  # 16 + 1 = 13 + 0 would fail if "/" were 0
    values["2"] = [1, 0, 0, 0, 0, None, 1]
    findings = check_report(make_report(requests=full_table("requests", values)))
    assert "requests_balance" not in codes(findings)
    not_checked = [f for f in findings if f.code == "rule_not_checked"]
    assert all(f.severity == "info" for f in not_checked)
    balance_note = next(f for f in not_checked if "第一项加第二项" in f.message)
    assert "「自然人」列" in balance_note.message and "「其他」列" in balance_note.message
    row_note = next(f for f in not_checked if "各类申请人" in f.message)
    assert "二、上年结转政府信息公开申请数量" in row_note.message and "四、结转下年度继续办理" in row_note.message


def test_table_missing_and_no_rule_runs_on_it():
    empty = Table(
        "review_litigation",
        {r: {c: Cell.missing() for c in column_keys("review_litigation")} for r in row_keys("review_litigation")},
    )
    findings = check_report(make_report(review=empty))
    assert codes(findings) == ["table_missing"]
    assert (findings[0].table, findings[0].severity, findings[0].section) == ("review_litigation", "error", "p4")


def test_table_truncated_lists_missing_rows_and_columns():
    values: dict[str, list[int | str | None]] = {row: [None] * 7 for row in row_keys("requests")[1:]}
    values["1"] = [17, 0, 0, 0, 0, 0, None]
    findings = check_report(make_report(requests=full_table("requests", values)))
    truncated = [f for f in findings if f.code == "table_truncated"]
    assert len(truncated) == 1
    message = truncated[0].message
    assert truncated[0].row == "2"
    assert "缺少 24 行" in message
    assert "「二、上年结转政府信息公开申请数量」至「四、结转下年度继续办理」" in message
    assert "「一、本年新收政府信息公开申请数量」行缺少「总计」" in message
    assert "requests_balance" not in codes(findings)
    notes = [f.message for f in findings if f.code == "rule_not_checked"]
    assert any("第一项加第二项" in m and "全部各列" in m for m in notes)


def test_truncated_rows_named_with_their_group():
    values: dict[str, list[int | str | None]] = {
        row: [None] * 7 for row in row_keys("requests")[row_keys("requests").index("3.5.1") :]
    }
    findings = check_report(make_report(requests=full_table("requests", values)))
    truncated = next(f for f in findings if f.code == "table_truncated")
    assert "「（五）不予处理 1.信访举报投诉类申请」至「四、结转下年度继续办理」" in truncated.message


def test_part_missing_and_title_variant():
    parts = [p for p in PARTS if p[0] != "四"]
    parts[3] = ("五", "存在的主要问题及下一步打算")
    findings = check_report(make_report(parts=parts))
    missing = [f for f in findings if f.code == "part_missing"]
    assert len(missing) == 1 and "第四部分" in missing[0].message and missing[0].severity == "warning"
    variant = [f for f in findings if f.code == "part_title_variant"]
    assert len(variant) == 1 and variant[0].section == "p4" and variant[0].severity == "info"
    assert "存在的主要问题及下一步打算" in variant[0].message


def test_printed_part_numbers_are_recognised():
    parts = [(f"{number}、", title) for number, title in PARTS]
    assert check_report(make_report(parts=parts)) == []


def test_format_2019():
    findings = check_report(make_report(fmt="2019"))
    assert [(f.code, f.severity) for f in findings] == [("format_2019", "warning")]
    earlier = check_report(make_report(fmt="2019", year=2020))
    assert [(f.code, f.severity) for f in earlier] == [("format_2019", "info")]


def test_carry_over_continuity():
    previous = make_report(requests=full_table("requests", {"4": [2, 0, 0, 0, 0, 1, 3]}), year=2022)
    same = make_report(requests=full_table("requests", {"2": [2, 0, 0, 0, 0, 1, 3]}), year=2023)
    assert check_carry_over(previous, same) == []
    different = make_report(requests=full_table("requests", {"2": [1, 0, 0, 0, 0, 1, 2]}), year=2023)
    findings = check_carry_over(previous, different)
    assert [(f.code, f.row, f.column, f.severity) for f in findings] == [
        ("carry_over_continuity", "2", "natural_person", "warning"),
        ("carry_over_continuity", "2", "total", "warning"),
    ]
    assert "2022年度报告" in findings[0].message and "（1）" in findings[0].message and "（2）" in findings[0].message


def test_carry_over_only_for_one_agency_in_consecutive_years():
    previous = make_report(requests=full_table("requests", {"4": [2, 0, 0, 0, 0, 0, 2]}), year=2021)
    current = make_report(year=2023)
    assert check_carry_over(previous, current) == []
    other_agency = make_report(year=2022, agency="另一个镇人民政府")
    assert check_carry_over(previous, other_agency) == []


def test_carry_over_with_missing_cells_is_not_checked():
    previous = make_report(requests=full_table("requests", {"4": [None] * 7}), year=2022)
    current = make_report(year=2023)
    findings = check_carry_over(previous, current)
    assert [(f.code, f.severity) for f in findings] == [("rule_not_checked", "info")]


def test_findings_on_the_samples(sample_path):
    from archive.pipeline import load_report

    wenxian = load_report(sample_path("wenxian"))
    assert [f for f in wenxian.findings if f.severity != "info"] == []
    huji = load_report(sample_path("huji"))
    huji_codes = codes(huji.findings)
    assert "table_missing" in huji_codes and "table_without_values" in huji_codes
    truncated_tables = sorted(f.table for f in huji.findings if f.code == "table_truncated")
    assert truncated_tables == ["active", "requests"]


def test_gaps_of_a_2019_format_report_are_not_called_a_cut():
    values: dict[str, list[int | str | None]] = {row: [None] * 7 for row in ("3.6.1", "3.6.2", "3.6.3")}
    findings = check_report(make_report(requests=full_table("requests", values), fmt="2019"))
    truncated = next(f for f in findings if f.code == "table_truncated")
    assert "2019年试行格式" in truncated.message and "（六）其他处理 1.申请人" in truncated.message


def test_report_without_tables_says_all_three_are_missing():
    report = make_report()
    report.tables = {}
    findings = check_report(report)
    assert [(f.code, f.table) for f in findings] == [
        ("table_missing", "active"),
        ("table_missing", "requests"),
        ("table_missing", "review_litigation"),
    ]


def _requests_with_other_handling_unsplit(total: int) -> list[list[str]]:
    """Table 三 with （六）其他处理 printed as one row (as the Hongze reports print it)."""
    from archive.schema import row_label

    values = {"1": 2, "3.1": 1, "3.7": total}
    grid = []
    for row in row_keys("requests"):
        if row == "3.6.1":
            grid.append(["（六）其他处理", "", "1", "0", "0", "0", "0", "0", "1"])
        if row.startswith("3.6."):
            continue
        number = values.get(row, 0)
        grid.append([row_label("requests", row), "", str(number), "0", "0", "0", "0", "0", str(number)])
    return grid


def test_other_handling_printed_as_one_row_is_named_not_called_a_cut_and_used_in_the_total():
    from archive.parse.tables import normalise_tables
    from archive.readers.document import Block

    for total in (2, 3):
        tables, findings, fmt = normalise_tables([Block("table", rows=_requests_with_other_handling_unsplit(total))])
        assert fmt == "2021"
        requests = tables["requests"]
        assert all(requests.cell(r, "total").state == "missing" for r in ("3.6.1", "3.6.2", "3.6.3"))
        report = make_report(requests=requests)
        report.findings = findings
        everything = findings + check_report(report)
        unsplit = [f for f in everything if f.code == "other_handling_unsplit"]
        assert len(unsplit) == 1 and "自然人 1" in unsplit[0].message
        assert (unsplit[0].table, unsplit[0].row) == ("requests", "3.6.1")
        assert "table_truncated" not in codes(everything)
        assert "rule_not_checked" not in codes(everything)
        results = [f for f in everything if f.code == "requests_results_total"]
        if total == 2:
            assert [f for f in everything if f.severity == "error"] == []
        else:
            assert [f.column for f in results] == ["natural_person", "total"]
            assert "「（七）总计」（3）不等于（一）至（六）各项之和（2）" in results[0].message


# What each real report deserves, read from the documents themselves (code, table, row, column).
REAL_FINDINGS = {
    "pingtan-2023.html": [],
    "pingtan-2024.html": [],
    "pingtan-2025.html": [],
    "hongze-2023.pdf": [
        # printed: 行政复议 10 1 0 0 总计 0; 复议后起诉 5 0 0 0 总计 0
        ("review_litigation_total", "review_litigation", "review", "total"),
        ("review_litigation_total", "review_litigation", "litigation_after_review", "total"),
        ("other_handling_unsplit", "requests", "3.6.1", None),
        ("label_variant", "requests", "3.3.2", None),  # printed 2.其他法律行政止公开
    ],
    "hongze-2024.pdf": [
        ("other_handling_unsplit", "requests", "3.6.1", None),
        ("label_variant", "requests", "3.3.2", None),
    ],
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@pytest.mark.parametrize("name", sorted(REAL_FINDINGS))
def test_real_reports_get_the_findings_they_deserve_and_no_other(name: str, real_dir):
    from archive.pipeline import load_report

    report = load_report(real_dir / name)
    found = sorted(report.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    assert [(f.code, f.table, f.row, f.column) for f in found] == REAL_FINDINGS[name], [f.message for f in found]


def test_a_blank_form_is_named_once_per_table_and_its_rules_are_not_run():
    blank = {row: [""] * len(column_keys("requests", row)) for row in row_keys("requests")}
    review = {row: ["\u3000"] * 5 for row in row_keys("review_litigation")}
    findings = check_report(make_report(requests=full_table("requests", blank), review=full_table("review_litigation", review)))
    assert [(f.code, f.severity, f.table) for f in findings] == [
        ("table_blank", "warning", "requests"),
        ("table_blank", "warning", "review_litigation"),
    ]
    assert "所有单元格都是空白" in findings[0].message


def test_a_table_with_some_blank_cells_is_not_a_blank_form():
    values = {"1": ["", 0, 0, 0, 0, 0, 0]}
    findings = check_report(make_report(requests=full_table("requests", values)))
    assert "table_blank" not in codes(findings)
    assert "rule_not_checked" in codes(findings)
