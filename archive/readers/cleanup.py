"""Undo what page layout does to running text: page furniture, running headers, paragraphs cut by a page break.

Works on lines of plain text, so every reader that produces lines (text, PDF) can use it.
"""

from __future__ import annotations

import re
from collections import Counter

from archive.readers.numbering import numbered_heading, starts_like_heading

PAGE_FURNITURE = (
    re.compile(r"^[-—–－_~·•\s]*\d{1,3}[-—–－_~·•\s]*$"),  # 3, - 3 -, — 3 —
    re.compile(r"^第\s*\d{1,3}\s*页\s*([,，/]?\s*共\s*\d{1,3}\s*页)?$"),  # 第 3 页, 第3页/共5页
    re.compile(r"^共\s*\d{1,3}\s*页\s*[,，]?\s*第\s*\d{1,3}\s*页$"),
    re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$"),  # 3/5
    re.compile(r"^page\s*\d{1,3}(\s*(of|/)\s*\d{1,3})?$", re.IGNORECASE),
)

# A paragraph ending in one of these is complete; one ending otherwise may go on after a page break.
SENTENCE_FINAL = ("。", "！", "？", "；", "：", "”", "!", "?", ";", ":", "…")
REPORT_TITLE = re.compile(r"(年度报告|工作报告|年报)$")
MIN_CONTINUED = 16  # a shorter line is a title, a signature or a heading, not a cut paragraph
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
SPACES = re.compile(r"[ \t\u3000\u00a0]+")


def clean_line(line: str) -> str:
    """A line without surrounding blanks, runs of blanks collapsed, Markdown bold removed."""
    line = EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)
    return SPACES.sub(" ", line).strip()


def is_page_furniture(line: str) -> bool:
    """A lone page number in any of its printed forms (a number after a tab is a table cell)."""
    if "\t" in line:
        return False
    line = line.strip()
    return bool(line) and any(p.match(line) for p in PAGE_FURNITURE)


BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def furniture_lines(lines: list[str]) -> set[int]:
    """Indexes of page furniture among lines. A bare number right next to another number or a
    tabbed line is a table cell printed one per line, not a page number."""

    def cell_like(i: int) -> bool:
        return 0 <= i < len(lines) and ("\t" in lines[i] or bool(BARE_NUMBER.match(lines[i])))

    return {
        i
        for i, line in enumerate(lines)
        if is_page_furniture(line) and not (BARE_NUMBER.match(line) and (cell_like(i - 1) or cell_like(i + 1)))
    }


def running_headers(lines: list[str], min_repeats: int = 3) -> set[str]:
    """Short lines that repeat on every page (a header or footer), not headings or sentences."""
    counts = Counter(clean_line(line) for line in lines)
    return {
        line
        for line, n in counts.items()
        if n >= min_repeats
        and 4 <= len(line) <= 40
        and not line.endswith(SENTENCE_FINAL)
        and numbered_heading(line) is None
    }


def is_continuation(previous: str, line: str) -> bool:
    """True when ``line`` goes on with the sentence that ``previous`` left unfinished."""
    return (
        len(previous) >= MIN_CONTINUED
        and not previous.endswith(SENTENCE_FINAL)
        and not REPORT_TITLE.search(previous)
        and numbered_heading(previous) is None
        and not starts_like_heading(line)
    )


def join_fragments(previous: str, line: str) -> str:
    if previous[-1:].isascii() and previous[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum():
        return f"{previous} {line}"
    return previous + line


def paragraphs(lines: list[str], drop: set[str] | None = None, at_top: bool = True) -> list[str]:
    """Lines of running text as paragraphs: furniture dropped, cut paragraphs joined.

    Each line is a paragraph of its own unless it continues the one before (a line wrap or a
    page break in the middle of a sentence); blank lines between them do not matter.
    ``drop`` holds running headers: left out everywhere but at the very top of the document
    (``at_top``: these lines open it), where a header that repeats the report's title is the title.
    """
    drop = set(drop or ())
    furniture = furniture_lines(lines)
    out: list[str] = []
    for index, raw in enumerate(lines):
        line = clean_line(raw)
        if not line or index in furniture:
            continue
        if line in drop and (out or not at_top):
            continue
        if out and is_continuation(out[-1], line):
            out[-1] = join_fragments(out[-1], line)
        else:
            out.append(line)
    return out
