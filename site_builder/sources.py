"""Where the site's reports come from: the index of the last ingest, else the content folder parsed directly."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import pickle
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from archive.checks import check_carry_over
from archive.content import content_reports, parse_content
from archive.duplicates import CODE as DUPLICATE_CODE
from archive.duplicates import add_duplicate_findings
from archive.index import store
from archive.index.report_analysis import analysis_path, read_analysis
from archive.index.store import current_generation, default_index_dir
from archive.model import Report, Section, Table
from archive.themes.config import ThemeList
from site_builder.analysis import ReportTexts, report_texts
from site_builder.build_cache import BuildCache
from site_builder.figures import KEY_FIGURES

log = logging.getLogger(__name__)

def load_reports(content_dir: Path, index_dir: Path | None = None) -> tuple[list[Report], list[str]]:
    """The parsed reports and the problems met while loading them (one line per skipped file).

    Reads the index when it holds an ingest; otherwise parses the content folder.
    """
    reports, problems, _ = content_reports(content_dir, index_dir)
    return reports, problems


class ReportStore:
    """The reports of one build, held as summaries; a report's full data is read again when a page shows it.

    A summary is a ``Report`` with what the indexes, comparisons and the search export need: the
    metadata, the findings, the sections' headings and anchors (part 五 with its text), and only
    the table rows of the key figures and of the carry-over check. At 10,000 reports the full
    tables alone would take gigabytes; the summaries take a few hundred bytes of tables each.
    """

    def __init__(
        self,
        summaries: list[Report],
        complete: set[str],
        texts: list[ReportTexts],
        source_index: Path | None = None,
        digests: dict[str, str] | None = None,
    ) -> None:
        self.summaries = summaries
        self.source_index = source_index
        self.texts = texts
        """Each report's tagged sentences and the paragraphs similar passages are looked for in (when gathered)."""
        self._complete = complete
        self._recent: OrderedDict[str, Report] = OrderedDict()
        self._digests: dict[str, str] = digests or {}
        self.summarized = len(summaries)
        """How many reports were read whole to make their summaries (the others came from the build cache)."""

    def digest(self, report: Report) -> str:
        """What the whole report is made from, as a digest: equal digests, equal full reports (before the
        findings that compare it with other reports, which its summary holds)."""
        digest = self._digests.get(report.id)
        if digest is None:
            data = json.dumps(self.full(report).to_dict(), ensure_ascii=False, sort_keys=True)
            digest = self._digests[report.id] = hashlib.sha256(data.encode("utf-8")).hexdigest()
        return digest

    def tables_complete(self, report: Report) -> bool:
        """All three tables present and every cell of them found in the source."""
        return report.id in self._complete

    def full(self, report: Report) -> Report:
        """The whole report (tables, every section's text); the last few are kept for the pages that follow."""
        cached = self._recent.get(report.id)
        if cached is not None:
            self._recent.move_to_end(report.id)
            return cached
        loaded = self._load(report.id)
        self._recent[report.id] = loaded
        if len(self._recent) > RECENT_REPORTS:
            self._recent.popitem(last=False)
        return loaded

    def _load(self, report_id: str) -> Report:
        raise NotImplementedError

    def words(self, report: Report) -> dict[tuple[str, int], str]:
        """(anchor, paragraph number) → the paragraph's words (jieba, space-separated), for the whole report."""
        from archive.index.report_analysis import paragraph_words, words_segmenter

        return {(p.anchor, p.number): p.words for p in paragraph_words(report, words_segmenter())}


RECENT_REPORTS = 8


class MemoryStore(ReportStore):
    """Reports already in memory (parsed from the content folder, or given to the build); their sentences
    are tagged and their paragraphs cut into words here."""

    def __init__(self, reports: list[Report], themes: ThemeList | None = None) -> None:
        self._reports = {r.id: r for r in reports}
        texts = [report_texts(r, themes, None) for r in reports] if themes is not None else []
        super().__init__([summarize(r) for r in reports], {r.id for r in reports if _complete(r)}, texts)

    def full(self, report: Report) -> Report:
        return self._reports[report.id]


class IndexStore(ReportStore):
    """The reports stored by the last ingest, read one at a time, with the carry-over and duplicate findings
    added as ``archive.index.store.read_reports`` adds them.

    Each report's summary and texts are taken from the build cache when the stored report, its stored
    analysis and the themes are those they were made from (``digest``); the others are read and summarized.
    """

    def __init__(self, index_dir: Path, themes: ThemeList | None = None, cache: BuildCache | None = None) -> None:
        generation = store.current_generation(index_dir)
        if generation is None:
            raise FileNotFoundError(index_dir)
        self._generation = generation
        cache = cache or BuildCache(None)
        collecting = gc.isenabled()
        gc.disable()  # millions of objects made and kept: collections as they pile up would cost more than loading
        try:
            self._load_all(generation, themes, cache)
        finally:
            if collecting:
                gc.enable()

    def _load_all(self, generation: Path, themes: ThemeList | None, cache: BuildCache) -> None:
        cached = cache.load_shards(SUMMARIES_CACHE)
        kept: dict[str, bytes] = {}
        digests: dict[str, str] = {}
        summarized = 0
        summaries: list[Report] = []
        complete: set[str] = set()
        texts: list[ReportTexts] = []
        for item in store.read_manifest(generation)["files"].values():
            report_id = item["report_id"]
            data = (generation / store.REPORTS_DIR / f"{report_id}.json").read_bytes()
            digests[report_id] = _stored_digest(generation, report_id, data)
            key = f"{digests[report_id]} {themes.digest if themes is not None else '-'}"
            entry = cached.get(key)
            if entry is None:
                entry = _summarized(json.loads(data), generation, themes)
                summarized += 1
            kept[key] = entry
            summary, report_texts_, is_complete = pickle.loads(entry)
            summaries.append(summary)
            if report_texts_ is not None:
                texts.append(report_texts_)
            if is_complete:
                complete.add(report_id)
        if summarized or kept.keys() != cached.keys():
            cache.save_shards(SUMMARIES_CACHE, kept, cached)
        del cached, kept
        summaries.sort(key=lambda r: (r.agency or "", r.year or 0, r.id))
        store.add_carry_over_findings(summaries)
        duplicates = [r for group in add_duplicate_findings(summaries) for r in group]
        self._duplicate_findings = {r.id: [f for f in r.findings if f.code == DUPLICATE_CODE] for r in duplicates}
        self._by_agency_year = {(r.agency, r.year): r for r in summaries if r.agency and r.year}
        super().__init__(summaries, complete, texts, generation.parent, digests)
        self.summarized = summarized

    def _load(self, report_id: str) -> Report:
        report = store.read_report(self._generation, report_id)
        if report.agency and report.year:
            previous = self._by_agency_year.get((report.agency, report.year - 1))
            if previous is not None:
                report.findings.extend(check_carry_over(previous, report))
        report.findings.extend(self._duplicate_findings.get(report_id, []))
        return report

    def words(self, report: Report) -> dict[tuple[str, int], str]:
        stored = read_analysis(self._generation, report.id)
        if stored is None:
            return super().words(report)
        return {(p.anchor, p.number): p.words for p in stored.paragraphs}


def _stored_digest(generation: Path, report_id: str, data: bytes) -> str:
    """The stored report (``data``) and its stored analysis (sentences and words): what its pages, summary
    and rows are made from (with the themes list, for the sentences)."""
    digest = hashlib.sha256(data)
    try:
        digest.update(analysis_path(generation, report_id).read_bytes())
    except FileNotFoundError:
        digest.update(b"\0no analysis")
    return digest.hexdigest()


def _summarized(data: dict[str, object], generation: Path, themes: ThemeList | None) -> bytes:
    """A stored report's summary, texts (None without themes) and completeness, pickled for the cache."""
    report = Report.from_dict(data)
    texts = report_texts(report, themes, read_analysis(generation, report.id)) if themes is not None else None
    return pickle.dumps((summarize(report), texts, _complete(report)), protocol=pickle.HIGHEST_PROTOCOL)


SUMMARIES_CACHE = "summaries"


def open_store(
    content_dir: Path,
    index_dir: Path | None = None,
    themes: ThemeList | None = None,
    cache: BuildCache | None = None,
) -> tuple[ReportStore, list[str]]:
    """The reports of the last ingest when the index holds one, else the content folder parsed now.

    ``themes``: the themes the sentences are shown with; None: the sentences and paragraphs of the
    reports are not gathered (``ReportStore.texts`` is empty).
    """
    if index_dir is None:
        index_dir = default_index_dir()
    if index_dir is not None and Path(index_dir).exists():
        if current_generation(Path(index_dir)) is not None:
            indexed = IndexStore(Path(index_dir), themes, cache)
            if indexed.summaries:
                return indexed, []
    reports, problems = parse_content(content_dir)
    return MemoryStore(reports, themes), problems


SUMMARY_ROWS: dict[str, set[str]] = {"requests": {"2", "4"}}
"""Table rows every summary keeps whole besides the key figures' cells: the carry-over check reads them."""


def _summary_cells() -> dict[tuple[str, str], set[str] | None]:
    """(table, row) → the columns a summary keeps (None: all of them)."""
    cells: dict[tuple[str, str], set[str] | None] = {}
    for figure in KEY_FIGURES:
        cells.setdefault((figure.table, figure.row), set())
        columns = cells[(figure.table, figure.row)]
        if columns is not None:
            columns.add(figure.column)
    for table, rows in SUMMARY_ROWS.items():
        for row in rows:
            cells[(table, row)] = None
    return cells


def summarize(report: Report) -> Report:
    """The report without what only its own page shows (see ``ReportStore``)."""
    keep = _summary_cells()
    tables = {}
    for key, table in report.tables.items():
        rows = {}
        for row, cells in table.rows.items():
            if (key, row) in keep:
                columns = keep[(key, row)]
                rows[row] = dict(cells) if columns is None else {c: v for c, v in cells.items() if c in columns}
        tables[key] = Table(key, rows)
    return replace(
        report, sections=[_outline(s) for s in report.sections], tables=tables, findings=list(report.findings)
    )


def _outline(section: Section) -> Section:
    """Headings and anchors only; part 五 keeps its text (the 问题与改进 comparison shows it)."""
    if section.level == 1 and section.part == PROBLEMS_PART:
        return section
    return Section(
        section.number, section.title, "", section.level, section.anchor, [_outline(c) for c in section.children], section.part
    )


PROBLEMS_PART = "五"


def _complete(report: Report) -> bool:
    return len(report.tables) == 3 and all(t.status == "complete" for t in report.tables.values())
