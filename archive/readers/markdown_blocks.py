"""Markdown read as Markdown: the ``markdown`` package parses it, its tree gives headings, tables and paragraphs.

Headings keep their level (``#`` 1 … ``######`` 6); pipe tables become table grids; emphasis and
links are their text. A line break inside a paragraph is kept as a line, since a report converted
from a PDF puts a heading (（一）主动公开情况) on a line of its own without a blank line after it:
the lines then go through the same page-layout repair as a plain-text report's.

Numbered lines (``1. 加强领导``) are not read as a Markdown list, which would drop their number,
and indented lines are not code: a report's numbering and indentation are text.
"""

from __future__ import annotations

from collections.abc import Callable

import lxml.html
import markdown
from lxml.etree import _Element

from archive.readers.document import Block
from archive.readers.html import expand_table, tidy

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
NOT_MARKDOWN_HERE = ("olist", "ulist", "code")

Paragraphs = Callable[[list[str], bool], list[str]]


def _parser() -> markdown.Markdown:
    parser = markdown.Markdown(extensions=["tables"], output_format="html")
    for name in NOT_MARKDOWN_HERE:
        parser.parser.blockprocessors.deregister(name)
    return parser


def _tables_set_apart(lines: list[str]) -> list[str]:
    """A blank line before a pipe table that follows a line of text, so that the table starts a block
    (a converter often puts a table's caption on the line right above it)."""
    out: list[str] = []
    for line in lines:
        if line.lstrip().startswith("|") and out and out[-1].strip() and not out[-1].lstrip().startswith("|"):
            out.append("")
        out.append(line)
    return out


def markdown_blocks(lines: list[str], paragraphs: Paragraphs, at_top: bool) -> list[Block]:
    """The blocks of Markdown ``lines``. ``paragraphs`` turns a run of text lines into paragraphs
    (page furniture dropped, lines cut by a page break joined); ``at_top``: these lines open the file."""
    html = _parser().convert("\n".join(_tables_set_apart(lines)))
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        blocks.extend(Block("paragraph", text) for text in paragraphs(pending, at_top and not blocks))
        pending.clear()

    for element in root:
        if not isinstance(element.tag, str):
            continue
        if element.tag in HEADINGS:
            text = tidy(element.text_content())
            if text:
                flush()
                blocks.append(Block("heading", text, level=HEADINGS[element.tag]))
        elif element.tag == "table":
            flush()
            rows = _grid(element)
            if rows:
                blocks.append(Block("table", rows=rows))
        else:
            pending.extend(_lines(element))
            pending.append("")
    flush()
    return blocks


def _lines(element: _Element) -> list[str]:
    """The lines of a paragraph (or any other block) as the Markdown source broke them."""
    return [line.strip() for line in element.text_content().split("\n") if line.strip()]


def _grid(table: _Element) -> list[list[str]]:
    """A pipe table's grid; an HTML table some converters write into Markdown (MinerU) with its
    merged cells expanded, as the HTML reader does."""
    return expand_table(table)
