"""Reading one page image: the engine's text boxes, the skew they show, and the ruled tables.

A page scanned a little askew (a degree or two) is turned straight before its ruling lines are
looked for, and the text boxes are moved with it, so that rows and columns line up. What is kept
(``PageScan``) is everything later steps need, so that it can be cached and the image dropped.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from archive.readers.ocr.engine import TextBox, recognise
from archive.readers.ocr.rulings import RuledTable, ruled_tables

MIN_SKEW_DEGREES = 0.2  # less than this, a page is taken as straight
MAX_SKEW_DEGREES = 10.0


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


def skew_of(boxes: list[TextBox]) -> float:
    """The page's skew in degrees (positive: lines run down to the right), from the slope of its long text boxes."""
    angles = []
    for box in boxes:
        (ax, ay), (bx, by) = box.points[0], box.points[1]
        height = abs(box.points[3][1] - ay)
        if bx - ax > 4 * max(height, 1) and len(box.text) >= 4:
            angles.append(math.degrees(math.atan2(by - ay, bx - ax)))
    if len(angles) < 3:
        return 0.0
    angle = statistics.median(angles)
    return angle if MIN_SKEW_DEGREES <= abs(angle) <= MAX_SKEW_DEGREES else 0.0


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
    angle = skew_of(boxes)
    if angle:
        gray, boxes = straighten(gray, boxes, angle)
    height, width = gray.shape
    return PageScan(page, width, height, dpi, boxes, ruled_tables(gray), round(angle, 3))
