"""What the theme pages and the similar passages are made from, gathered report by report as the store
reads the reports: the tagged sentences, and the paragraphs of parts 一 and 五 with their words.

The ingest stored both (``archive.index.report_analysis``); sentences tagged with another themes
list than the one in use (themes.toml edited since) are tagged again here, and reports given to the
build directly (no index) are tagged and cut into words here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.corpus.similar import PARTS, Match, Passage, find_similar, text_hashes
from archive.index.report_analysis import ReportAnalysis, analyse_report, words_segmenter
from archive.model import Report
from archive.parse.passages import paragraphs
from archive.themes.config import ThemeList
from archive.themes.tagging import TaggedSentence, tag_report
from site_builder.build_cache import BuildCache


@dataclass
class ReportTexts:
    report_id: str
    sentences: list[TaggedSentence] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    paragraph_texts: dict[tuple[str, int], str] = field(default_factory=dict)
    """(anchor, paragraph number) → the paragraph's text, for the paragraphs in ``passages``."""
    sentences_digest: str = ""
    """The sentences as a digest: what a theme page shows of the report stands for it in the page's key."""


def report_texts(
    report: Report, themes: ThemeList, stored: ReportAnalysis | None, cache_dir: Path | None = None
) -> ReportTexts:
    """The report's sentences (tagged with ``themes``) and its paragraphs of parts 一 and 五."""
    if stored is None:
        stored = analyse_report(report, themes, words_segmenter(cache_dir))
    sentences = stored.sentences if stored.themes_digest == themes.digest else tag_report(report, themes)
    texts = ReportTexts(report.id, sentences, sentences_digest=_sentences_digest(sentences))
    wanted = {(p.anchor, p.number): p for p in stored.paragraphs if p.part in PARTS}
    anchors = [s.anchor for _, s in report.all_sections()]
    for _, section in report.all_sections():
        if not section.anchor or anchors.count(section.anchor) > 1:
            continue  # no page anchor of its own to link to
        for para in paragraphs(section.text):
            words = wanted.get((section.anchor, para.paragraph))
            if words is not None:
                texts.passages.append(
                    Passage(report.id, words.part, section.anchor, para.paragraph, words.words, text_hashes(words.words))
                )
                texts.paragraph_texts[(section.anchor, para.paragraph)] = para.text
    return texts


@dataclass
class CorpusViews:
    """The archive's themes and similar passages, as the pages show them."""

    themes: ThemeList = field(default_factory=ThemeList)
    sentences: dict[str, list[TaggedSentence]] = field(default_factory=dict)
    """Report id → its kept sentences (see ``archive.themes.tagging``)."""
    similar: dict[str, list[Match]] = field(default_factory=dict)
    """Report id → the matches of its paragraphs."""
    excerpts: dict[tuple[str, str, int], str] = field(default_factory=dict)
    """(report id, anchor, paragraph) → the text of each paragraph some match points to."""
    sentence_digests: dict[str, str] = field(default_factory=dict)
    """Report id → ``ReportTexts.sentences_digest``."""
    match_digests: dict[str, str] = field(default_factory=dict)
    """Report id → its matches (``similar``) as a digest, made with them (a report page's key stands on it)."""

    def matches_of(self, report_id: str) -> dict[tuple[str, int], list[Match]]:
        out: dict[tuple[str, int], list[Match]] = {}
        for match in self.similar.get(report_id, []):
            out.setdefault((match.anchor, match.number), []).append(match)
        return out


def corpus_views(
    texts: list[ReportTexts], themes: ThemeList, agency_of: Callable[[str], str], cache: BuildCache | None = None
) -> CorpusViews:
    """Similar passages across agencies (``agency_of``: report id → its agency's key) and the sentences by report.

    The similar passages are taken from ``cache`` when the paragraphs and their agencies are those
    they were found among (one changed paragraph anywhere changes what the others are nearest to)."""
    cache = cache or BuildCache(None)
    key = _passages_digest(texts, agency_of)
    found = cache.load(SIMILAR_CACHE).get(key)
    if found is None:
        similar = find_similar((p for t in texts for p in t.passages), agency_of)
        found = (similar, {report_id: _matches_digest(matches) for report_id, matches in similar.items()})
        cache.save(SIMILAR_CACHE, {key: found})
    similar, match_digests = found
    wanted = {(m.other_report, m.other_anchor, m.other_number) for matches in similar.values() for m in matches}
    excerpts = {
        (t.report_id, anchor, number): text
        for t in texts
        for (anchor, number), text in t.paragraph_texts.items()
        if (t.report_id, anchor, number) in wanted
    }
    return CorpusViews(themes, {t.report_id: t.sentences for t in texts}, similar, excerpts,
                       sentence_digests={t.report_id: t.sentences_digest for t in texts}, match_digests=match_digests)


SIMILAR_CACHE = "similar"


def _matches_digest(matches: list[Match]) -> str:
    data = json.dumps([[m.anchor, m.number, m.other_report, m.other_part, m.other_anchor, m.other_number,
                        m.similarity, m.same_text_elsewhere] for m in matches], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _sentences_digest(sentences: list[TaggedSentence]) -> str:
    data = json.dumps([s.to_list() for s in sentences], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _passages_digest(texts: list[ReportTexts], agency_of: Callable[[str], str]) -> str:
    digest = hashlib.sha256()
    for t in sorted(texts, key=lambda t: t.report_id):
        digest.update(f"\x01{t.report_id}\x00{agency_of(t.report_id)}".encode())
        for p in t.passages:
            digest.update(f"\x02{p.part}\x00{p.anchor}\x00{p.number}\x00{p.words}".encode())
    return digest.hexdigest()
