"""Lines of a page, in page coordinates, and what is made of them: paragraphs, headings, page furniture.

Shared by the readers that see a page's layout (PDF text layers, OCR of page images).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from archive.readers.document import Block
from archive.readers.html import join_fragments

PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
SENTENCE_END = ("。", "！", "？", "；", "：", "”", "）", ")", ".")
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.、．])"
)
MARGIN = 0.09  # fraction of the page height where headers and footers live


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    x0: float
    size: float
    x1: float = 0.0


def furniture(pages: list[tuple[float, list[Line]]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages (running headers and footers)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for height, lines in pages:
        seen = {
            re.sub(r"\d+", "#", ln.text)
            for ln in lines
            if ln.top < height * MARGIN or ln.bottom > height * (1 - MARGIN)
        }
        counts.update(seen)
    return {text for text, n in counts.items() if n >= max(2, len(pages) // 2 + 1)}


def is_page_furniture(line: Line, height: float, repeated: set[str]) -> bool:
    in_margin = line.top < height * MARGIN or line.bottom > height * (1 - MARGIN)
    if not in_margin:
        return False
    return bool(PAGE_NUMBER.match(line.text)) or re.sub(r"\d+", "#", line.text) in repeated


def paragraphs(lines: list[Line], body_size: float, right: float = 0.0) -> list[Block]:
    """Re-join wrapped lines into paragraphs.

    A line that stops short of the right margin ends its paragraph; a short numbered or
    larger line is a heading, and a larger line that fills the width wraps on to the next
    line of the same size (a long title over two lines).
    """
    blocks: list[Block] = []
    current: list[str] = []
    right = right or max((ln.x1 for ln in lines), default=0.0)
    wrapping_size = 0.0  # the size of a large heading line that reached the right margin

    def flush() -> None:
        if current:
            blocks.append(Block("paragraph", text=join_fragments(current)))
            current.clear()

    for line in lines:
        em = line.size or body_size or 10.0
        short = right > 0 and line.x1 < right - 1.5 * em
        large = bool(body_size) and line.size > body_size * 1.15
        numbered = HEADING_START.match(line.text) is not None
        if large and wrapping_size and abs(line.size - wrapping_size) < 0.5 and blocks and not current:
            blocks[-1].text = join_fragments([blocks[-1].text, line.text])
            wrapping_size = 0.0 if short else line.size
            continue
        wrapping_size = 0.0
        if large or (numbered and short and len(line.text) <= 40 and not line.text.endswith(SENTENCE_END[:4])):
            flush()
            blocks.append(Block("heading", text=line.text))
            wrapping_size = line.size if large and not short else 0.0
            continue
        if numbered:
            flush()
        current.append(line.text)
        if short or right == 0:
            flush()
    flush()
    return blocks
