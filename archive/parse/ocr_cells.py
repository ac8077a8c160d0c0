"""Table cells read by OCR: the engine's confidence carried to each cell, and a doubtful number set aside.

A number read with a confidence under ``LOW_CONFIDENCE`` is not used: the cell keeps what OCR
read as its raw text, its value is None (state ``text``), and a finding names the cell, so that a
misread digit is never passed off as data. The threshold is measured (docs/benchmarks.md: OCR).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.model import Cell, Finding
from archive.schema import column_label

LOW_CONFIDENCE = 0.9


@dataclass
class RowConfidence:
    """The confidences of the cells of the rows being read, looked up by cell text in printed order."""

    pending: list[tuple[str, float]] = field(default_factory=list)

    def start_row(self, cells: list[str], confidence: list[float | None] | None, keep: bool = False) -> None:
        """A new row's cells (``keep``: its values continue those of the rows before, as the review table's may)."""
        if not keep:
            self.pending = []
        if confidence is None or len(confidence) != len(cells):
            return
        self.pending.extend((cell.strip(), sure) for cell, sure in zip(cells, confidence, strict=True) if sure is not None)

    def take(self, raw: str) -> float | None:
        """The confidence of the first cell not yet used that printed ``raw``."""
        text = raw.strip()
        for n, (cell, sure) in enumerate(self.pending):
            if cell == text:
                del self.pending[n]
                return sure
        return None


def mark(cell: Cell, confidence: float | None, where: str, table: str, row: str, column: str) -> Finding | None:
    """Give ``cell`` its OCR confidence; a number read with low confidence becomes text, with a finding naming the cell.

    ``where`` names the table and row as a reader finds them ("表三（…）「…」").
    """
    if confidence is None:
        return None
    cell.ocr_confidence = confidence
    if cell.state != "number" or confidence >= LOW_CONFIDENCE:
        return None
    cell.value = None
    cell.state = "text"
    return Finding(
        "ocr_low_confidence",
        "warning",
        f"{where}行「{column_label(table, column)}」列：文字识别（OCR）读作「{cell.raw}」，"
        f"置信度 {confidence:.0%} 低于 {LOW_CONFIDENCE:.0%}，不作为数值（记为空，不按 0 计），请对照原件核实。",
        table=table,
        row=row,
        column=column,
    )
