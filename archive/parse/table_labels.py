"""Matching the labels printed in a table to the schema's rows and columns.

Printed labels differ from the official ones in many small ways: full- or half-width
brackets, spaces ("结 果 维 持"), a label split over two cells or lines, the group label
in the same cell ("（三）不予公开 1.属于国家秘密"), a number left out, an OCR typo
(本年度止件数). Labels are compared without any of that; what is left must be close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from archive.parse.table_cells import compact
from archive.schema import TABLE_KEYS, load_schema, table_schema

CHINESE_NUMERAL = "一二三四五六七八九十"
NUMBERING = re.compile(rf"^(?:\(([{CHINESE_NUMERAL}]+)\)|([{CHINESE_NUMERAL}]+)[、.]|(\d+)[.、])")
INNER_NUMBERING = re.compile(rf"(?=\([{CHINESE_NUMERAL}]+\))|(?=(?<![\d.])\d+[.、](?!\d))")
PARENTHETICAL = re.compile(r"\([^()]*\)")
MATCH_THRESHOLD = 0.75
CONTAINED_MIN_CHARS = 4  # "其他" or "总计" inside a longer label says nothing
WRONG_NUMBER_PENALTY = 0.3

# Row labels real reports print that the schema's label_variants do not list.
EXTRA_ROW_LABELS: dict[tuple[str, str], tuple[str, ...]] = {
    ("review_litigation", "review"): ("行政复议",),
    ("review_litigation", "litigation_direct"): ("未经复议直接起诉", "行政诉讼未经复议直接起诉"),
    ("review_litigation", "litigation_after_review"): ("复议后起诉", "行政诉讼复议后起诉"),
}
# Column headers of the 2019 trial format: the key they map to, or None where nothing maps.
COLUMNS_2019: dict[str, str | None] = {
    "本年新制作数量": "issued",
    "本年新公开数量": None,
    "对外公开总数量": None,
    "上一年项目数量": None,
    "本年增/减": None,
    "本年增减": None,
    "处理决定数量": "decisions",
    "采购项目数量": None,
    "采购总金额": None,
}


@dataclass(frozen=True)
class LabelEntry:
    """One way a row or column can be printed, and the schema key it stands for."""

    table: str
    key: str | None
    number: str
    body: str
    official: str


@dataclass(frozen=True)
class LabelMatch:
    entry: LabelEntry
    score: float
    text: str  # the printed text that matched

    @property
    def is_official(self) -> bool:
        """Printed as the official label, up to spacing, bracket width and a left-out number."""
        return split_numbering(self.text)[1] == split_numbering(self.entry.official)[1]


def split_numbering(text: str) -> tuple[str, str]:
    """("(一)", "予以公开") from "（一）予以公开"; numbering in one canonical form per style."""
    text = compact(text)
    found = NUMBERING.match(text)
    if not found:
        return "", text
    paren, listed, digits = found.groups()
    number = f"({paren})" if paren else f"{listed}、" if listed else f"{digits}."
    return number, text[found.end() :]


def _without_parenthetical(body: str) -> str:
    stripped = PARENTHETICAL.sub("", body)
    return stripped or body


def _variants(official: str) -> list[str]:
    return [official, *load_schema().get("label_variants", {}).get(official, [])]


@lru_cache(maxsize=1)
def row_entries() -> tuple[LabelEntry, ...]:
    entries: list[LabelEntry] = []
    for table in TABLE_KEYS:
        for key, spec in table_schema(table)["rows"].items():
            official = spec["label"]
            for text in [*_variants(official), *EXTRA_ROW_LABELS.get((table, key), ())]:
                number, body = split_numbering(text)
                entries.append(LabelEntry(table, key, number, body, official))
    return tuple(entries)


@cache
def column_entries(table: str) -> tuple[LabelEntry, ...]:
    entries: list[LabelEntry] = []
    for key, spec in table_schema(table)["columns"].items():
        for text in _variants(spec["label"]):
            entries.append(LabelEntry(table, key, "", compact(text), spec["label"]))
    if table == "active":
        for text, key in COLUMNS_2019.items():
            entries.append(LabelEntry(table, key, "", compact(text), text))
    return tuple(entries)


def score(text: str, entry: LabelEntry) -> float:
    """How well a printed text stands for an entry: 1.0 the same label, below 0.75 not it."""
    number, body = split_numbering(text)
    if not body or not entry.body:
        return 0.0
    short, official_short = _without_parenthetical(body), _without_parenthetical(entry.body)
    if body == entry.body or short == official_short:
        result = 1.0
    elif len(official_short) >= CONTAINED_MIN_CHARS and official_short in body:
        result = 0.8 + 0.2 * len(official_short) / len(body)
    elif len(short) >= CONTAINED_MIN_CHARS and short in official_short:
        result = 0.8 + 0.2 * len(short) / len(official_short)
    else:
        result = SequenceMatcher(None, short, official_short).ratio()
    if number and entry.number and number != entry.number:
        result -= WRONG_NUMBER_PENALTY
    return result


def candidate_texts(labels: list[str]) -> list[str]:
    """Every way a row's label cells may spell its label: each cell, its pieces, neighbours joined."""
    texts: list[str] = []
    for index, label in enumerate(labels):
        texts.append(label)
        for line in label.split("\n"):
            texts.extend(part for part in INNER_NUMBERING.split(compact(line)) if part)
        if index + 1 < len(labels):
            texts.append(label + labels[index + 1])
    if len(labels) > 2:
        texts.append("".join(labels))
    seen: set[str] = set()
    return [t for t in texts if t and not (t in seen or seen.add(t))]


def best_match(labels: list[str], entries: tuple[LabelEntry, ...]) -> LabelMatch | None:
    best: LabelMatch | None = None
    for text in candidate_texts(labels):
        for entry in entries:
            value = score(text, entry)
            if value >= MATCH_THRESHOLD and (best is None or value > best.score):
                best = LabelMatch(entry, value, text)
    return best


def match_row(labels: list[str]) -> LabelMatch | None:
    """The schema row that a row's label cells name, if any is close enough."""
    return _match_row(tuple(labels))


@lru_cache(maxsize=4096)
def _match_row(labels: tuple[str, ...]) -> LabelMatch | None:
    return best_match(list(labels), row_entries())


@lru_cache(maxsize=1024)
def match_column(label: str, table: str) -> LabelMatch | None:
    return best_match([label], column_entries(table))
