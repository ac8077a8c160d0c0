"""Scanned copies of a text PDF, made the way a scanner or a phone would: every page an image, no text layer.

Used by the OCR tests and by the OCR benchmark (``bench/ocr.py``): the text PDF is the known truth, and
``compare_tables`` says how a scan's tables differ from it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
from PIL import Image

from archive.model import Report

KINDS = ("300dpi", "150dpi", "jpeg", "rotated")


def page_images(pdf: Path, dpi: int) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf.read_bytes())
    try:
        return [document[n].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for n in range(len(document))]
    finally:
        document.close()


def make_scan(pdf: Path, out: Path, kind: str) -> Path:
    """An image-only PDF of ``pdf``: ``300dpi``, ``150dpi``, ``jpeg`` (150 dpi, quality 35) or ``rotated`` (200 dpi, turned 1.5°)."""
    dpi = {"300dpi": 300, "150dpi": 150, "jpeg": 150, "rotated": 200}[kind]
    images = page_images(pdf, dpi)
    if kind == "rotated":
        images = [im.rotate(-1.5, resample=Image.BICUBIC, expand=False, fillcolor=255) for im in images]
    if kind == "jpeg":
        images = [_jpeg(im, 35) for im in images]
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer)


RULE_CODES = frozenset({"requests_balance", "requests_results_total", "requests_row_total", "review_litigation_total"})


@dataclass
class Accuracy:
    """How the tables of a scan's reading compare with the text layer's, cell by cell."""

    cells: int = 0  # cells the text layer has (not missing)
    equal: int = 0
    null: list[tuple[str, str, str]] = field(default_factory=list)  # no value where the text layer has one (or text)
    different: list[tuple[str, str, str]] = field(default_factory=list)  # another number than the text layer's

    @property
    def equal_share(self) -> float:
        return self.equal / self.cells if self.cells else 0.0

    @property
    def different_share(self) -> float:
        return len(self.different) / self.cells if self.cells else 0.0


def compare_tables(truth: Report, scan: Report) -> Accuracy:
    out = Accuracy()
    for key, table in truth.tables.items():
        for row, columns in table.rows.items():
            for column, cell in columns.items():
                if cell.state == "missing":
                    continue
                out.cells += 1
                read = scan.tables[key].cell(row, column)
                if read.state == cell.state and read.value == cell.value:
                    out.equal += 1
                elif read.value is None:
                    out.null.append((key, row, column))
                else:
                    out.different.append((key, row, column))
    return out


def explained(report: Report, where: tuple[str, str, str]) -> bool:
    """A cell without its value is named by a finding (its own, or a rule that could not be checked)."""
    table, row, column = where
    return any(f.table == table and (f.row in (row, None)) and (f.column in (column, None)) for f in report.findings)


def caught(report: Report, where: tuple[str, str, str]) -> bool:
    """A different number is caught by a table rule that adds up its row or column."""
    table, row, column = where
    return any(
        f.code in RULE_CODES and f.table == table and (f.row in (row, None) or f.column in (column, None))
        for f in report.findings
    )
