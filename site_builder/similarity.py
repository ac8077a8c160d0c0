"""How much of a part repeats last year's text: the share of this year's 8-character shingles found last year."""

from __future__ import annotations

import re

from archive.model import Report, Section
from site_builder.site import section_heading

SHINGLE = 8
NEAR_COPY = 0.8
"""At or above this share a part counts as repeating last year's text almost word for word."""

_NOISE = re.compile(r"[\s\d０-９,，.。、；;：:（）()“”\"'%％]+")


def part_texts(report: Report) -> dict[str, tuple[str, str]]:
    """Part number → (heading, the whole text of the part and its sub-sections)."""
    out: dict[str, tuple[str, str]] = {}
    for part in report.sections:
        if part.level != 1 or not part.number:
            continue
        out.setdefault(part.number, (section_heading(part), _all_text(part)))
    return out


def _all_text(section: Section) -> str:
    return "\n".join(s.heading + "\n" + s.text for _, s in section.walk())


def shingles(text: str) -> set[str]:
    text = _NOISE.sub("", text)
    if len(text) < SHINGLE:
        return {text} if text else set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def repeated_share(current: str, previous: str) -> float | None:
    """Share (0–1) of the current text found in the previous one; None when the current text is empty.

    Years and figures are ignored, so a part that only updates its numbers still counts as repeated.
    """
    now = shingles(current)
    if not now:
        return None
    return len(now & shingles(previous)) / len(now)
