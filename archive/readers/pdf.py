"""Read a PDF: text in reading order, tables from their ruling lines, page furniture dropped."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from archive.errors import ReadError
from archive.readers.document import Block, Document
from archive.readers.html import join_fragments, tidy
from archive.readers.ocr.pages import PdfPages
from archive.readers.ocr.reading import ocr_blocks
from archive.readers.page_lines import Line, furniture, is_page_furniture, paragraphs

# Fonts (Noto CJK as Chromium embeds it, some WPS exports) map common characters to radical code points.
# Kangxi radicals are NFKC-mapped, except the door radical, whose simplified Chinese glyph is 户, not 戶.
RADICAL_SUPPLEMENT = str.maketrans(
    "⼾⺁⺇⺎⺟⺠⺩⺬⻄⻅⻆⻉⻋⻑⻓⻔⻘⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻰⻳",
    "户厂几兀母民王示西见角贝车長长门青页风飞食马骨鬼鱼鸟卤麦黄黾齐龙龟",
)
KANGXI_RADICALS = re.compile("[\u2f00-\u2fd5]")
ROW_TOLERANCE = 3.0


@dataclass
class PageTable:
    """A table found on one page: cell bboxes mapped onto the grid of their edges."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    xs: list[float]
    ys: list[float]
    cells: list[tuple[float, float, float, float, str]]  # x0, top, x1, bottom, text
    source: Page


def visible_ruling(obj: dict[str, Any]) -> bool:
    """Keep lines and stroked or thin dark rectangles; white or shaded fills are backgrounds, not rules."""
    if obj.get("object_type") != "rect":
        return True
    if obj.get("stroke"):
        return True
    thin = min(obj["width"], obj["height"]) <= 2
    colour = obj.get("non_stroking_color")
    white = colour in ((1,), [1], (1.0, 1.0, 1.0), [1.0, 1.0, 1.0], (1, 1, 1), (0, 0, 0, 0), 1)
    return thin and not white


def cluster(values: list[float], tolerance: float = ROW_TOLERANCE) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def ideographs(text: str) -> str:
    """Radical code points a font's character map gave for ordinary characters, back to the characters."""
    text = text.translate(RADICAL_SUPPLEMENT)
    return KANGXI_RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def cell_text(page: Page, bbox: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = bbox
    cropped = page.within_bbox((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5), relative=False, strict=False)
    lines = (cropped.extract_text() or "").splitlines()
    return tidy(ideographs(join_fragments(lines)))


def page_tables(page: Page, number: int) -> list[PageTable]:
    ruled = page.filter(visible_ruling)
    # A table cut by a page break often lacks its closing rule: close it where its verticals end.
    vertical_ends = sorted({round(e[k], 1) for e in ruled.edges if e["orientation"] == "v" for k in ("top", "bottom")})
    settings = {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "explicit_horizontal_lines": vertical_ends,
    }
    out: list[PageTable] = []
    for table in ruled.find_tables(settings):
        xs = cluster([v for c in table.cells for v in (c[0], c[2])])
        ys = cluster([v for c in table.cells for v in (c[1], c[3])])
        if len(xs) < 3 or len(ys) < 2:
            continue  # a frame around text, not a table
        cells = [(c[0], c[1], c[2], c[3], cell_text(page, c)) for c in table.cells]
        x0, top, x1, bottom = table.bbox
        out.append(PageTable(number, top, bottom, x0, x1, xs, ys, cells, page))
    return out


def index_of(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def grid_of(parts: list[PageTable]) -> list[list[str]]:
    """One grid from a table's parts on consecutive pages, merged cells repeated.

    Columns are the union of every part's column edges, so a part with fewer columns
    (cells spanning several) still lines up. A position no detected cell covers (its border
    is missing) continues the cell above it when that cell is one column wide; an empty cell
    at the top of a continued part repeats the label of the cell it continues.
    """
    xs = cluster([x for part in parts for x in part.xs])
    rows: list[list[str]] = []
    for number, part in enumerate(parts):
        ys = part.ys
        height, width = len(ys) - 1, len(xs) - 1
        grid: list[list[str | None]] = [[None] * width for _ in range(height)]
        owner: list[list[int]] = [[-1] * width for _ in range(height)]
        for n, (x0, top, x1, bottom, text) in enumerate(part.cells):
            c0, c1 = index_of(xs, x0), index_of(xs, x1)
            r0, r1 = index_of(ys, top), index_of(ys, bottom)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    grid[r][c] = text
                    owner[r][c] = n
        for c in range(width):
            for r in range(height):
                if grid[r][c] is not None:
                    continue
                above_single = r > 0 and owner[r - 1][c] >= 0 and spans_one_column(part, owner[r - 1][c], xs)
                if r > 0 and (above_single or owner[r - 1][c] == -2):
                    grid[r][c] = grid[r - 1][c]
                    owner[r][c] = owner[r - 1][c] if above_single else -2
                    continue
                run_end = r
                while run_end + 1 < height and grid[run_end + 1][c] is None:
                    run_end += 1
                text = text_in(part, xs[c], ys[r], xs[c + 1], ys[run_end + 1])
                for rr in range(r, run_end + 1):
                    grid[rr][c] = text
                    owner[rr][c] = -2
        if number > 0 and rows:
            carry_labels(rows[-1], grid)
        rows.extend([cell or "" for cell in row] for row in grid)
    return [row for row in rows if any(row)]


def spans_one_column(part: PageTable, n: int, xs: list[float]) -> bool:
    x0, _, x1, _, _ = part.cells[n]
    return index_of(xs, x1) - index_of(xs, x0) == 1


def text_in(part: PageTable, x0: float, top: float, x1: float, bottom: float) -> str:
    return cell_text(part.source, (x0, top, x1, bottom))


def carry_labels(previous_row: list[str], grid: list[list[str | None]]) -> None:
    """Empty cells at the top of a continued part carry on the label cell above the page break."""
    if not grid:
        return
    width = len(grid[0])
    for c in range(min(width, len(previous_row))):
        above = previous_row[c]
        if grid[0][c] or not above or re.fullmatch(r"[\d.,\s\-—/]*", above):
            continue
        empty = grid[0][c]
        r = 0
        while r < len(grid) and grid[r][c] == empty:
            grid[r][c] = above
            r += 1


def words_to_lines(page: Page, skip: list[tuple[float, float, float, float]]) -> list[Line]:
    """Words grouped into lines by their vertical middle, each line read left to right."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    words = [w for w in words if not any(inside(w, box) for box in skip)]
    groups: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2):
        middle = (word["top"] + word["bottom"]) / 2
        if groups and abs(middle - (groups[-1][0]["top"] + groups[-1][0]["bottom"]) / 2) <= ROW_TOLERANCE:
            groups[-1].append(word)
        else:
            groups.append([word])
    lines: list[Line] = []
    for group in groups:
        group.sort(key=lambda w: w["x0"])
        text = tidy(ideographs(join_fragments([w["text"] for w in group])))
        size = max(float(w.get("size") or 0) for w in group)
        lines.append(
            Line(
                text,
                min(w["top"] for w in group),
                max(w["bottom"] for w in group),
                group[0]["x0"],
                size,
                group[-1]["x1"],
            )
        )
    return lines


def inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


def read(path: Path, data: bytes, fmt: str) -> Document:
    """Read a PDF report into a Document; pages without a text layer (scans) are read by OCR."""
    if b"%%EOF" not in data[-2048:]:
        raise ReadError(path, "PDF 文件不完整（缺少文件结尾，可能下载中断或被截断）")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect):
            raise ReadError(path, "PDF 文件设有打开密码，请提供未加密的文件") from exc
        raise ReadError(path, "PDF 文件已损坏，无法打开（文件结构不完整或不是有效的 PDF）") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ReadError(path, f"PDF 文件已损坏，无法打开（{type(exc).__name__}）") from exc
    with pdf:
        title = metadata_title(pdf) or file_name_title(path)
        items: list[tuple[int, float, Any]] = []  # page, top, Line | PageTable
        page_lines: list[tuple[float, list[Line]]] = []
        sizes: Counter[float] = Counter()
        for number, page in enumerate(pdf.pages, start=1):
            tables = page_tables(page, number)
            lines = words_to_lines(page, [(t.x0, t.top, t.x1, t.bottom) for t in tables])
            page_lines.append((float(page.height), lines))
            for line in lines:
                sizes[round(line.size, 1)] += len(line.text)
            items.extend((number, t.top, t) for t in tables)
        with_tables = {i[0] for i in items}
        ocr_pages = [
            n
            for n, (_, lines) in enumerate(page_lines, start=1)
            if not lines and n not in with_tables and pdf.pages[n - 1].images
        ]
        repeated = furniture(page_lines)
        for number, (height, lines) in enumerate(page_lines, start=1):
            items.extend((number, ln.top, ln) for ln in lines if not is_page_furniture(ln, height, repeated))
        body_size = sizes.most_common(1)[0][0] if sizes else 0.0
        items.sort(key=lambda item: (item[0], item[1]))
        blocks = assemble(items, body_size)
    if not ocr_pages:
        notes = [] if blocks else ["ocr_no_text"]  # blank pages: neither text nor anything to read
        return Document(blocks=blocks, source=str(path), source_format="pdf", title=title, notes=notes)
    scanned, reading = ocr_blocks(PdfPages(data), ocr_pages, data)
    notes = ["ocr"] if any(b.text or b.rows for b in scanned) else ["ocr_no_text"]
    blocks = sorted([*blocks, *scanned], key=lambda b: b.page or 0)  # stable: each page's blocks keep their order
    return Document(blocks=blocks, source=str(path), source_format="pdf", title=title, notes=notes, ocr=reading)


def assemble(items: list[tuple[int, float, Any]], body_size: float) -> list[Block]:
    """Blocks in reading order; a table continued at the top of the next page joins the one before."""
    ends = Counter(round(i[2].x1) for i in items if isinstance(i[2], Line) and len(i[2].text) >= 15)
    right = float(ends.most_common(1)[0][0]) if ends else 0.0
    blocks: list[Block] = []
    pending_lines: list[Line] = []
    pending_page = 0
    table_parts: list[PageTable] = []

    def flush_lines() -> None:
        if pending_lines:
            for block in paragraphs(pending_lines, body_size, right):
                block.page = pending_page
                blocks.append(block)
            pending_lines.clear()

    def flush_table() -> None:
        if table_parts:
            rows = grid_of(table_parts)
            if rows:
                blocks.append(Block("table", rows=rows, page=table_parts[0].page))
            table_parts.clear()

    for page, _, item in items:
        if isinstance(item, PageTable):
            continues = (
                bool(table_parts)
                and not pending_lines
                and item.page == table_parts[-1].page + 1
                and abs(item.x0 - table_parts[-1].x0) < 6
                and abs(item.x1 - table_parts[-1].x1) < 6
            )
            if not continues:
                flush_table()
            flush_lines()
            table_parts.append(item)
            continue
        if pending_lines and page != pending_page:
            # A paragraph broken by a page break continues unless the last line ended a sentence.
            if table_parts:
                flush_lines()
        if table_parts:
            flush_table()
        pending_lines.append(item)
        pending_page = pending_page if len(pending_lines) > 1 else page
    flush_lines()
    flush_table()
    return blocks


def metadata_title(pdf: pdfplumber.PDF) -> str | None:
    """The Title of the document information dictionary, decoded from its raw bytes."""
    try:
        info = pdf.doc.info[0] if pdf.doc.info else {}
        raw = resolve1(info.get("Title"))
    except Exception:  # a broken info dictionary is no reason to lose the report
        return None
    if isinstance(raw, bytes):
        raw = decode_pdf_string(raw)
    if not isinstance(raw, str):
        return None
    return tidy(ideographs(raw.replace("\x00", ""))) or None


def file_name_title(path: Path) -> str | None:
    """A file named like a report ('某某区2024年政府信息公开工作年度报告.pdf') names it where the PDF does not."""
    stem = tidy(path.stem)
    return stem if re.search(r"[\u4e00-\u9fff]", stem) and re.search(r"报告|年报", stem) else None


def decode_pdf_string(raw: bytes) -> str:
    for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if raw.startswith(bom):
            return raw[2:].decode(codec, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
