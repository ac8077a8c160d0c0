"""Scanned copies of a text PDF, made the way a scanner or a phone would: every page an image, no text layer.

Used by the OCR tests and by the OCR benchmark (``bench/ocr.py``): the text PDF is the known truth.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
from PIL import Image

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
