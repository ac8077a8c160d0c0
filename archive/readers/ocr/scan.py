"""Reading one page image: the engine's text boxes, the skew they show, and the ruled tables.

A page scanned a little askew (a degree or two) is turned straight before its ruling lines are
looked for, and the text boxes (read on the page as scanned: the engine reads slanted lines) are
moved with it, so that rows and columns line up. What is kept
(``PageScan``) is everything later steps need, so that it can be cached and the image dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from archive.readers.ocr.engine import TextBox, recognise
from archive.readers.ocr.rulings import RuledTable, ruled_tables

READING_VERSION = 2  # raise it when what scan_page keeps changes: cached readings of older versions are not used
MIN_SKEW_DEGREES = 0.1  # less than this, a page is taken as straight
MAX_SKEW_DEGREES = 5.0
SKEW_WIDTH = 1000


@dataclass
class PageScan:
    """What OCR read on one page: size and resolution of the image, text boxes, ruled tables."""

    page: int
    width: int
    height: int
    dpi: float
    boxes: list[TextBox] = field(default_factory=list)
    tables: list[RuledTable] = field(default_factory=list)
    skew: float = 0.0  # degrees the page was turned to make it straight

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "width": self.width,
            "height": self.height,
            "dpi": self.dpi,
            "skew": self.skew,
            "boxes": [b.to_dict() for b in self.boxes],
            "tables": [t.to_dict() for t in self.tables],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageScan:
        return cls(
            data["page"],
            data["width"],
            data["height"],
            data["dpi"],
            [TextBox.from_dict(b) for b in data["boxes"]],
            [RuledTable.from_dict(t) for t in data["tables"]],
            data.get("skew", 0.0),
        )


def skew_of(gray: np.ndarray) -> float:
    """The page's skew in degrees (positive: lines run down to the right).

    The angle that, turning the page straight, makes its rows of ink sharpest: the horizontal
    projection of the ink (text lines, table rules) has the largest variance. Searched coarsely
    over ±MAX_SKEW_DEGREES, then finely around the best angle, on the page scaled to about
    1000 pixels wide.
    """
    height, width = gray.shape
    scale = min(1.0, SKEW_WIDTH / width)
    small = cv2.resize(gray, (max(1, int(width * scale)), max(1, int(height * scale))), interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, matrix, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.05), key=sharpness)
    angle = round(float(best), 2)
    return angle if abs(angle) >= MIN_SKEW_DEGREES else 0.0


def straighten(gray: np.ndarray, boxes: list[TextBox], angle: float) -> tuple[np.ndarray, list[TextBox]]:
    """The image and its boxes turned by ``angle`` degrees about the page centre (white fills the corners)."""
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    moved = []
    for box in boxes:
        points = np.array(box.points, dtype=np.float64)
        new = points @ matrix[:, :2].T + matrix[:, 2]
        moved.append(TextBox(box.text, [(float(x), float(y)) for x, y in new], box.confidence))
    return turned, moved


def scan_page(gray: np.ndarray, page: int, dpi: float, threads: int = 1) -> PageScan:
    """OCR one greyscale page image."""
    boxes = recognise(gray, threads)
    angle = skew_of(gray)
    if angle:
        gray, boxes = straighten(gray, boxes, angle)
    height, width = gray.shape
    return PageScan(page, width, height, dpi, boxes, ruled_tables(gray), round(angle, 3))
