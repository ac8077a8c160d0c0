"""Damaged copies of a real report, the way people actually have them.

Each variant is the same report's text as something on a disk would hold it: flattened onto one
line by a crawler, with its table digits run together, converted to Markdown, under a crawler's
header and a breadcrumb, with ``正文`` on the first line. Read back, a variant must give the
original's agency, year, format and parts, and each of the original's cells or a null, never
another number: the reader's tests and ``bench/real_reports.py`` check exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from archive.model import Report
from archive.readers.document import Block, Document
from archive.readers.numbering import PAREN, PART, numbered_heading

BREADCRUMB = "当前位置：首页 > 政务公开 > 政府信息公开 > 政府信息公开年报 > 正文"
TAIL_FURNITURE = "附件下载 【打印本页】 【关闭窗口】 扫一扫在手机打开当前页"


@dataclass(frozen=True)
class Variant:
    name: str  # file-name friendly
    label: str  # what the damage is, for people
    suffix: str  # .txt or .md
    make: Callable[[Document, str], str]  # (the original, its title) → the damaged text


def _lines(document: Document, table_row: Callable[[list[str]], str], title: str, merged: bool = True) -> list[str]:
    """The report's text a block a line, its title first (a page's text shows it above the report).

    ``merged``: a label spanning several cells of a table (repeated in each by the reader) printed once,
    as the page printed it.
    """
    out: list[str] = []
    head = [b.text.strip() for b in document.blocks[:3] if b.kind != "table"]
    if title and not any(title.replace(" ", "") in text.replace(" ", "") for text in head):
        out.append(title)
    for block in document.blocks:
        if block.kind == "table":
            rows = _once(block.rows) if merged else block.rows
            out.extend(table_row(row) for row in rows)
        elif block.text.strip():
            out.append(block.text.strip())
    return out


def _once(rows: list[list[str]]) -> list[list[str]]:
    """A grid's rows with each merged cell once, as the page printed it: the reader repeats a merged
    cell in every cell it spans. A label repeating the cell on its left or above it is one; a number
    is one only where it repeats its left neighbour under a header cell that does the same."""
    out: list[list[str]] = []
    above: list[str] = []
    header: list[str] = []
    for row in rows:
        out.append([cell for i, cell in enumerate(row) if not _merged(row, i, above, header)])
        if not any(_is_number(cell) for cell in row):
            header = row
        above = row
    return out


def _merged(row: list[str], i: int, above: list[str], header: list[str]) -> bool:
    cell = row[i]
    if not cell or i == 0:
        return bool(cell) and i < len(above) and cell == above[i] and not _is_number(cell)
    if _is_number(cell):
        return cell == row[i - 1] and i < len(header) and bool(header[i]) and header[i] == header[i - 1]
    return cell == row[i - 1] or (i < len(above) and cell == above[i])


def _is_number(cell: str) -> bool:
    return cell.replace(".", "", 1).strip().isdigit()


def _tabbed(row: list[str]) -> str:
    return "\t".join(cell.replace("\n", "") for cell in row)


def _run_together(row: list[str]) -> str:
    """A table row as a crawler prints it: every cell's text with nothing between."""
    return "".join(cell.replace("\n", "").replace(" ", "") for cell in row)


def plain_text(document: Document, title: str = "") -> str:
    """The report as plain text: a block a line, table rows tab-separated."""
    return "\n".join(_lines(document, _tabbed, title, merged=False)) + "\n"


def flattened(document: Document, title: str = "") -> str:
    """The whole report on one line, as a crawler saves a page's text: blocks apart by a blank,
    table cells run together."""
    return " ".join(_lines(document, _run_together, title))


def digits_run_together(document: Document, title: str = "") -> str:
    """A block a line, but every table row with its cells run together (``规章000``)."""
    return "\n".join(_lines(document, _run_together, title)) + "\n"


def crawled(document: Document, title: str) -> str:
    """A crawler's header, then the page flattened onto one line with the portal's furniture around it."""
    return (
        _crawler_header(title)
        + f"{BREADCRUMB} {title} 来源：本站 时间：2024-01-15 10:00 字号：大 中 小 分享到： "
        + flattened(document, title)
        + f" {TAIL_FURNITURE}"
    )


def with_header(document: Document, title: str) -> str:
    """The report's lines under a crawler's header and a breadcrumb line."""
    return _crawler_header(title) + f"{BREADCRUMB}\n字号 大 中 小\n打印\n关闭\n分享到\n" + plain_text(document, title)


def zhengwen_first(document: Document, title: str = "") -> str:
    """``正文`` on the first line, as a page copied from a browser starts."""
    return "正文\n" + plain_text(document, title)


def markdown(document: Document, title: str) -> str:
    """The report as a PDF-to-Markdown converter writes it: a stray 正文, the title split over two
    ``#`` lines, parts as ``##``, sub-headings as ``###``, pipe tables, blank lines between blocks."""
    out = ["正文", ""]
    blocks = list(document.blocks)
    first = next((i for i, b in enumerate(blocks[:3]) if b.kind != "table" and b.text.strip() == title), None)
    if title:
        cut = _title_cut(title)
        out += [f"# {title[:cut]}", f"# {title[cut:]}", ""]
    if first is not None:
        del blocks[first]
    for block in blocks:
        if block.kind == "table":
            out += _pipe_table(block) + [""]
            continue
        text = block.text.strip()
        if not text:
            continue
        heading = numbered_heading(text)
        if heading is not None and heading.rank == PART and not heading.text:
            out += [f"## {text}", ""]
        elif heading is not None and heading.rank == PAREN and not heading.text:
            out += [f"### {text}", ""]
        else:
            out += [text.replace("*", "\\*").replace("_", "\\_"), ""]
    return "\n".join(out)


def markdown_bold_headings(document: Document, title: str) -> str:
    """The report as Markdown from a Word converter: headings as bold paragraphs (``**一、总体情况**``), not ``#``."""
    return re.sub(r"^#{1,6}\s*(.+)$", r"**\1**", markdown(document, title), flags=re.MULTILINE)


def bracketed_header(document: Document, title: str) -> str:
    """A crawler's header with bracketed keys (``【标题】…``), the page's text on the body key's own line."""
    return f"【标题】{title}\n【发布日期】2024-01-15\n【来源】本站\n【正文】{flattened(document, title)}\n"


def _title_cut(title: str) -> int:
    """Where a converter breaks a long title: before its year, else in the middle."""
    for index in range(1, len(title) - 4):
        if title[index : index + 4].isdigit() and title[index + 4 : index + 5] in "年 ":
            return index
    return len(title) // 2


def _pipe_table(block: Block) -> list[str]:
    width = max(len(row) for row in block.rows)
    rows = [[(cell.replace("\n", "").replace("|", "｜")) or " " for cell in row] + [" "] * (width - len(row)) for row in block.rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return lines


def _crawler_header(title: str) -> str:
    return (
        f"标题: {title}\n发布时间: 2024-01-15 10:00\n文号: \n发布机构: 本站\n栏目: 政府信息公开年报\n"
        "原文链接: https://www.example.gov.cn/zwgk/nb/t20240115_1.htm\n"
        "==================== 正文 ====================\n"
    )


VARIANTS: tuple[Variant, ...] = (
    Variant("flattened", "压成一行", ".txt", flattened),
    Variant("digits", "表格数字连写", ".txt", digits_run_together),
    Variant("markdown", "转换为 Markdown", ".md", markdown),
    Variant("header", "爬虫头部与导航", ".txt", with_header),
    Variant("zhengwen", "首行为“正文”", ".txt", zhengwen_first),
    Variant("crawled", "爬虫保存的网页文本", ".txt", crawled),
    Variant("bracketed", "括号式爬虫头部", ".txt", bracketed_header),
    Variant("bold", "Markdown 加粗标题", ".md", markdown_bold_headings),
)


@dataclass
class Comparison:
    """A variant's cells against the original's: the same number, null, or another number (never allowed)."""

    equal: int = 0
    null: int = 0
    different: list[str] | None = None  # "table row column: original → variant"

    @property
    def expected(self) -> int:
        return self.equal + self.null + len(self.different or [])


def compare_cells(original: Report, variant: Report) -> Comparison:
    """Every cell the original has a number for, and every cell the variant has one for."""
    result = Comparison(different=[])
    assert result.different is not None
    keys = {
        (table, row, column)
        for report in (original, variant)
        for table, grid in report.tables.items()
        for row, columns in grid.rows.items()
        for column in columns
    }
    for table, row, column in sorted(keys):
        want = _value(original, table, row, column)
        got = _value(variant, table, row, column)
        if want is None and got is None:
            continue
        if got is None:
            result.null += 1
        elif got == want:
            result.equal += 1
        else:
            result.different.append(f"{table} {row} {column}: {want} → {got}")
    return result


def _value(report: Report, table: str, row: str, column: str) -> object:
    grid = report.tables.get(table)
    return grid.value(row, column) if grid is not None else None
