"""What the ingest works out for each report besides its index documents, stored beside its JSON.

``<generation>/analysis/<report id>.json`` holds:

* the sentences of parts 一 and 五 with their themes (``archive.themes.tagging``), and the digest
  of the themes list they were tagged with: when ``content/themes.toml`` changes, the next ingest
  tags every report again from its stored JSON (nothing is parsed again);
* every paragraph of every section cut into words by jieba (precise mode, HMM off, the domain
  dictionary and the place names, without the corpus's agency names so that a report's words do not
  depend on the other reports): the similar passages and the database's full-text table use them.

The words of a paragraph are one string, separated by single spaces; punctuation is dropped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.index.analysis import Segmenter, dictionary_key, dictionary_words
from archive.model import Report
from archive.parse.passages import paragraphs
from archive.themes.config import ThemeList
from archive.themes.tagging import TaggedSentence, tag_report

ANALYSIS_DIR = "analysis"
FORMAT = 1


@dataclass(frozen=True)
class ParagraphWords:
    """The words of paragraph ``number`` of the section with ``anchor`` (in part ``part``)."""

    part: str
    anchor: str
    number: int
    words: str

    def to_list(self) -> list[Any]:
        return [self.part, self.anchor, self.number, self.words]

    @classmethod
    def from_list(cls, data: list[Any]) -> ParagraphWords:
        part, anchor, number, words = data
        return cls(part, anchor, number, words)


@dataclass
class ReportAnalysis:
    report_id: str
    themes_digest: str
    sentences: list[TaggedSentence] = field(default_factory=list)
    paragraphs: list[ParagraphWords] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "report_id": self.report_id,
            "themes_digest": self.themes_digest,
            "sentences": [s.to_list() for s in self.sentences],
            "paragraphs": [p.to_list() for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportAnalysis:
        return cls(
            data["report_id"],
            data["themes_digest"],
            [TaggedSentence.from_list(s) for s in data["sentences"]],
            [ParagraphWords.from_list(p) for p in data["paragraphs"]],
        )


_segmenters: dict[str, Segmenter] = {}


def words_segmenter(cache_dir: Path | None = None) -> Segmenter:
    """The segmenter of the analysis: the domain dictionary and place names (the same in every ingest)."""
    words = dictionary_words()
    key = dictionary_key(words)
    found = _segmenters.get(key)
    if found is None:
        found = _segmenters[key] = Segmenter(words, cache_dir)
    return found


_MEMO_SIZE = 50_000
_memo: dict[tuple[str, str], str] = {}
"""Paragraph text → its words: boilerplate (the opening paragraph citing the 条例, 一是加强组织领导…) repeats
across reports, and a worker cuts each such paragraph once."""


def words_of(text: str, segmenter: Segmenter) -> str:
    """The text's words, separated by single spaces (punctuation dropped, lowercased)."""
    key = (segmenter.key, text)
    found = _memo.get(key)
    if found is None:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        found = _memo[key] = " ".join(word for word, _ in segmenter.cut(text))
    return found


def paragraph_words(report: Report, segmenter: Segmenter) -> list[ParagraphWords]:
    out: list[ParagraphWords] = []
    for part in report.sections:
        number = (part.part or "") if part.level == 1 else ""
        for _, section in part.walk():
            for para in paragraphs(section.text):
                out.append(ParagraphWords(number, section.anchor, para.paragraph, words_of(para.text, segmenter)))
    return out


def analyse_report(report: Report, themes: ThemeList, segmenter: Segmenter) -> ReportAnalysis:
    return ReportAnalysis(report.id, themes.digest, tag_report(report, themes), paragraph_words(report, segmenter))


def retag(analysis: ReportAnalysis, report: Report, themes: ThemeList) -> ReportAnalysis:
    """The same words, the sentences tagged with ``themes``."""
    return ReportAnalysis(analysis.report_id, themes.digest, tag_report(report, themes), analysis.paragraphs)


def analysis_path(generation: Path, report_id: str) -> Path:
    return Path(generation) / ANALYSIS_DIR / f"{report_id}.json"


def write_analysis(folder: Path, analysis: ReportAnalysis) -> None:
    out = Path(folder) / f"{analysis.report_id}.json"
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(analysis.to_dict(), ensure_ascii=False, separators=(",", ":")), "utf-8")
    os.replace(tmp, out)


def read_analysis(generation: Path, report_id: str) -> ReportAnalysis | None:
    """The stored analysis of a report, or None when there is none of this format."""
    try:
        data = json.loads(analysis_path(generation, report_id).read_text("utf-8"))
    except FileNotFoundError:
        return None
    if data.get("format") != FORMAT:
        return None
    return ReportAnalysis.from_dict(data)
