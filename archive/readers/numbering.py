"""Heading numbers as reports print them: 一、 （一） 1. 1、 ① — and how to tell a heading from a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.schema import part_titles

CHINESE_DIGITS = "〇一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Rank of each numbering style: a heading nests under the nearest heading of a lower rank.
PART, PAREN, ARABIC, CIRCLE = 1, 2, 3, 4

_PATTERNS = (
    (PART, re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*[、．.]\s*(?P<rest>.*)$")),
    (PAREN, re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十]{1,3})\s*[）)]\s*[、.．]?\s*(?P<rest>.*)$")),
    (ARABIC, re.compile(r"^(?P<num>\d{1,2})\s*(?P<sep>[.、．](?!\d))\s*(?P<rest>.*)$")),
    (ARABIC, re.compile(r"^[（(]\s*(?P<num>\d{1,2})\s*[）)]\s*(?P<rest>.*)$")),
    (CIRCLE, re.compile(rf"^(?P<num>[{CIRCLED}])\s*(?P<rest>.*)$")),
)

TITLE_END = "。：:；;"
MAX_TITLE = 50
DATE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
POINT_RUN = re.compile(r"^[一二三四五六七八九十]{1,3}是")


@dataclass(frozen=True)
class Numbered:
    """A numbered line split into its parts: ``（二）依申请公开。2023年…`` → number, title, text."""

    rank: int
    number: str  # as displayed: 一 / （一） / 1. / ①
    value: int
    title: str
    text: str  # what follows the title on the same line


def chinese_number(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (CHINESE_DIGITS.index(tens) if tens else 1) * 10 + (CHINESE_DIGITS.index(ones) if ones else 0)
    return CHINESE_DIGITS.index(numeral)


def numbered_heading(line: str) -> Numbered | None:
    """The heading a line starts with, or None when the line is not a heading.

    A heading is short and has no sentence inside; a heading may be followed by text on the
    same line after 。 or ：（"（一）收取信息处理费情况。2023年，…"）.
    """
    line = line.strip()
    for rank, pattern in _PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        rest = match.group("rest").strip()
        title, text = split_title(rest)
        if title is None and rank == PART:
            title, text = _known_part_title(rest)
        if title is None:
            return None
        raw = match.group("num")
        if rank == PART:
            number, value = raw, chinese_number(raw)
        elif rank == PAREN:
            number, value = f"（{raw}）", chinese_number(raw)
        elif rank == CIRCLE:
            number, value = raw, CIRCLED.index(raw) + 1
        else:
            sep = match.groupdict().get("sep")
            number = f"{raw}{sep}" if sep else f"（{raw}）"
            value = int(raw)
        return Numbered(rank, number, value, title, text)
    return None


def split_title(rest: str) -> tuple[str | None, str]:
    """Title and trailing text of what follows a heading number; (None, "") when it is a sentence."""
    if not rest:
        return None, ""
    cut = _first_outside_brackets(rest, TITLE_END)
    if cut is None:
        title, text = rest, ""
    else:
        title, text = rest[:cut], rest[cut + 1 :].strip()
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        return None, ""
    if _first_outside_brackets(title, "，,") is not None and len(title) > 20:
        return None, ""
    return title, text


def _known_part_title(rest: str) -> tuple[str | None, str]:
    """'总体情况2023年，我县…' run together by extraction: the official title, then the text."""
    for title in part_titles():  # official, variant and older titles (schema.json), longest first
        if rest.startswith(title):
            return title, rest[len(title) :].lstrip("。：: ")
    return None, ""


def _first_outside_brackets(text: str, chars: str) -> int | None:
    depth = 0
    for i, ch in enumerate(text):
        if ch in "（(《“":
            depth += 1
        elif ch in "）)》”" and depth:
            depth -= 1
        elif ch in chars and depth == 0:
            return i
    return None


def starts_like_heading(line: str) -> bool:
    """True for a line that begins a new unit: a numbered heading, a 一是/二是 point, a date line."""
    line = line.strip()
    return bool(numbered_heading(line) or POINT_RUN.match(line) or DATE_LINE.match(line))

