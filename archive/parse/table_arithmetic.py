"""The tables' own arithmetic as equations over cells: Σ left = Σ right.

These are the schema's consistency rules within one report (``consistency_rules`` of schema.json),
written once as data so that whatever needs them (splitting digits printed run together) reads
the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from archive.schema import column_keys, row_keys

CellKey = tuple[str, str]  # (row, column)

PERSON_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other")
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
OTHER_HANDLING_ROW = "3.6"
"""（六）其他处理 printed as one row (the 2019 format) in place of its three rows."""


@dataclass(frozen=True)
class Equation:
    """Σ ``left`` = Σ ``right`` over cells of one table; ``code`` names the schema's rule."""

    code: str
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]

    @property
    def rows(self) -> frozenset[str]:
        return frozenset(row for row, _ in (*self.left, *self.right))


@cache
def equations(table: str) -> tuple[Equation, ...]:
    """Every equation the table's own figures must satisfy (none for table 二); table 三's results
    total twice, over the three rows of （六）其他处理 and over the one row the 2019 format prints."""
    if table == "requests":
        return _requests()
    if table == "review_litigation":
        return tuple(
            Equation("review_litigation_total", ((row, "total"),), tuple((row, part) for part in REVIEW_PARTS))
            for row in REVIEW_ROWS
        )
    return ()


def _requests() -> tuple[Equation, ...]:
    rows = row_keys("requests")
    results = tuple(r for r in rows if r.startswith("3.") and r != "3.7")
    printed_2019 = tuple(r for r in results if not r.startswith(OTHER_HANDLING_ROW + ".")) + (OTHER_HANDLING_ROW,)
    out = [
        Equation("requests_row_total", ((row, "total"),), tuple((row, c) for c in PERSON_COLUMNS))
        for row in (*rows, OTHER_HANDLING_ROW)
    ]
    for column in column_keys("requests"):
        out.append(Equation("requests_results_total", (("3.7", column),), tuple((r, column) for r in results)))
        out.append(Equation("requests_results_total", (("3.7", column),), tuple((r, column) for r in printed_2019)))
        out.append(Equation("requests_balance", (("1", column), ("2", column)), (("3.7", column), ("4", column))))
    return tuple(out)
