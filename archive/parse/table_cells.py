"""Reading one table cell: is it a number, a placeholder for "nothing" ('/', '—', '无', blank) or a label.

A cell printing two numbers apart (``1 2``, or ``17`` and ``0`` on two lines) is never read as one
number (12, 170): it stays text, its raw kept, and ``holds_two_numbers`` lets the normaliser say so.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from archive.model import Cell

# What reports print where there is no number: the cell is kept as text, never read as 0.
PLACEHOLDERS = frozenset({"", "/", "／", "\\", "-", "—", "——", "–", "－", "─", "无", "空", "×", "…", "...", "#"})
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)$")
UNIT_SUFFIX = re.compile(r"(件|个|条|项|万元|元)$")
QUOTES = "“”\"'‘’「」『』"
CACHED = 1 << 16  # cell texts repeat (labels, 0, /): the readings below are pure functions of the text


@lru_cache(maxsize=CACHED)
def compact(text: str) -> str:
    """A cell's text for comparison: NFKC (full-width → half-width), no whitespace, no quotes."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in QUOTES)


def _without_separators(text: str) -> str:
    text = text.replace(",", "")
    return UNIT_SUFFIX.sub("", text) if text and text[0].isdigit() else text


def _number_pieces(raw: str) -> list[str]:
    """The whitespace-separated pieces of a cell that are numbers on their own (``12``, ``1,234``, ``16件``)."""
    pieces = unicodedata.normalize("NFKC", raw).split()
    return [p for p in pieces if DECIMAL.match(_without_separators(compact(p)))]


@lru_cache(maxsize=CACHED)
def holds_two_numbers(raw: str) -> bool:
    """The cell prints more than one number, apart (``1 2``, ``17\\n0``): no single value can be read from it."""
    return len(_number_pieces(raw)) > 1


@lru_cache(maxsize=CACHED)
def _number_text(raw: str) -> str:
    return "" if holds_two_numbers(raw) else _without_separators(compact(raw))


def is_number(raw: str) -> bool:
    return bool(DECIMAL.match(_number_text(raw)))


def is_placeholder(raw: str) -> bool:
    return compact(raw) in PLACEHOLDERS


@lru_cache(maxsize=CACHED)
def is_value(raw: str) -> bool:
    """A cell that holds a table value: a number, numbers apart, or a printed placeholder (blank included)."""
    return is_number(raw) or is_placeholder(raw) or holds_two_numbers(raw)


def read_cell(raw: str, decimal: bool = False) -> Cell:
    """The cell for a source string: ``number`` with its value, else ``text`` with value None.

    A count column takes integers only; a decimal in it stays ``text`` (the raw kept) rather
    than being rounded into a number the report did not print. A cell holding two numbers apart
    is ``text`` too (see ``holds_two_numbers``).
    """
    raw = raw.strip()
    text = _number_text(raw)
    if decimal and DECIMAL.match(text):
        try:
            return Cell(Decimal(text), raw, "number")
        except InvalidOperation:
            return Cell(None, raw, "text")
    if INTEGER.match(text):
        return Cell(int(text), raw, "number")
    return Cell(None, raw, "text")
