"""The OCR part of a document: which pages need it, and their blocks once read.

A PDF page needs OCR when it has no text layer; an image file is all pages to read. Runs of
consecutive OCR'd pages are laid out together, so a paragraph broken by a page break is one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pypdfium2

from archive.readers.document import Block, OcrReading
from archive.readers.ocr.engine import engine_id
from archive.readers.ocr.layout import blocks_of, mean_confidence
from archive.readers.ocr.pages import ImagePages, PageSource, PdfPages
from archive.readers.ocr.run import read_pages
from archive.readers.page_bundle import BUNDLE_MAGIC, unbundle

MIN_TEXT_CHARS = 1  # a page with fewer characters in its text layer is an image of text


def pdf_pages_without_text(data: bytes) -> list[int]:
    """The pages (from 1) of a PDF that have no text layer but show something."""
    document = pypdfium2.PdfDocument(data)
    try:
        out = []
        for n in range(len(document)):
            page = document[n]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            if len(text.strip()) < MIN_TEXT_CHARS and any(True for _ in page.get_objects()):
                out.append(n + 1)
        return out
    finally:
        document.close()


def pending_pages(data: bytes, fmt: str) -> tuple[PageSource, list[int]] | None:
    """The page source and pages of a file that OCR would read (for reading them ahead, with a progress bar)."""
    if fmt == "pdf":
        pages = pdf_pages_without_text(data)
        return (PdfPages(data), pages) if pages else None
    if fmt == "image":
        files = unbundle(data) if data.startswith(BUNDLE_MAGIC) else [("", data)]
        source = ImagePages(tuple(image for _, image in files))
        return source, list(range(1, len(source.frames()) + 1))
    return None


def ocr_blocks(
    source: PageSource, pages: list[int], data: bytes, on_page: Callable[[int], object] | None = None
) -> tuple[list[Block], OcrReading]:
    """The blocks of ``pages`` read by OCR, and what says so."""
    scans = read_pages(source, pages, hashlib.sha256(data).hexdigest(), on_page)
    blocks: list[Block] = []
    run: list[int] = []
    for n in sorted(scans):
        if run and n != run[-1] + 1:
            blocks.extend(blocks_of([scans[p] for p in run]))
            run = []
        run.append(n)
    if run:
        blocks.extend(blocks_of([scans[p] for p in run]))
    dpi = float(source.dpi) if isinstance(source, PdfPages) else None
    return blocks, OcrReading(engine_id(), sorted(scans), mean_confidence(list(scans.values())), dpi)
