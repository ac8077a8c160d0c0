"""A section's text as paragraphs and sentences, each with its offsets in the text.

One definition for everything that points into a section's text: the report page gives each
paragraph an id (``{anchor}-p{n}``), similar passages and theme sentences link to it, and the
figures stated in the text are found sentence by sentence.

A paragraph is a non-blank line of ``Section.text``. A sentence ends at 。！？ or ；
(一是……；二是…… are separate points), or at the end of its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*")


@dataclass(frozen=True)
class Span:
    """A piece of a section's text: ``text == section.text[start:end]`` (blanks at either end trimmed)."""

    text: str
    start: int
    end: int
    paragraph: int
    """The number of the paragraph it is in, from 1."""


def paragraphs(text: str) -> list[Span]:
    """The non-blank lines of ``text``, numbered from 1."""
    out: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            out.append(Span(stripped, start, start + len(stripped), len(out) + 1))
        offset += len(line) + 1
    return out


def sentences(text: str) -> list[Span]:
    """The sentences of every paragraph of ``text``, in order."""
    out: list[Span] = []
    for para in paragraphs(text):
        begin = 0
        for match in _SENTENCE_END.finditer(para.text):
            _add(out, para, begin, match.end())
            begin = match.end()
        _add(out, para, begin, len(para.text))
    return out


def _add(out: list[Span], para: Span, begin: int, end: int) -> None:
    piece = para.text[begin:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    start = para.start + begin + lead
    out.append(Span(stripped, start, start + len(stripped), para.paragraph))


def paragraph_id(anchor: str, number: int) -> str:
    """The page id of paragraph ``number`` of the section with ``anchor``."""
    return f"{anchor}-p{number}"
