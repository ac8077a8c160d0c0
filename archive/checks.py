"""Findings from the schema's consistency rules and from what a report lacks.

Codes are stable (they are what the site and the JSON output filter on):

* ``requests_balance``, ``requests_results_total``, ``requests_row_total``,
  ``review_litigation_total``, ``carry_over_continuity``: the schema's consistency
  rules, one finding per column or row that does not add up (severity error;
  carry-over: warning, since a report may correct last year's figure).
* ``rule_not_checked`` (info): a rule could not be evaluated for some columns or rows
  because a cell it needs is missing or not a number ('/', '—', blank). Such cells are
  never counted as 0; one finding per rule and table names what was left out. Not
  reported for a table that is missing altogether (``table_missing`` says that).
* ``negative_number`` (error): a cell prints a negative number; a count (or a fee) cannot be
  negative. The number is kept as printed.
* ``table_missing`` (error): the report has none of a table's values.
* ``table_blank`` (warning): the table is printed with every cell left blank (a blank form);
  its rules are not run, since there is nothing to check.
* ``table_truncated`` (error): the table has some values; the finding lists the rows
  (and the columns of partly filled rows) that are missing.
* ``part_missing`` (warning): one of the six parts (一 … 六) was not found.
* ``part_title_variant`` (info): a part's title is not the official one.
* ``text_table_mismatch`` (warning): a figure stated in the text that no usual reading of the
  tables agrees with (``archive.text_against_tables``).
* ``format_2019`` (warning for a report on 2021 or later, info before): the report uses
  the 2019 trial format.

Label findings of the tables themselves (``label_variant``, ``row_*``,
``format_2019_unmapped``, ``table_without_values``, ``other_handling_unsplit``, and
``cell_two_numbers`` for a cell printing two numbers apart) come from normalising the tables
(archive.parse.tables), since only the source grid shows how a cell or label was printed; so do
``digits_split`` and ``digits_run_together`` (a table printed as running text). Where （六）其他处理 is
printed as one row (``Table.other_handling``), its three missing sub-items are not called a cut, and
the results total is checked with that row there.
* ``format_pre2019`` (info): a report from before the standard formats; nothing else is checked, since
  it has no fixed parts and no standard tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from archive.model import Cell, Finding, Report, Table
from archive.parse.table_cells import compact
from archive.schema import column_keys, column_label, load_schema, part_numbers, part_title, row_keys, row_name
from archive.text_against_tables import check_text_against_tables

TABLE_NAMES = {"active": "表二", "requests": "表三", "review_litigation": "表四"}
TABLE_PARTS = {"active": "二", "requests": "三", "review_litigation": "四"}
PERSON_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other")
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
REVIEW_ROW_NAMES = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
FIRST_FORMAT_2021_YEAR = 2021
OTHER_HANDLING_ROWS = frozenset({"3.6.1", "3.6.2", "3.6.3"})
# Cells of the 2021 format that the 2019 trial format has no column or row for: their absence is no cut.
NOT_IN_2019_FORMAT: dict[str, set[tuple[str, str]]] = {
    "active": {
        *((row, column) for row in ("regulations", "normative_documents") for column in ("repealed", "in_force")),
        ("fees", "amount_10k_yuan"),
    },
    "requests": {(row, column) for row in OTHER_HANDLING_ROWS for column in column_keys("requests")},
}


def _part_anchor(report: Report, part: str) -> str | None:
    section = report.part(part)
    return (section.anchor or None) if section else None


def _numbers(table: Table, cells: list[tuple[str, str]]) -> list[int] | None:
    """The values of the cells, or None if any of them is not a number."""
    values = []
    for row, column in cells:
        cell = table.cell(row, column)
        if cell.state != "number" or cell.value is None:
            return None
        values.append(int(cell.value))
    return values


def _column_name(column: str) -> str:
    return f"「{column_label('requests', column)}」列"


def _requests_label(row: str) -> str:
    return f"「{row_name('requests', row)}」"


class _RuleRun:
    """One rule over one table: the findings, and what could not be checked."""

    def __init__(self, code: str, table: str, section: str | None) -> None:
        self.code = code
        self.table = table
        self.section = section
        self.findings: list[Finding] = []
        self.unchecked: list[str] = []

    def fail(
        self, message: str, row: str | None = None, column: str | None = None, read: tuple[Table, list[tuple[str, str]]] | None = None
    ) -> None:
        """``read``: the table and the cells the rule added up; where OCR read them, the least certain is named."""
        hint = _likely_misread(*read) if read else None
        if hint is not None:
            message += hint[0]
            row, column = row or hint[1] or None, column or hint[2] or None
        self.findings.append(Finding(self.code, "error", message, self.table, row, column, self.section))

    def result(self, rule_name: str, all_of: str = "", count: int = 0) -> list[Finding]:
        """The findings, plus one note naming what could not be checked (``all_of`` when it is everything)."""
        if self.unchecked:
            what = all_of if all_of and len(self.unchecked) == count else "、".join(self.unchecked)
            self.findings.append(
                Finding(
                    "rule_not_checked",
                    "info",
                    f"{TABLE_NAMES[self.table]}「{rule_name}」无法核对（所需单元格缺失或不是数字，不按 0 计）：{what}。",
                    self.table,
                    None,
                    None,
                    self.section,
                )
            )
        return self.findings


OCR_SURE = 0.99  # OCR read every cell of a failed rule at least this surely: no cell is named as misread


def _likely_misread(table: Table, cells: list[tuple[str, str]]) -> tuple[str, str, str] | None:
    """(a sentence naming the cell OCR was least sure of, its row, its column), when OCR read these cells."""
    read = [(table.cell(r, c).ocr_confidence, r, c) for r, c in cells if table.cell(r, c).ocr_confidence is not None]
    if not read:
        return None
    sure, row, column = min(read, key=lambda item: item[0] or 0.0)
    cell = table.cell(row, column)
    if (sure or 0.0) >= OCR_SURE:
        return (f"这些数字由文字识别（OCR）读出，置信度都在 {OCR_SURE:.0%} 以上：更可能是原文本身不一致，请对照原件。", "", "")
    return (
        f"这些数字由文字识别（OCR）读出，最可能误读的是「{row_name(table.key, row)}」行「{column_label(table.key, column)}」列"
        f"（读作「{cell.raw}」，置信度 {sure:.1%}），请先对照原件核实该格。",
        row,
        column,
    )


def check_requests_balance(table: Table, section: str | None = None) -> list[Finding]:
    """Per column: row 1 + row 2 = row 3.7 + row 4 (printed in the table's own header)."""
    run = _RuleRun("requests_balance", "requests", section)
    for column in column_keys("requests"):
        values = _numbers(table, [("1", column), ("2", column), ("3.7", column), ("4", column)])
        if values is None:
            run.unchecked.append(_column_name(column))
            continue
        received, carried, handled, forward = values
        if received + carried != handled + forward:
            run.fail(
                f"表三{_column_name(column)}：第一项加第二项之和（{received}+{carried}={received + carried}）"
                f"不等于第三项加第四项之和（{handled}+{forward}={handled + forward}）。",
                column=column,
                read=(table, [("1", column), ("2", column), ("3.7", column), ("4", column)]),
            )
    return run.result("第一项加第二项之和等于第三项加第四项之和", "全部各列", len(column_keys("requests")))


def check_requests_results_total(
    table: Table, section: str | None = None, other_handling: Mapping[str, Cell] | None = None
) -> list[Finding]:
    """Per column: row 3.7 = the sum of rows 3.1 … 3.6.3.

    ``other_handling``: the values of （六）其他处理 where the report prints it as one row
    (the 2019 way), standing for its three sub-items.
    """
    parts = [r for r in row_keys("requests") if r.startswith("3.") and r != "3.7"]
    if other_handling is not None:
        parts = [r for r in parts if not r.startswith("3.6.")]
    run = _RuleRun("requests_results_total", "requests", section)
    for column in column_keys("requests"):
        values = _numbers(table, [("3.7", column), *((r, column) for r in parts)])
        if other_handling is not None and values is not None:
            unsplit = other_handling.get(column)
            values = [*values, int(unsplit.value)] if unsplit and unsplit.state == "number" else None
        if values is None:
            run.unchecked.append(_column_name(column))
            continue
        total, *items = values
        if total != sum(items):
            run.fail(
                f"表三{_column_name(column)}：办理结果「（七）总计」（{total}）"
                f"不等于（一）至（六）各项之和（{sum(items)}）。",
                row="3.7",
                column=column,
                read=(table, [("3.7", column), *((r, column) for r in parts)]),
            )
    return run.result("办理结果总计等于各项之和", "全部各列", len(column_keys("requests")))


def check_requests_row_total(table: Table, section: str | None = None) -> list[Finding]:
    """Per row: total = the sum of the six kinds of applicant."""
    run = _RuleRun("requests_row_total", "requests", section)
    rows = {row: f"{_requests_label(row)}行" for row in row_keys("requests")}
    _check_row_totals(run, table, rows, PERSON_COLUMNS,
                      lambda name, total, parts: f"表三{name}：「总计」（{total}）不等于各类申请人之和（{parts}）。")
    return run.result("总计等于各类申请人之和")


def check_review_litigation_total(table: Table, section: str | None = None) -> list[Finding]:
    """For review and both kinds of litigation: total = upheld + corrected + other + pending."""
    run = _RuleRun("review_litigation_total", "review_litigation", section)
    rows = {row: f"「{name}」" for row, name in REVIEW_ROW_NAMES.items()}
    _check_row_totals(run, table, rows, REVIEW_PARTS,
                      lambda name, total, parts: f"表四{name}：「总计」（{total}）不等于结果维持、结果纠正、其他结果、尚未审结之和（{parts}）。")
    return run.result("总计等于各结果之和")


def _check_row_totals(run: _RuleRun, table: Table, rows: dict[str, str], parts: Sequence[str],
                      message: Callable[[str, int, int], str]) -> None:
    """Each row of ``rows`` (key → name in messages): its total is the sum of its ``parts`` columns;
    a row that is not all numbers is noted as unchecked unless it is wholly missing."""
    for row, name in rows.items():
        values = _numbers(table, [(row, "total"), *((row, c) for c in parts)])
        if values is None:
            if any(table.cell(row, c).state != "missing" for c in column_keys(table.key)):
                run.unchecked.append(name)
            continue
        total, *items = values
        if total != sum(items):
            run.fail(message(name, total, sum(items)), row=row, column="total",
                     read=(table, [(row, "total"), *((row, c) for c in parts)]))


def check_negative_numbers(table: Table, section: str | None = None) -> list[Finding]:
    """One error per cell that prints a negative number (kept as printed: a person must correct it)."""
    findings = []
    for row, column in ((r, c) for r in row_keys(table.key) for c in column_keys(table.key, r)):
        cell = table.cell(row, column)
        if cell.state == "number" and cell.value is not None and cell.value < 0:
            findings.append(
                Finding(
                    "negative_number",
                    "error",
                    f"{TABLE_NAMES[table.key]}「{row_name(table.key, row)}」行「{column_label(table.key, column)}」列"
                    f"印作「{cell.raw}」：数量不能是负数，请核对原文（数值按原文保留）。",
                    table.key,
                    row,
                    column,
                    section,
                )
            )
    return findings


def _row_ranges(rows: list[str], table: str) -> str:
    """Missing rows named by their labels, consecutive ones as a range."""
    order = row_keys(table)
    groups: list[list[str]] = []
    for row in rows:
        if groups and order.index(groups[-1][-1]) + 1 == order.index(row):
            groups[-1].append(row)
        else:
            groups.append([row])
    parts = []
    for group in groups:
        first = f"「{row_name(table, group[0])}」"
        if len(group) == 1:
            parts.append(first)
        elif len(groups) == 1:
            parts.append(f"{first}至「{row_name(table, group[-1])}」")
        else:
            parts.append(f"{first}至「{row_name(table, group[-1])}」（{len(group)} 行）")
    return "、".join(parts)


def is_blank(table: Table) -> bool:
    """Every cell the source has is printed empty, and it has some."""
    cells = [cell for columns in table.rows.values() for cell in columns.values() if cell.state != "missing"]
    return bool(cells) and all(cell.state == "text" and not compact(cell.raw or "") for cell in cells)


def check_table_completeness(
    table: Table, section: str | None = None, older_format: bool = False, explained: frozenset[str] = frozenset()
) -> list[Finding]:
    """A table with no values is missing; one with some rows or columns missing is truncated.

    ``older_format``: the report fills some items the 2019 way, which explains gaps better than a cut.
    ``explained``: rows whose absence another finding already names (（六）其他处理 printed as one row).
    """
    key = table.key
    name = f"{TABLE_NAMES[key]}「{load_schema()['tables'][key]['label']}」"
    status = table.status
    if status == "missing":
        return [Finding("table_missing", "error", f"报告中没有{name}的数据。", key, None, None, section)]
    if is_blank(table):
        return [
            Finding(
                "table_blank",
                "warning",
                f"{name}的所有单元格都是空白，没有填报任何数值（空白不按 0 计）。",
                key,
                None,
                None,
                section,
            )
        ]
    if status == "complete":
        return []
    missing_rows: list[str] = []
    partial: list[str] = []
    for row in row_keys(key):
        states = {c: table.cell(row, c).state for c in column_keys(key, row)}
        absent = [c for c, s in states.items() if s == "missing"]
        if len(absent) == len(states):
            if row not in explained:
                missing_rows.append(row)
        elif absent:
            partial.append(f"「{row_name(key, row)}」行缺少" + "、".join(f"「{column_label(key, c)}」" for c in absent))
    if not missing_rows and not partial:
        return []
    details = []
    if missing_rows:
        details.append(f"缺少 {len(missing_rows)} 行：{_row_ranges(missing_rows, key)}")
    details.extend(partial)
    absent = {(r, c) for r in row_keys(key) for c in column_keys(key, r) if table.cell(r, c).state == "missing"}
    only_2019_gaps = older_format and absent <= NOT_IN_2019_FORMAT.get(key, set())
    if only_2019_gaps:
        reason = "按2019年试行格式填报，原表没有2021年格式的这些栏目"
    elif older_format:
        reason = "部分栏目按2019年试行格式填报，无法对应，或表格被截断"
    else:
        reason = "表格可能被截断"
    message = f"{name}不完整（{reason}）：" + "；".join(details) + "。这些单元格记为缺失，不按 0 计。"
    row = missing_rows[0] if missing_rows else None
    return [Finding("table_truncated", "warning" if only_2019_gaps else "error", message, key, row, None, section)]


def check_parts(report: Report) -> list[Finding]:
    findings = []
    variants = load_schema().get("label_variants", {})
    for number in part_numbers():
        title = part_title(number)
        section = report.part(number)
        if section is None:
            findings.append(Finding("part_missing", "warning", f"报告中没有找到第{number}部分「{number}、{title}」。"))
            continue
        printed = compact(section.title).rstrip("。:：")
        if printed and printed != compact(title):
            known = f"{number}、{section.title.strip()}" in variants.get(f"{number}、{title}", [])
            note = "（常见的变体写法）" if known else ""
            findings.append(
                Finding(
                    "part_title_variant",
                    "info",
                    f"第{number}部分标题为「{section.title.strip()}」{note}，官方格式为「{title}」。",
                    section=section.anchor or None,
                )
            )
    return findings


def check_format(report: Report) -> list[Finding]:
    if report.format == "pre2019":
        return [
            Finding(
                "format_pre2019",
                "info",
                "这是2019年以前的报告，当时没有统一的报告格式和统计表：各部分按其标题的含义对应到现行格式的六个部分"
                "（对应不上的保留原标题），文中的数字保留在正文中，不填入现行格式的统计表。",
            )
        ]
    if report.format != "2019":
        return []
    late = report.year is not None and report.year >= FIRST_FORMAT_2021_YEAR
    message = "本报告使用2019年试行格式（国办公开办函〔2019〕60号）的表格，表格已尽量对应到2021年格式（国办公开办函〔2021〕30号）"
    if late:
        message += f"；{report.year}年度报告应使用2021年格式"
    return [Finding("format_2019", "warning" if late else "info", message + "。")]


def check_report(report: Report) -> list[Finding]:
    """Every finding about one report on its own (carry-over needs two reports: ``check_carry_over``)."""
    if report.empty:
        return []  # nothing could be read: a part or table not found says nothing about the report
    if report.format == "pre2019":
        return check_format(report)  # free structure, no standard tables: nothing of them can be missing
    findings: list[Finding] = []
    findings.extend(check_parts(report))
    findings.extend(check_format(report))
    older_format = report.format == "2019" or any(f.code == "format_2019_unmapped" for f in report.findings)
    for key in TABLE_PARTS:
        table = report.tables.get(key) or Table(key)
        section = _part_anchor(report, TABLE_PARTS[key])
        explained = OTHER_HANDLING_ROWS if table.other_handling else frozenset()
        findings.extend(check_table_completeness(table, section, older_format, explained))
        findings.extend(check_negative_numbers(table, section))
        if table.status == "missing" or is_blank(table):
            continue
        if key == "requests":
            findings.extend(check_requests_balance(table, section))
            findings.extend(check_requests_results_total(table, section, table.other_handling or None))
            findings.extend(check_requests_row_total(table, section))
        elif key == "review_litigation":
            findings.extend(check_review_litigation_total(table, section))
    findings.extend(check_text_against_tables(report))
    return findings


def check_carry_over(previous: Report, current: Report) -> list[Finding]:
    """requests row 2 of year N against row 4 of year N-1, per column, for one agency.

    Nothing is said when the two reports are not one agency's consecutive years.
    """
    if previous.agency != current.agency or previous.year is None or current.year is None:
        return []
    if current.year != previous.year + 1:
        return []
    before, now = previous.tables.get("requests"), current.tables.get("requests")
    if before is None or now is None:
        return []
    section = _part_anchor(current, "三")
    findings: list[Finding] = []
    unchecked: list[str] = []
    for column in column_keys("requests"):
        carried_in, carried_out = now.cell("2", column), before.cell("4", column)
        if carried_in.state != "number" or carried_out.state != "number":
            unchecked.append(_column_name(column))
            continue
        if carried_in.value != carried_out.value:
            findings.append(
                Finding(
                    "carry_over_continuity",
                    "warning",
                    f"表三{_column_name(column)}：本年「二、上年结转政府信息公开申请数量」（{carried_in.value}）"
                    f"与{previous.year}年度报告的「四、结转下年度继续办理」（{carried_out.value}）不一致。",
                    "requests",
                    "2",
                    column,
                    section,
                )
            )
    if unchecked:
        findings.append(
            Finding(
                "rule_not_checked",
                "info",
                f"表三与{previous.year}年度报告的结转数无法核对（所需单元格缺失或不是数字，不按 0 计）："
                + "、".join(unchecked)
                + "。",
                "requests",
                "2",
                None,
                section,
            )
        )
    return findings
