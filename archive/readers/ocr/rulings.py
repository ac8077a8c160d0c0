"""Tables drawn with ruling lines, found in a page image: each table's outline and its cells.

Horizontal and vertical strokes are kept by opening the binarised page with long thin kernels;
where they meet they form tables, and the white regions they enclose are the cells (a merged cell
is one region spanning several rows or columns). A table whose outer frame is not drawn is closed
along its outermost lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

MIN_TABLE_WIDTH = 0.25  # of the page width
MIN_CELL = 0.006  # of the page width: smaller enclosed regions are the insides of thick lines or text


@dataclass
class RuledTable:
    """A table's outline and its cells, in pixels: (x0, top, x1, bottom)."""

    bbox: tuple[int, int, int, int]
    cells: list[tuple[int, int, int, int]]

    def to_dict(self) -> dict[str, Any]:
        return {"bbox": list(self.bbox), "cells": [list(c) for c in self.cells]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuledTable:
        x0, top, x1, bottom = data["bbox"]
        return cls((x0, top, x1, bottom), [(a, b, c, d) for a, b, c, d in data["cells"]])


def ruling_mask(gray: np.ndarray) -> np.ndarray:
    """The page's long horizontal and vertical strokes, white on black."""
    height, width = gray.shape
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, width // 30), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, height // 80))))
    lines = cv2.bitwise_or(horizontal, vertical)
    # close the small gaps a scan or JPEG leaves in a line, and where two lines nearly meet
    return cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def ruled_tables(gray: np.ndarray) -> list[RuledTable]:
    """The ruled tables of a greyscale page image, top to bottom."""
    height, width = gray.shape
    mask = ruling_mask(gray)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    tables: list[RuledTable] = []
    for n in range(1, count):
        x, y, w, h, _ = stats[n]
        if w < width * MIN_TABLE_WIDTH or h < width * 0.02:
            continue  # a rule under a heading, a stroke of a large character
        region = mask[y : y + h, x : x + w].copy()
        cv2.rectangle(region, (0, 0), (w - 1, h - 1), 255, 2)  # a frame not drawn is closed
        cells = enclosed_regions(region, width)
        if len(cells) < 2:
            continue
        x, y, w, h = int(x), int(y), int(w), int(h)
        tables.append(RuledTable((x, y, x + w, y + h), [(x + a, y + b, x + c, y + d) for a, b, c, d in cells]))
    return sorted(tables, key=lambda t: t.bbox[1])


def enclosed_regions(region: np.ndarray, page_width: int) -> list[tuple[int, int, int, int]]:
    """The bounding boxes of the white regions enclosed by the lines of one table."""
    inside = cv2.bitwise_not(region)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
    smallest = max(4, int(page_width * MIN_CELL))
    cells = []
    for n in range(1, count):
        x, y, w, h, _ = stats[n]
        if w >= smallest and h >= smallest:
            cells.append((int(x) - 1, int(y) - 1, int(x + w) + 1, int(y + h) + 1))
    return cells
