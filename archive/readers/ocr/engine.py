"""The OCR engine: RapidOCR with the PP-OCR Chinese models its wheel ships (nothing is downloaded).

One engine per process, made on first use. ``recognise`` takes a greyscale or colour page image
and gives every text box the engine found, with the text, the box's four corners and the engine's
confidence (0–1), none dropped: what is too uncertain to use is decided later, cell by cell.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import Any

import numpy as np

ENGINE = "RapidOCR"
MODELS = "PP-OCRv6 small"
DETECTION_SIDE = 1600
"""The page is scaled down to this longest side to find the text boxes (an A4 page at 200 dpi is 2,339
pixels high); the boxes are then read at full resolution. It takes finding boxes from 2.2 to 0.4–0.8 s
a page with the same cells read on every scan of docs/benchmarks.md; at 1,280 pixels a digit of the
rotated scan fell under the confidence threshold."""


@dataclass
class TextBox:
    """One line of text as the engine read it; ``points`` are the four corners, clockwise from top left, in pixels."""

    text: str
    points: list[tuple[float, float]]
    confidence: float

    @property
    def x0(self) -> float:
        return min(x for x, _ in self.points)

    @property
    def x1(self) -> float:
        return max(x for x, _ in self.points)

    @property
    def top(self) -> float:
        return min(y for _, y in self.points)

    @property
    def bottom(self) -> float:
        return max(y for _, y in self.points)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "points": [[round(x, 1), round(y, 1)] for x, y in self.points], "confidence": self.confidence}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextBox:
        return cls(data["text"], [(float(x), float(y)) for x, y in data["points"]], float(data["confidence"]))


def engine_id() -> str:
    """What produced a reading: engine, its version and models (part of the cache key, shown on the report page)."""
    return f"{ENGINE} {version('rapidocr')} ({MODELS}, boxes found at ≤ {DETECTION_SIDE} px)"


@cache
def _engine(threads: int) -> Any:
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.text_score": 0.0,  # keep every reading: a low-confidence digit becomes a finding, not a gap
            "Global.use_cls": False,  # pages are upright; the 180° classifier costs time and misturns digits
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.limit_type": "max",
            "Det.limit_side_len": DETECTION_SIDE,
        }
    )


def recognise(image: np.ndarray, threads: int = 1) -> list[TextBox]:
    """Every text box of ``image`` with its text and confidence, in the engine's order."""
    result = _engine(threads)(image)
    if result.boxes is None or result.txts is None:
        return []
    boxes = []
    for points, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        if text.strip():
            boxes.append(TextBox(text, [(float(x), float(y)) for x, y in points], round(float(score), 4)))
    return boxes
