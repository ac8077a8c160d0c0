"""The three statistical tables laid out as on the official form (国办公开办函〔2021〕30号), for the templates.

A layout is a list of header rows and body rows of ``LayoutCell``s; templates only loop over them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive import schema
from archive.model import Finding, Report
from site_builder.figures import cell_display, inferred_note, ocr_title


@dataclass
class LayoutCell:
    text: str
    header: bool = False
    scope: str | None = None
    colspan: int = 1
    rowspan: int = 1
    css: str = ""
    key: str | None = None
    """``table.row.column`` for a data cell: our key for it."""
    id: str | None = None
    findings: list[int] = field(default_factory=list)
    """Numbers of the findings (in the report's list, from 1) that point at this cell."""
    note: str = ""
    """How a number not printed on its own was found (由合计推算), shown under it."""
    title: str | None = None
    """A tooltip: the OCR confidence of a cell read by OCR."""


@dataclass
class TableLayout:
    key: str
    caption: str
    id: str
    head: list[list[LayoutCell]]
    body: list[list[LayoutCell]]
    note: str = ""
    status: str = ""


def cell_id(table: str, row: str, column: str) -> str:
    return "c-" + "-".join(part.replace(".", "_") for part in (table, row, column))


def table_id(table: str) -> str:
    return f"t-{table}"


def layouts(report: Report) -> list[TableLayout]:
    marks = _finding_marks(report.findings)
    return [build(report, key, marks) for key in schema.TABLE_KEYS]


def build(report: Report, key: str, marks: dict[tuple[str, str, str], list[int]]) -> TableLayout:
    builder = {"active": _active, "requests": _requests, "review_litigation": _review}[key]
    head, body = builder(report, marks)
    table = report.tables.get(key)
    status = table.status if table is not None else "missing"
    spec = schema.table_schema(key)
    return TableLayout(key, spec["label"], table_id(key), head, body, note=spec.get("note", ""), status=status)


def _finding_marks(findings: list[Finding]) -> dict[tuple[str, str, str], list[int]]:
    marks: dict[tuple[str, str, str], list[int]] = {}
    for number, f in enumerate(findings, 1):
        if f.table and f.row and f.column:
            marks.setdefault((f.table, f.row, f.column), []).append(number)
    return marks


def _data(report: Report, table: str, row: str, column: str, marks: dict, colspan: int = 1) -> LayoutCell:
    t = report.tables.get(table)
    cell = t.cell(row, column) if t is not None else None
    text, css = cell_display(cell) if cell is not None else ("缺失", "cell-missing")
    return LayoutCell(
        text,
        colspan=colspan,
        css=css,
        note=inferred_note(table, cell) if cell is not None else "",
        key=f"{table}.{row}.{column}",
        id=cell_id(table, row, column),
        findings=marks.get((table, row, column), []),
        title=ocr_title(cell) if cell is not None else None,
    )


def _th(text: str, scope: str, colspan: int = 1, rowspan: int = 1) -> LayoutCell:
    return LayoutCell(text, header=True, scope=scope, colspan=colspan, rowspan=rowspan)


def _active(report: Report, marks: dict) -> tuple[list[list[LayoutCell]], list[list[LayoutCell]]]:
    spec = schema.table_schema("active")
    body: list[list[LayoutCell]] = []
    groups: dict[str, list[str]] = {}
    for row, row_spec in spec["rows"].items():
        groups.setdefault(row_spec["group"], []).append(row)
    for group, rows in groups.items():
        columns = schema.column_keys("active", rows[0])
        body.append([_th(group, "colgroup", colspan=4)])
        header = [_th("信息内容", "col")]
        span = 3 if len(columns) == 1 else 1
        header += [_th(schema.column_label("active", c), "col", colspan=span) for c in columns]
        body.append(header)
        for row in rows:
            cells = [_th(schema.row_label("active", row), "row")]
            cells += [_data(report, "active", row, c, marks, colspan=span) for c in columns]
            body.append(cells)
    return [], body


_REQUEST_GROUPS = {
    "3.3": "（三）不予公开",
    "3.4": "（四）无法提供",
    "3.5": "（五）不予处理",
    "3.6": "（六）其他处理",
}


def _requests(report: Report, marks: dict) -> tuple[list[list[LayoutCell]], list[list[LayoutCell]]]:
    columns = schema.column_keys("requests")
    legal = [c for c in columns if schema.table_schema("requests")["columns"][c].get("group") == "法人或其他组织"]
    head = [
        [
            _th("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "col", colspan=3, rowspan=3),
            _th("申请人情况", "colgroup", colspan=len(columns)),
        ],
        [
            _th("自然人", "col", rowspan=2),
            _th("法人或其他组织", "colgroup", colspan=len(legal)),
            _th("总计", "col", rowspan=2),
        ],
        [_th(schema.column_label("requests", c), "col") for c in legal],
    ]
    rows = schema.row_keys("requests")
    result_rows = [r for r in rows if r.startswith("3.")]
    body: list[list[LayoutCell]] = []
    seen_groups: set[str] = set()
    for row in rows:
        label = schema.row_label("requests", row)
        cells: list[LayoutCell] = []
        if row == result_rows[0]:
            cells.append(_th("三、本年度办理结果", "rowgroup", rowspan=len(result_rows)))
        group = row[:3] if row.count(".") == 2 else None
        if row not in result_rows:
            cells.append(_th(label, "row", colspan=3))
        elif group and group in _REQUEST_GROUPS:
            if group not in seen_groups:
                seen_groups.add(group)
                size = sum(1 for r in result_rows if r.startswith(group + "."))
                cells.append(_th(_REQUEST_GROUPS[group], "rowgroup", rowspan=size))
            cells.append(_th(label, "row"))
        else:
            cells.append(_th(label, "row", colspan=2))
        cells += [_data(report, "requests", row, c, marks) for c in columns]
        body.append(cells)
    return head, body


def _review(report: Report, marks: dict) -> tuple[list[list[LayoutCell]], list[list[LayoutCell]]]:
    columns = schema.column_keys("review_litigation")
    labels = [schema.column_label("review_litigation", c) for c in columns]
    n = len(columns)
    head = [
        [_th("行政复议", "colgroup", colspan=n), _th("行政诉讼", "colgroup", colspan=2 * n)],
        [
            *(_th(label, "col", rowspan=2) for label in labels),
            _th("未经复议直接起诉", "colgroup", colspan=n),
            _th("复议后起诉", "colgroup", colspan=n),
        ],
        [*(_th(label, "col") for label in labels), *(_th(label, "col") for label in labels)],
    ]
    body = [
        [
            _data(report, "review_litigation", row, c, marks)
            for row in ("review", "litigation_direct", "litigation_after_review")
            for c in columns
        ]
    ]
    return head, body
