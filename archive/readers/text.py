"""Plain-text and Markdown reports: lines into headings, paragraphs and table grids."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from archive.errors import ReadError
from archive.parse.cleanup import clean_line, furniture_lines, paragraphs, running_headers
from archive.readers.document import Block, Document
from archive.readers.encoding import decode

TableRuns = Callable[[list[str]], list[tuple[int, int, list[list[str]]]]]

# An annual report's text is 10-200 KB; a text file this big is a log or a dump, not a report,
# and reading it would hold up an ingest for minutes.
MAX_TEXT_BYTES = 16 * 1024 * 1024

MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
MARKDOWN_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
MARKDOWN_EMPHASIS = re.compile(r"(?<![*\w])\*(?!\s)([^*\n]+?)(?<!\s)\*(?!\*)|(?<![_\w])_(?!\s)([^_\n]+?)(?<!\s)_(?!_)")
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def read(path: Path, data: bytes, fmt: str) -> Document:
    """A .txt or .md report as a ``Document``; the encoding is detected from the bytes."""
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(
            path,
            f"文件太大（{len(data) / 1024 / 1024:.1f} MB）：文本格式的年度报告通常不到 1 MB，"
            f"超过 {MAX_TEXT_BYTES // 1024 // 1024} MB 的文本文件不作为报告读取",
        )
    text, encoding = decode(path, data)
    text = text.replace("\f", "\n\n")
    lines = text.split("\n")
    markdown = fmt == "md"
    if markdown:
        lines = [_strip_markdown_inline(line) for line in lines]
    blocks = _blocks(lines, markdown)
    notes = ["encoding_damaged"] if "\ufffd" in text else []
    return Document(blocks=blocks, source=str(path), source_format=fmt, encoding=encoding, notes=notes)


def _blocks(lines: list[str], markdown: bool) -> list[Block]:
    headers = running_headers(lines)
    tables = _markdown_tables(lines) if markdown else []
    taken = {i for start, end, _ in tables for i in range(start, end)}
    first_text = next((i for i, line in enumerate(lines) if line.strip()), 0)
    furniture = furniture_lines(lines)
    # Page furniture inside a table (a page number between two rows) must not become a cell.
    free = [
        "" if i in taken or i in furniture or (i > first_text and clean_line(line) in headers) else line
        for i, line in enumerate(lines)
    ]
    tables += [run for run in _table_runs()(free) if not taken.intersection(range(run[0], run[1]))]
    tables.sort(key=lambda run: run[0])

    blocks: list[Block] = []
    position = 0
    for start, end, grid in tables:
        blocks.extend(_text_blocks(lines[position:start], markdown, headers, at_top=not blocks))
        blocks.append(Block("table", rows=grid))
        position = end
    blocks.extend(_text_blocks(lines[position:], markdown, headers, at_top=not blocks))
    return blocks


def _text_blocks(lines: list[str], markdown: bool, headers: set[str], at_top: bool) -> list[Block]:
    """Paragraph blocks, with Markdown headings as heading blocks that paragraphs never cross."""
    blocks: list[Block] = []
    pending: list[str] = []
    for line in lines:
        heading = MARKDOWN_HEADING.match(line) if markdown else None
        if heading and heading.group(2).strip():
            blocks.extend(Block("paragraph", text) for text in paragraphs(pending, headers, at_top and not blocks))
            pending = []
            blocks.append(Block("heading", heading.group(2).strip(), level=len(heading.group(1))))
        else:
            pending.append(line)
    blocks.extend(Block("paragraph", text) for text in paragraphs(pending, headers, at_top and not blocks))
    return blocks


def _strip_markdown_inline(line: str) -> str:
    line = MARKDOWN_LINK.sub(lambda m: m.group(1), line)
    return MARKDOWN_EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)


def _markdown_tables(lines: list[str]) -> list[tuple[int, int, list[list[str]]]]:
    """Pipe tables: a run of lines starting with '|' (the ---|--- rule line left out)."""
    runs: list[tuple[int, int, list[list[str]]]] = []
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("|"):
            i += 1
            continue
        start = i
        grid: list[list[str]] = []
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            if not MARKDOWN_TABLE_RULE.match(lines[i]):
                cells = lines[i].strip().strip("|").split("|")
                grid.append([cell.strip() for cell in cells])
            i += 1
        if grid:
            runs.append((start, i, grid))
    return runs


def _table_runs() -> TableRuns:
    try:
        from archive.readers.text_grid import find_table_runs
    except ImportError:
        return _tab_separated_runs
    return find_table_runs


def _tab_separated_runs(lines: list[str]) -> list[tuple[int, int, list[list[str]]]]:
    """Stand-in until the table-grid finder exists: runs of lines holding tabs, blank lines inside allowed."""
    runs: list[tuple[int, int, list[list[str]]]] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            i += 1
            continue
        start, end = i, i
        while i < len(lines) and ("\t" in lines[i] or not lines[i].strip()):
            if "\t" in lines[i]:
                end = i + 1
            i += 1
        grid = [[cell.strip() for cell in line.split("\t")] for line in lines[start:end] if line.strip()]
        if len(grid) >= 2:
            runs.append((start, end, grid))
        i = end
    return runs
