"""The intermediate form every reader produces: headings, paragraphs and table grids.

Nothing after the readers knows which file format a report came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "table"]


@dataclass
class Block:
    """One block of a document.

    A ``heading`` or ``paragraph`` has ``text``; a heading may carry the ``level`` its
    format gave it (HTML h1–h6, a Word heading style), None where the format has none.
    A ``table`` has ``rows``: a grid of cell strings, merged cells already expanded
    (the value repeated in every cell it spans), empty string for an empty cell.
    ``page`` is the page the block starts on, where the format has pages.
    ``run_together`` marks a table that was printed as running text: a row's value cells may
    hold the digits of several cells with nothing between them (``801000081``).
    ``cell_confidence``: for a table read by OCR, the engine's confidence (0–1) of each cell of
    ``rows`` (the lowest of the cell's text boxes; None for an empty cell); None for any other table.
    """

    kind: BlockKind
    text: str = ""
    level: int | None = None
    rows: list[list[str]] = field(default_factory=list)
    page: int | None = None
    run_together: bool = False
    cell_confidence: list[list[float | None]] | None = None


@dataclass
class OcrReading:
    """Which pages of a document were read by OCR, by which engine, and how sure it was on the whole."""

    engine: str
    pages: list[int]
    confidence: float  # the mean confidence of every text box read, weighted by its characters
    dpi: float | None = None  # the resolution PDF pages were rendered at; None for image files


@dataclass
class Document:
    """A report as read from one file, before any parsing.

    ``title`` and ``date`` are what the container says (an HTML <title>, a page's
    publication date, PDF metadata, a crawler's header) where the body may lack them;
    ``publisher`` is who the container says published it (a crawler's 发布机构, a page's
    来源): a hint for the agency, never more, since portals fill it carelessly. ``notes`` are
    problems the reader met that the checks turn into findings (e.g. "ocr", "encoding_damaged").
    ``ocr`` says which pages were read by OCR, where some were.
    """

    blocks: list[Block]
    source: str
    source_format: str
    encoding: str | None = None
    title: str | None = None
    date: str | None = None
    publisher: str | None = None
    notes: list[str] = field(default_factory=list)
    ocr: OcrReading | None = None

    def text_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind != "table"]

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]
