"""Every sentence of parts 一 (总体情况) and 五 (问题与改进) with the themes it mentions.

Kept: each sentence with one theme or more, and each sentence of part 五 with none (what the
list does not cover yet, for staff to extend it). A sentence is a piece of a section's text
ended by 。！？ or ； (``archive.parse.passages``); a theme is mentioned when one of its keywords
or patterns is found in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.model import Report
from archive.parse.passages import sentences
from archive.themes.config import ThemeList

TAGGED_PARTS = ("一", "五")
UNCOVERED_PART = "五"


@dataclass(frozen=True)
class TaggedSentence:
    """One sentence: ``section.text[start:end] == text`` for the section with ``anchor``."""

    part: str
    anchor: str
    paragraph: int
    start: int
    end: int
    text: str
    themes: tuple[str, ...]
    """The slugs of its themes, in the list's order; empty: no theme covers it."""

    def to_list(self) -> list[Any]:
        return [self.part, self.anchor, self.paragraph, self.start, self.end, self.text, list(self.themes)]

    @classmethod
    def from_list(cls, data: list[Any]) -> TaggedSentence:
        part, anchor, paragraph, start, end, text, themes = data
        return cls(part, anchor, paragraph, start, end, text, tuple(themes))


def tag_report(report: Report, themes: ThemeList) -> list[TaggedSentence]:
    """The kept sentences of the report, in reading order."""
    out: list[TaggedSentence] = []
    for part in report.sections:
        number = (part.part or "") if part.level == 1 else ""  # the part it stands for (a report before 2019 numbers its own way)
        if number not in TAGGED_PARTS:
            continue
        for _, section in part.walk():
            for sentence in sentences(section.text):
                found = tuple(t.slug for t in themes.themes if t.matches(sentence.text))
                if found or number == UNCOVERED_PART:
                    out.append(
                        TaggedSentence(
                            number, section.anchor, sentence.paragraph, sentence.start, sentence.end, sentence.text, found
                        )
                    )
    return out
