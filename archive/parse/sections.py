"""Split a report's running text into its six parts and their sub-sections at every level.

Tables are not section text. The text before 一、 becomes a level-0 section "引言" when it is not empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from archive.model import Section
from archive.readers.document import Block
from archive.readers.numbering import PAREN, PART, Numbered, chinese_number, numbered_heading
from archive.schema import older_part, part_numbers, part_words

PREAMBLE_TITLE = "引言"
PREAMBLE_ANCHOR = "intro"

MAX_PART = 10
# Row labels of table 三 that are numbered like parts (一、本年新收…); leaked into text, they are not parts.
TABLE_ROW_WORDS = ("申请数量", "本年度办理结果", "继续办理")


def part_number_for_title(title: str) -> int | None:
    """The part an unnumbered heading names (a Markdown '## 总体情况'), or None."""
    compact = re.sub(r"\s+", "", title)
    for number, words in part_words().items():
        if any(word in compact for word in words) and len(compact) <= 30:
            return chinese_number(number)
    return None


def split_sections(blocks: Iterable[Block], skip: Iterable[int] = (), older: bool = False) -> list[Section]:
    """The report's sections: an optional preamble (level 0), then the parts (level 1) with their children.

    ``skip`` holds indexes of blocks that are not body text (the title lines). ``older``: a report from
    before 2019, whose parts are numbered and titled its own way; each keeps its title, and stands for
    the part of the 2021 format its title means (``Section.part``), where one fits.
    """
    blocks = list(blocks)
    skipped = set(skip)
    confirmed = _parts_with_official_titles(blocks, skipped)
    preamble: list[str] = []
    parts: list[Section] = []
    stack: list[tuple[int, Section]] = []
    texts: dict[int, list[str]] = {}
    last_part = 0
    part_heading_level: int | None = None

    def add_text(section: Section | None, text: str) -> None:
        if not text:
            return
        if section is None:
            preamble.append(text)
        else:
            texts.setdefault(id(section), []).append(text)

    for index, block in enumerate(blocks):
        if block.kind == "table" or index in skipped:
            continue
        text = block.text.strip()
        if not text:
            continue
        heading = _heading(block, text, part_heading_level)
        current = stack[-1][1] if stack else None
        if heading is None:
            add_text(current, text)
            continue
        if heading.rank == PART:
            if last_part < heading.value <= MAX_PART and _is_part(heading, confirmed, older):
                part = Section(heading.number, heading.title, level=1)
                parts.append(part)
                stack = [(PART, part)]
                last_part = heading.value
                if block.kind == "heading":
                    part_heading_level = block.level
                add_text(part, heading.text)
            else:
                add_text(current, text)
            continue
        if not stack:
            add_text(None, text)
            continue
        while len(stack) > 1 and stack[-1][0] >= heading.rank:
            stack.pop()
        parent = stack[-1][1]
        child = Section(heading.number, heading.title, level=parent.level + 1)
        parent.children.append(child)
        stack.append((heading.rank, child))
        add_text(child, heading.text)

    for part in parts:
        for _path, section in part.walk():
            section.text = "\n".join(texts.get(id(section), []))
    _assign_anchors(parts)
    _assign_parts(parts, older)
    if preamble:
        return [Section("", PREAMBLE_TITLE, "\n".join(preamble), level=0, anchor=PREAMBLE_ANCHOR), *parts]
    return parts


def _parts_with_official_titles(blocks: list[Block], skipped: set[int]) -> set[int]:
    """Part numbers that some heading in the report carries together with that part's title."""
    confirmed = set()
    for index, block in enumerate(blocks):
        if block.kind == "table" or index in skipped:
            continue
        heading = numbered_heading(block.text)
        if heading is not None and heading.rank == PART and part_number_for_title(heading.title) == heading.value:
            confirmed.add(heading.value)
    return confirmed


def _is_part(heading: Numbered, confirmed: set[int], older: bool) -> bool:
    """A 一、-numbered line is a part unless it is a table row, or a list item in a report whose
    real part of that number is elsewhere ("二、加强组织领导" inside 一 when 二、主动公开… follows)."""
    if any(word in heading.title for word in TABLE_ROW_WORDS):
        return False
    if older:
        return True
    named = part_number_for_title(heading.title)
    if heading.value in confirmed:
        return named == heading.value
    return named is None or named == heading.value


def _heading(block: Block, text: str, part_level: int | None) -> Numbered | None:
    """A numbered heading; or a heading block (Markdown, HTML, Word) without a number."""
    numbered = numbered_heading(text)
    if numbered is not None or block.kind != "heading":
        return numbered
    deeper = part_level is not None and block.level is not None and block.level > part_level
    part = None if deeper else part_number_for_title(text)
    if part is not None:
        return Numbered(PART, _chinese(part), part, text, "")
    return Numbered(PAREN, "", 0, text, "")


def _assign_parts(parts: list[Section], older: bool) -> None:
    """Which part of the 2021 format each part stands for: in a report of the standard formats its
    number, unless its title names another part; in an older report what its title means."""
    numbers = part_numbers()
    taken: set[str] = set()
    for section in parts:
        if older:
            part = older_part(section.title)
        else:
            named = part_number_for_title(section.title)
            part = _chinese(named) if named is not None else section.number
        section.part = part if part in numbers and part not in taken else ""
        taken.add(section.part)


def _chinese(number: int) -> str:
    return "〇一二三四五六七八九十"[number] if number <= 10 else str(number)


def _assign_anchors(parts: list[Section]) -> None:
    """p5 for part 五 (whatever parts are missing), p5-2 for its second child, and so on."""
    used: set[str] = set()

    def unique(anchor: str) -> str:
        candidate, n = anchor, 1
        while candidate in used:
            n += 1
            candidate = f"{anchor}x{n}"
        used.add(candidate)
        return candidate

    def visit(section: Section, anchor: str) -> None:
        section.anchor = unique(anchor)
        for i, child in enumerate(section.children, start=1):
            visit(child, f"{section.anchor}-{i}")

    for position, part in enumerate(parts, start=1):
        try:
            number = chinese_number(part.number)
        except ValueError:
            number = position
        visit(part, f"p{number}")
