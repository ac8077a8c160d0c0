"""Tables printed as running text: labels and digits with no cell separators.

A crawler that saves a page's text, or a converter that loses a table's cells, prints a table as
``规章000行政规范性文件77132470第二十条第（五）项信息内容本年处理决定数量行政许可2629…``: every row
is its label followed by its digits run together. This module cuts such text back into rows, using
the labels the schema knows: a row is a known row label and the digits after it; whatever stands
before the label is the table's header or a group label (``（三）不予公开``). The digits stay as
printed, one string per row; cutting them into cells is the table normaliser's work, which knows
the table's arithmetic (``joined_digits``).

A row's label number is often glued to the digits of the row before (``…3100000312.没有现成信息``):
a number right before ``.`` or ``、`` and a label is the label's, not the row's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from archive.parse.table_cells import compact
from archive.parse.table_labels import COLUMNS_2019, match_row, row_entries, split_numbering
from archive.schema import TABLE_KEYS, load_schema, table_schema

OPEN, CLOSE = "(（《“[【", ")）》”]】"
DIGITS = re.compile(r"\d+(?:\.\d+)?(?:[ \t]+\d+(?:\.\d+)?)*")
LABEL_NUMBER_AFTER = (".", "、", "．")
NUMBERING = re.compile(r"(?:\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、|\d{1,2}[.、])(?=[\u4e00-\u9fff])")
ARTICLE = re.compile(r"^第二十条第\([一二三四五六七八九十]+\)项")
HEADER_WORDS = ("信息内容", "申请人情况", "法人或其他组织", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
REVIEW_HEADER_WORDS = ("结果维持", "尚未审结", "未经复议直接起诉", "复议后起诉")
OTHER_HANDLING = "其他处理"
"""（六）其他处理: a group of three rows in the 2021 format, one row of its own in the 2019 format."""
SHORT_BODY = 4  # a numbered label this short ("总计", "其他") only counts with its number ("（七）总计")
MIN_ROWS = 2


@dataclass
class JoinedTable:
    """The rows of a table printed as running text: header rows (labels only) and data rows
    (the label, then the row's digits: one string, or the groups that blanks kept apart)."""

    rows: list[list[str]]
    data_rows: int
    review_line: bool = False  # it holds table 四's fifteen numbers, which are a whole table in one row
    rest: str = ""  # the text after the table, where it is not table vocabulary

    @property
    def is_table(self) -> bool:
        """Enough rows to be a table rather than a label with a figure after it."""
        return self.data_rows >= MIN_ROWS or self.review_line


@cache
def _row_forms() -> tuple[tuple[str, str], ...]:
    """(printed form, table) for every row label: with its number, and without it where the body is long
    enough to say which row it is. Longest first, so that the most specific label wins."""
    forms: set[tuple[str, str]] = set()
    for entry in row_entries():
        bodies = {entry.body, re.sub(r"\([^()]*\)$", "", entry.body)}
        for body in bodies:
            if not body:
                continue
            for number in _number_forms(entry.number):
                forms.add((number + body, entry.table))
            if len(body) >= SHORT_BODY or not entry.number:
                forms.add((body, entry.table))
    return tuple(sorted(forms, key=lambda form: -len(form[0])))


def _number_forms(number: str) -> list[str]:
    if number.endswith("."):
        return [number, number[:-1] + "、"]
    if number.endswith("、"):
        return [number, number[:-1] + "."]
    return [number] if number else []


@cache
def _header_words() -> tuple[str, ...]:
    words: set[str] = set(HEADER_WORDS)
    variants = load_schema().get("label_variants", {})
    for table in TABLE_KEYS:
        spec = table_schema(table)
        for column in spec["columns"].values():
            words.update(compact(label) for label in (column["label"], *variants.get(column["label"], ())))
        words.update(compact(row["group"]) for row in spec["rows"].values() if row.get("group"))
    words.update(compact(label) for label in COLUMNS_2019)
    return tuple(sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Piece:
    """A row's label text (compacted) and the digit groups after it; ``start``: where it begins in the text."""

    label: str
    digits: list[str]
    start: int


def pieces(text: str) -> list[Piece]:
    """Each run of digits with the text before it. Digits inside brackets are text (本年（2023）制发
    件数); a label number glued to the digits before it goes back to its label. Blanks between digits
    keep them apart (``80 1 0 0 0 0 81``); none do in ``801000081``. The last piece may have no digits."""
    out: list[Piece] = []
    label: list[str] = []
    start = 0
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in OPEN:
            depth += 1
        elif char in CLOSE and depth:
            depth -= 1
        match = DIGITS.match(text, index) if depth == 0 else None
        if match:
            groups = match.group().split()
            after = text[match.end() : match.end() + 1]
            if after in LABEL_NUMBER_AFTER and "." not in groups[-1] and not after.isdigit():
                groups[-1], number = groups[-1][:-1], groups[-1][-1]
                out.append(Piece("".join(label), [g for g in groups if g], start))
                label, start = [number], match.end() - 1
            else:
                out.append(Piece("".join(label), groups, start))
                label, start = [], match.end()
            index = match.end()
            continue
        label.append(char)
        index += 1
    if label:
        out.append(Piece("".join(label), [], start))
    return [Piece(compact(p.label), p.digits, p.start) for p in out if compact(p.label) or p.digits]


def read_joined_table(text: str) -> JoinedTable | None:
    """The rows of a table printed as running text at the start of ``text``, else None.

    The table goes on as long as its text is table vocabulary (row labels, header and group labels);
    what follows it (a sentence, a damaged label) is ``rest``. A sentence with figures in it
    (共收到申请81件。) is no table.
    """
    rows: list[list[str]] = []
    data_rows = 0
    review_line = False
    rest = ""
    for piece in pieces(text.strip()):
        header, label = _split_label(piece.label, bool(piece.digits))
        if header is None:
            rest = text.strip()[piece.start :].strip()
            break
        rows.extend([header] if header else [])
        if piece.digits:
            rows.append([label, *piece.digits])
            data_rows += 1
            review_line = review_line or not label
    if not rows:
        return None
    return JoinedTable(rows, data_rows, review_line, rest)


def _split_label(text: str, has_digits: bool) -> tuple[list[str] | None, str]:
    """(header cells, row label) of the text before a row's digits; (None, "") when it is not a table's.

    The label is the longest known row label the text ends with; failing that, what follows the last
    numbering in it (``2.其他法律行政止公开``, a letter lost) where that is close to a row's label.
    Digits without a row label are the review table's fifteen numbers: its header must stand before them.
    """
    for form, _table in _row_forms():
        if text.endswith(form):
            return _header_cells(text[: -len(form)]), form
    numbered = list(NUMBERING.finditer(text))
    if has_digits and numbered:
        label = text[numbered[-1].start() :]
        if match_row([label]) is not None:
            return _header_cells(text[: numbered[-1].start()]), label
    header = _header_cells(text)
    if header is None:
        return None, ""
    if has_digits and header and header[-1].endswith(OTHER_HANDLING):
        return header[:-1], header[-1]
    if has_digits and not any(word in "".join(header) for word in REVIEW_HEADER_WORDS):
        return None, ""
    return header, ""


def _header_cells(text: str) -> list[str] | None:
    """The header text cut into its known words; None when some of it is no table's header."""
    cells: list[str] = []
    index = 0
    while index < len(text):
        rest = text[index:]
        note = _note(rest)
        article = ARTICLE.match(rest)
        word = next((w for w in _header_words() if rest.startswith(w)), None)
        found = note or (article.group() if article else None) or word or _group_label(rest)
        if found is None:
            return None
        cells.append(found)
        index += len(found)
    return cells


def _note(text: str) -> str | None:
    """A bracketed note of the header at the start of ``text``: （本列数据的勾稽关系为：…）, （单位：万元）."""
    if not text.startswith(("(", "（")):
        return None
    close = _closing(text, 0)
    if close is None:
        return None
    inside = text[: close + 1]
    return inside if "勾稽" in inside or "单位" in inside else None


def _group_label(text: str) -> str | None:
    """A group label as printed at the start of ``text`` (（三）不予公开, 三、本年度办理结果), numbered or not."""
    for table in TABLE_KEYS:
        for row in table_schema(table)["rows"].values():
            group = row.get("group")
            if not group:
                continue
            number, body = split_numbering(group)
            for form in (*(n + body for n in _number_forms(number)), body):
                if form and text.startswith(form):
                    return form
    return None


def _closing(text: str, start: int) -> int | None:
    depth = 0
    for index in range(start, len(text)):
        if text[index] in "(（":
            depth += 1
        elif text[index] in ")）":
            depth -= 1
            if depth == 0:
                return index
    return None
