"""The key figures the site compares across agencies and years, and how a cell is shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from archive.model import Cell, Report
from archive.parse.table_cells import is_number


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    table: str
    row: str
    column: str

    def cell(self, report: Report) -> Cell:
        table = report.tables.get(self.table)
        return table.cell(self.row, self.column) if table is not None else Cell.missing()

    def value(self, report: Report) -> int | Decimal | None:
        cell = self.cell(report)
        return cell.value if cell.state == "number" else None


KEY_FIGURES: tuple[Figure, ...] = (
    Figure("received", "本年新收申请", "requests", "1", "total"),
    Figure("carried_in", "上年结转申请", "requests", "2", "total"),
    Figure("disclosed", "予以公开", "requests", "3.1", "total"),
    Figure("partly_disclosed", "部分公开", "requests", "3.2", "total"),
    Figure("not_held", "本机关不掌握", "requests", "3.4.1", "total"),
    Figure("handled", "办理结果总计", "requests", "3.7", "total"),
    Figure("carried_out", "结转下年", "requests", "4", "total"),
    Figure("normative_issued", "规范性文件制发", "active", "normative_documents", "issued"),
    Figure("normative_in_force", "现行有效规范性文件", "active", "normative_documents", "in_force"),
    Figure("penalty", "行政处罚决定", "active", "penalty", "decisions"),
    Figure("review", "行政复议", "review_litigation", "review", "total"),
    Figure("litigation_direct", "行政诉讼（直接起诉）", "review_litigation", "litigation_direct", "total"),
    Figure(
        "litigation_after_review", "行政诉讼（复议后起诉）", "review_litigation", "litigation_after_review", "total"
    ),
)

CHARTED = ("received", "handled", "normative_issued", "penalty", "review", "litigation_direct")


def figure(key: str) -> Figure:
    return next(f for f in KEY_FIGURES if f.key == key)


def format_number(value: int | Decimal | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


def cell_display(cell: Cell) -> tuple[str, str]:
    """The text and CSS class of a cell: a number, the source's own text, or 缺失 — never 0 for a gap.

    A number worked out by cutting digits printed run together is marked (``num inferred``); digits
    that could not be cut are not shown as if they were the cell's number.
    """
    if cell.state == "number" and cell.value is not None:
        return format_number(cell.value), "num inferred" if cell.inferred else "num"
    if doubtful(cell):
        return f"识别存疑（{(cell.raw or '').strip()}）", "cell-text cell-doubtful"
    if cell.state == "text":
        raw = (cell.raw or "").strip()
        if unread_digits(cell):
            return "未能拆分", "cell-text cell-unsplit"
        return (raw or "（空白）"), "cell-text"
    return "缺失", "cell-missing"


def doubtful(cell: Cell) -> bool:
    """A number OCR read with too little confidence to use: no value, its reading kept only to be checked."""
    return cell.ocr_confidence is not None and cell.state == "text" and is_number(cell.raw or "")


def ocr_title(cell: Cell) -> str | None:
    """The tooltip of a cell read by OCR: the engine's confidence."""
    return None if cell.ocr_confidence is None else f"内容由 OCR 识别，置信度 {cell.ocr_confidence:.1%}"


def unread_digits(cell: Cell) -> bool:
    """A cell of a row whose digits were printed run together and could not be cut: its raw is the
    whole row's digits, no number of this cell."""
    raw = (cell.raw or "").replace(" ", "")
    return cell.state == "text" and raw.isdigit() and not doubtful(cell)


def inferred_note(table: str, cell: Cell) -> str:
    """What a reader is told about a cell not printed on its own: how its number was found, or what the
    source printed where none could be."""
    if cell.inferred:
        how = "按位数推算" if table == "active" else "由合计推算"
        return f"{how}（原文数字连写为 {cell.raw}）"
    if unread_digits(cell):
        return f"原文数字连写为 {cell.raw}，有不止一种拆法"
    return ""


def cell_csv(cell: Cell) -> str:
    """A cell in CSV: the number, the source's text for a non-number, empty for a missing cell."""
    if cell.state == "number" and cell.value is not None:
        value = cell.value
        if isinstance(value, Decimal):
            return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        return str(value)
    if doubtful(cell):
        return f"识别存疑（{cell.raw}）"  # never a bare number a program would take for the value
    if cell.state == "text":
        return "" if unread_digits(cell) else cell.raw or ""
    return ""
