"""How much of a part repeats last year's text: the share of this year's 8-character shingles found last year."""

from __future__ import annotations

import re

from archive.model import Report, Section
from site_builder.site import section_heading

SHINGLE = 8
NEAR_COPY = 0.8
"""At or above this share a part counts as repeating last year's text almost word for word."""
MIN_CHARS = 20
"""A part with less text than this (numbers and punctuation aside) is not judged: a one-line
"无收取信息处理费情况" or a part that is only a table repeats by nature."""

_NOISE = re.compile(r"[\s\d０-９,，.。、；;：:（）()“”\"'%％]+")


def part_texts(report: Report) -> dict[str, tuple[str, str]]:
    """Part number → (heading, the text of the part and its sub-sections, without their headings)."""
    out: dict[str, tuple[str, str]] = {}
    for part in report.sections:
        if part.level != 1 or not part.part:
            continue
        out.setdefault(part.part, (section_heading(part), _all_text(part)))
    return out


def _all_text(section: Section) -> str:
    return "\n".join(s.text for _, s in section.walk() if s.text)


def shingles(text: str) -> set[str]:
    text = _NOISE.sub("", text)
    if len(text) < SHINGLE:
        return {text} if text else set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def repeated_share(current: str, previous: str) -> float | None:
    """Share (0–1) of the current text found in the previous one; None when the current text is too short
    to judge (fewer than MIN_CHARS characters).

    Years and figures are ignored, so a part that only updates its numbers still counts as repeated.
    """
    if len(_NOISE.sub("", current)) < MIN_CHARS:
        return None
    now = shingles(current)
    return len(now & shingles(previous)) / len(now)
