"""OCR readings of pages → the blocks of a Document: headings, paragraphs and table grids.

Text boxes inside a ruled table go to the cell that holds their centre; the grid is rebuilt from
the cells' edges (a merged cell repeated in every position it spans, as every reader gives it).
The other boxes make lines (boxes side by side at the same height), in reading order; a run of
lines made of several boxes apart in the same columns is a table without rules, aligned on
those columns. Lines become paragraphs and headings as a PDF's text lines do (``page_lines``).
Coordinates are turned into points (1/72 inch) so that sizes mean what they mean in a PDF.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from archive.readers.document import Block
from archive.readers.html import join_fragments, tidy
from archive.readers.ocr.engine import TextBox
from archive.readers.ocr.rulings import RuledTable
from archive.readers.ocr.scan import PageScan
from archive.readers.page_lines import Line, furniture, is_page_furniture, paragraphs

COLUMN_GAP = 1.5  # boxes further apart than this many line heights are in different columns
MIN_ALIGNED_ROWS = 2
NUMBER = re.compile(r"^[\d,.%/\-—]+$")


@dataclass
class OcrLine(Line):
    """A line of text boxes, with the boxes kept (their gaps tell a table without rules)."""

    boxes: list[TextBox] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Grid:
    """A table rebuilt from one page: cell texts and the engine's confidence of each."""

    page: int
    top: float
    rows: list[list[str]]
    confidence: list[list[float | None]]


def cluster(values: list[float], tolerance: float) -> list[float]:
    """Values closer than ``tolerance`` to the previous one taken as one, each group at its mean."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def nearest(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def text_of(boxes: list[TextBox]) -> tuple[str, float | None]:
    """The text of boxes in one cell, read line by line, and the lowest confidence among them."""
    if not boxes:
        return "", None
    lines = group_lines(boxes)
    text = tidy(join_fragments([join_fragments([b.text for b in line]) for line in lines]))
    return text, min(b.confidence for b in boxes)


def group_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes at the same height grouped into lines, top to bottom, each left to right."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        if lines:
            line = lines[-1]
            top = statistics.median(b.top for b in line)
            bottom = statistics.median(b.bottom for b in line)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap >= 0.5 * min(bottom - top, box.bottom - box.top):
                line.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def ruled_grid(table: RuledTable, boxes: list[TextBox], scan: PageScan) -> Grid:
    """The grid of a ruled table: each text box in the cell that holds its centre."""
    tolerance = scan.dpi / 25  # about a millimetre
    xs = cluster([v for c in table.cells for v in (c[0], c[2])], tolerance)
    ys = cluster([v for c in table.cells for v in (c[1], c[3])], tolerance)
    width, height = len(xs) - 1, len(ys) - 1
    rows: list[list[str]] = [[""] * width for _ in range(height)]
    confidence: list[list[float | None]] = [[None] * width for _ in range(height)]
    for x0, top, x1, bottom in table.cells:
        inside = [b for b in boxes if x0 <= b.centre <= x1 and top <= b.middle <= bottom]
        text, sure = text_of(inside)
        for r in range(nearest(ys, top), nearest(ys, bottom)):
            for c in range(nearest(xs, x0), nearest(xs, x1)):
                rows[r][c] = text
                confidence[r][c] = sure
    kept = [n for n, row in enumerate(rows) if any(row)]
    scale = 72 / scan.dpi
    return Grid(scan.page, table.bbox[1] * scale, [rows[n] for n in kept], [confidence[n] for n in kept])


def text_lines(boxes: list[TextBox], scan: PageScan) -> list[OcrLine]:
    scale = 72 / scan.dpi
    out = []
    for line in group_lines(boxes):
        text = tidy(join_fragments([b.text for b in line]))
        if not text:
            continue
        size = statistics.median(b.bottom - b.top for b in line) * scale
        out.append(
            OcrLine(
                text,
                min(b.top for b in line) * scale,
                max(b.bottom for b in line) * scale,
                line[0].x0 * scale,
                round(size),
                line[-1].x1 * scale,
                boxes=line,
                confidence=min(b.confidence for b in line),
            )
        )
    return out


def pieces(line: OcrLine) -> list[list[TextBox]]:
    """The boxes of a line split where they stand further apart than a column gap."""
    out: list[list[TextBox]] = []
    for box in line.boxes:
        height = box.bottom - box.top
        if out and box.x0 - out[-1][-1].x1 <= COLUMN_GAP * height:
            out[-1].append(box)
        else:
            out.append([box])
    return out


def aligned_tables(lines: list[OcrLine], scan: PageScan) -> list[Grid | OcrLine]:
    """Lines in order, runs of lines laid out in the same columns (a table without rules) made into grids."""
    out: list[Grid | OcrLine] = []
    run: list[OcrLine] = []

    def flush() -> None:
        numbers = any(NUMBER.match(join_fragments([b.text for b in p])) for line in run for p in pieces(line))
        if len(run) >= MIN_ALIGNED_ROWS and numbers:
            out.append(aligned_grid(run, scan))
        else:
            out.extend(run)
        run.clear()

    for line in lines:
        if len(pieces(line)) >= 3:
            run.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return out


def aligned_grid(lines: list[OcrLine], scan: PageScan) -> Grid:
    """A table without rules: its columns are the gaps every row leaves free."""
    spans = sorted((p[0].x0, p[-1].x1) for line in lines for p in pieces(line))
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    rows: list[list[str]] = []
    confidence: list[list[float | None]] = []
    for line in lines:
        cells: list[list[TextBox]] = [[] for _ in columns]
        for piece in pieces(line):
            centre = (piece[0].x0 + piece[-1].x1) / 2
            column = min(range(len(columns)), key=lambda c: abs((columns[c][0] + columns[c][1]) / 2 - centre))
            cells[column].extend(piece)
        texts = [text_of(c) for c in cells]
        rows.append([t for t, _ in texts])
        confidence.append([s for _, s in texts])
    return Grid(scan.page, lines[0].top, rows, confidence)


def page_items(scan: PageScan) -> list[Grid | OcrLine]:
    """One page's tables and lines, top to bottom."""
    free = list(scan.boxes)
    grids = []
    for table in scan.tables:
        x0, top, x1, bottom = table.bbox
        inside = [b for b in free if x0 <= b.centre <= x1 and top <= b.middle <= bottom]
        free = [b for b in free if b not in inside]
        grids.append(ruled_grid(table, inside, scan))
    items: list[Grid | OcrLine] = [*grids, *aligned_tables(text_lines(free, scan), scan)]
    return sorted(items, key=lambda item: item.top)


def blocks_of(scans: list[PageScan]) -> list[Block]:
    """The blocks of consecutive OCR'd pages, in reading order; a paragraph may run on over a page break."""
    pages = [(scan.height * 72 / scan.dpi, page_items(scan)) for scan in scans]
    repeated = furniture([(height, [i for i in items if isinstance(i, Line)]) for height, items in pages])
    lines = [i for _, items in pages for i in items if isinstance(i, OcrLine)]
    sizes: Counter[float] = Counter()
    ends: Counter[int] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
        if len(line.text) >= 15:
            ends[round(line.x1 / 4)] += 1
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    right = ends.most_common(1)[0][0] * 4.0 + 2 if ends else 0.0
    blocks: list[Block] = []
    pending: list[OcrLine] = []
    pending_page = 0

    def flush() -> None:
        if pending:
            for block in paragraphs(list(pending), body_size, right):
                block.page = pending_page
                blocks.append(block)
            pending.clear()

    for scan, (height, items) in zip(scans, pages, strict=True):
        for item in items:
            if isinstance(item, Grid):
                flush()
                blocks.append(Block("table", rows=item.rows, page=item.page, cell_confidence=item.confidence))
            elif not is_page_furniture(item, height, repeated):
                if not pending:
                    pending_page = scan.page
                pending.append(item)
    flush()
    return blocks


def mean_confidence(scans: list[PageScan]) -> float:
    """The engine's confidence over every character it read."""
    weights = [(len(b.text), b.confidence) for s in scans for b in s.boxes]
    total = sum(w for w, _ in weights)
    return round(sum(w * c for w, c in weights) / total, 4) if total else 0.0
