"""Read a Word (.docx) report: paragraphs and tables in document order, merged cells expanded."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from archive.errors import ReadError
from archive.readers.document import Block, Document
from archive.readers.html import PART_HEADING, join_fragments, tidy

HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)


def read(path: Path, data: bytes, fmt: str) -> Document:
    """Read a .docx report into a Document."""
    try:
        word = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(path, "Word 文件已损坏或不是 .docx 格式，无法打开") from exc
    blocks = list(body_blocks(word))
    title = tidy(word.core_properties.title or "") or None
    return Document(blocks=blocks, source=str(path), source_format="docx", title=title)


def body_blocks(word: WordDocument) -> list[Block]:
    blocks: list[Block] = []
    for child in word.element.body.iterchildren():
        if child.tag == qn("w:p"):
            block = paragraph_block(Paragraph(child, word))
            if block:
                blocks.append(block)
        elif child.tag == qn("w:tbl"):
            rows = table_grid(child)
            if rows:
                blocks.append(Block("table", rows=rows))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            for inner in content if content is not None else []:
                if inner.tag == qn("w:p"):
                    block = paragraph_block(Paragraph(inner, word))
                    if block:
                        blocks.append(block)
    return blocks


def heading_level(paragraph: Paragraph) -> int | None:
    """The outline level a paragraph's style or own properties give it, 1-based."""
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        outline = p_pr.find(qn("w:outlineLvl"))
        if outline is not None and outline.get(qn("w:val"), "").isdigit() and int(outline.get(qn("w:val"))) < 9:
            return int(outline.get(qn("w:val"))) + 1
    style = paragraph.style
    while style is not None:
        match = HEADING_STYLE.search(style.name or "")
        if match:
            return int(match.group(1))
        if style.name and style.name.lower() == "title":
            return 1
        outline = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is not None and outline.get(qn("w:val"), "").isdigit() and int(outline.get(qn("w:val"))) < 9:
            return int(outline.get(qn("w:val"))) + 1
        style = style.base_style
    return None


def paragraph_block(paragraph: Paragraph) -> Block | None:
    text = tidy(paragraph.text)
    if not text:
        return None
    level = heading_level(paragraph)
    if level is not None:
        return Block("heading", text=text, level=level)
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold for r in runs) and len(text) <= 40
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if bold or (PART_HEADING.match(text) and len(text) <= 40) or (numbered and len(text) <= 40):
        return Block("heading", text=text)
    return Block("paragraph", text=text)


def cell_text(tc: _Element) -> str:
    parts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
    return tidy(join_fragments(parts))


def table_grid(tbl: _Element) -> list[list[str]]:
    """A table's grid: gridSpan repeated across, vMerge continued down, nested tables flattened."""
    grid: list[list[str]] = []
    merging: dict[int, str] = {}
    for tr in tbl.findall(qn("w:tr")):
        row: list[str] = []
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        if before is not None:
            row.extend([""] * int(before.get(qn("w:val"), "0")))
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
            v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            column = len(row)
            if v_merge is not None and v_merge.get(qn("w:val")) != "restart":
                text = merging.get(column, "")
            else:
                text = cell_text(tc)
                if v_merge is not None:
                    merging[column] = text
                else:
                    merging.pop(column, None)
            row.extend([text] * max(1, span))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    return grid


def read_table(table: Table) -> list[list[str]]:
    """The grid of a python-docx table object (for callers that hold one)."""
    return table_grid(table._tbl)
