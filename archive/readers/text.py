"""Plain-text and Markdown reports: lines into headings, paragraphs and table grids.

Text saved by a website crawler is read too: the crawler's header lines (标题, 发布时间, 发布机构 …)
give the title, date and publisher, and the portal's furniture around the report is cut.
"""

from __future__ import annotations

from pathlib import Path

from archive.errors import ReadError
from archive.readers.cleanup import clean_line, furniture_lines, paragraphs, running_headers
from archive.readers.crawl_header import read_crawl_header
from archive.readers.document import Block, Document
from archive.readers.encoding import decode
from archive.readers.markdown_blocks import markdown_blocks
from archive.readers.page_chrome import cut_page_chrome
from archive.readers.text_grid import find_table_runs

# An annual report's text is 10-200 KB; a text file this big is a log or a dump, not a report,
# and reading it would hold up an ingest for minutes.
MAX_TEXT_BYTES = 16 * 1024 * 1024


def read(path: Path, data: bytes, fmt: str) -> Document:
    """A .txt or .md report as a ``Document``; the encoding is detected from the bytes."""
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(
            path,
            f"文件太大（{len(data) / 1024 / 1024:.1f} MB）：文本格式的年度报告通常不到 1 MB，"
            f"超过 {MAX_TEXT_BYTES // 1024 // 1024} MB 的文本文件不作为报告读取",
        )
    text, encoding = decode(path, data)
    lines = text.replace("\f", "\n\n").split("\n")
    header = read_crawl_header(lines)
    if header is not None:
        lines = ([header.body_start] if header.body_start else []) + lines[header.lines :]
    lines, chrome = cut_page_chrome(lines)
    blocks = _blocks(lines, markdown=fmt == "md")
    notes = ["encoding_damaged"] if "\ufffd" in text else []
    return Document(
        blocks=blocks,
        source=str(path),
        source_format=fmt,
        encoding=encoding,
        title=header.title if header else None,
        date=(header.date if header else None) or chrome.date,
        publisher=(header.publisher if header else None) or chrome.publisher,
        notes=notes,
    )


def _blocks(lines: list[str], markdown: bool) -> list[Block]:
    """Table grids where the lines lay a table out (tabs, one cell per line), text blocks around them.

    In Markdown, pipe tables are the Markdown parser's; the tab layouts are found before it runs.
    """
    headers = running_headers(lines)
    first_text = next((i for i, line in enumerate(lines) if line.strip()), 0)
    furniture = furniture_lines(lines)
    # Page furniture inside a table (a page number between two rows) must not become a cell.
    free = [
        "" if i in furniture or (i > first_text and clean_line(line) in headers) else line
        for i, line in enumerate(lines)
    ]
    tables = find_table_runs(free, pipes=not markdown)

    def text_blocks(segment: list[str], at_top: bool) -> list[Block]:
        if markdown:
            return markdown_blocks(segment, lambda run, top: paragraphs(run, headers, top), at_top)
        return [Block("paragraph", text) for text in paragraphs(segment, headers, at_top)]

    blocks: list[Block] = []
    position = 0
    for start, end, grid in tables:
        blocks.extend(text_blocks(lines[position:start], at_top=not blocks))
        blocks.append(Block("table", rows=grid))
        position = end
    blocks.extend(text_blocks(lines[position:], at_top=not blocks))
    return blocks
