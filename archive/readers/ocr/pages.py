"""Page images to OCR: pages of a PDF rendered with pypdfium2, or image files (PNG, JPEG, TIFF frames).

A page source is small and picklable (the file's bytes, or the image paths), so the worker
processes that OCR pages in parallel each render or decode their own pages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pypdfium2
from PIL import Image, ImageSequence

RENDER_DPI = 200  # PDF pages without text are rendered at this resolution (docs/benchmarks.md: OCR)
A4_WIDTH_INCHES = 8.27
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})


@dataclass(frozen=True)
class PdfPages:
    """Pages of a PDF; ``page`` numbers count from 1."""

    data: bytes
    dpi: int = RENDER_DPI

    def image(self, page: int) -> tuple[np.ndarray, float]:
        document = pypdfium2.PdfDocument(self.data)
        try:
            bitmap = document[page - 1].render(scale=self.dpi / 72, grayscale=True)
            return bitmap_grey(bitmap.to_pil()), float(self.dpi)
        finally:
            document.close()


@dataclass(frozen=True)
class ImagePages:
    """Page images: each entry is one image file's bytes; a multi-page TIFF gives one page per frame."""

    files: tuple[bytes, ...]

    def frames(self) -> list[tuple[int, int]]:
        """(file index, frame index) of every page, in order."""
        out = []
        for n, data in enumerate(self.files):
            with Image.open(io.BytesIO(data)) as image:
                out.extend((n, frame) for frame in range(getattr(image, "n_frames", 1)))
        return out

    def image(self, page: int) -> tuple[np.ndarray, float]:
        file, frame = self.frames()[page - 1]
        with Image.open(io.BytesIO(self.files[file])) as image:
            selected = ImageSequence.Iterator(image)[frame]
            grey = bitmap_grey(selected)
            dpi = selected.info.get("dpi")
        width = grey.shape[1]
        estimated = width / A4_WIDTH_INCHES
        printed = float(dpi[0]) if dpi and dpi[0] and 50 <= float(dpi[0]) <= 1200 else estimated
        return grey, printed


PageSource = PdfPages | ImagePages


def bitmap_grey(image: Image.Image) -> np.ndarray:
    """A greyscale array of any PIL image (transparency on white)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return np.asarray(image.convert("L"))
