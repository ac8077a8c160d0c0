"""The site's model, filled in by the build's stages: reports, agencies and the pages to write."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.agencies import Agency
from archive.model import Report, Section
from site_builder.analysis import CorpusViews
from site_builder.build_cache import BuildCache
from site_builder.sources import ReportStore
from site_builder.urls import report_slug


@dataclass
class ReportEntry:
    """One report as the site shows it; ``report`` is its summary (``sources.summarize``): pages that
    show its tables or full text read it with ``Site.full``."""

    report: Report
    slug: str
    agency: Agency | None = None
    original_path: str | None = None
    """Where the original file is copied in the site, or None when it is not available."""

    @property
    def path(self) -> str:
        return f"reports/{self.slug}.html"

    @property
    def json_path(self) -> str:
        return f"reports/{self.slug}.json"

    @property
    def csv_path(self) -> str:
        return f"reports/{self.slug}.csv"

    @property
    def title(self) -> str:
        r = self.report
        if r.title:
            return r.title
        year = f"{r.year}年" if r.year else ""
        return f"{r.agency or '（未识别机关）'}{year}政府信息公开工作年度报告"

    @property
    def year_label(self) -> str:
        return str(self.report.year) if self.report.year else "年份不详"


@dataclass
class MadeFile:
    """A file that makes itself at the path it is given (in the staging folder): one too large to pass
    through the build piece by piece and be written a second time (the archive's database)."""

    make: Callable[[Path], None]


@dataclass
class Page:
    """One file of the site: rendered from a template with a context, or given as bytes."""

    path: str
    kind: str
    template: str | None = None
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    content: bytes | Callable[[], bytes | Iterable[bytes] | MadeFile] | None = None
    """The file's bytes, or a function that makes them (or yields them piece by piece, or gives a ``MadeFile``)
    when the page is written."""
    title: str = ""
    in_sitemap: bool = True
    key: str | Callable[[], str] | None = None
    """Everything the page shows, as text (see ``fingerprint``); None for pages always rendered again.

    ``context``, ``content`` and ``key`` may be functions, called only when the page is written:
    the build holds one page's data at a time."""

    def body(self) -> bytes | Iterable[bytes] | MadeFile:
        if callable(self.content):
            return self.content()
        return self.content or b""

    def inputs(self) -> str | None:
        return self.key() if callable(self.key) else self.key

    def values(self) -> dict[str, Any]:
        return self.context() if callable(self.context) else self.context


@dataclass
class Site:
    """Everything the pages are made from."""

    content_dir: Path
    entries: list[ReportEntry]
    agencies: list[Agency]
    store: ReportStore
    site_url: str | None = None
    load_problems: list[str] = field(default_factory=list)
    corpus: CorpusViews = field(default_factory=CorpusViews)
    """Themes and similar passages across the reports (``build._analyse``)."""
    out: Path | None = None
    """The folder the site is published in (the last build's files, read where they can be kept or updated)."""
    cache: BuildCache = field(default_factory=lambda: BuildCache(None))
    """What this build keeps for the next one (``build_cache``)."""
    report_digests: dict[str, str] = field(default_factory=dict)
    """Report id → the digest of what its page is made from (``pages.report.inputs_digest``)."""
    headings: dict[str, dict[str, str]] = field(default_factory=dict)
    """Report id → its sections' headings by anchor (``pages.report``), for the reports other pages point to."""
    standing_for: dict[int, tuple[object, str]] = field(default_factory=dict)
    """id() of a report, an entry or an agency → it and what it stands for in the keys of pages (``context_key``)."""

    @classmethod
    def from_store(cls, content_dir: Path, store: ReportStore, agencies: list[Agency]) -> Site:
        agency_of = {id(r): a for a in agencies for r in a.reports}
        entries = [ReportEntry(r, report_slug(r), agency_of.get(id(r))) for r in store.summaries]
        entries.sort(key=lambda e: (e.agency.name if e.agency else "", e.report.year or 0, e.slug))
        return cls(content_dir, entries, agencies, store)

    def full(self, report: Report) -> Report:
        """The whole report behind a summary (its tables and every section's text)."""
        return self.store.full(report)

    def entry_for(self, report: Report) -> ReportEntry:
        return self._by_id()[report.id]

    def entry_by_id(self, report_id: str) -> ReportEntry:
        return self._by_id()[report_id]

    def _by_id(self) -> dict[str, ReportEntry]:
        cache = self.__dict__.get("_entries_by_id")
        if cache is None:
            cache = {e.report.id: e for e in self.entries}
            self.__dict__["_entries_by_id"] = cache
        return cache

    def years(self) -> list[int]:
        return sorted({e.report.year for e in self.entries if e.report.year}, reverse=True)

    def entries_by_year(self) -> dict[int, list[ReportEntry]]:
        out: dict[int, list[ReportEntry]] = defaultdict(list)
        for e in self.entries:
            if e.report.year:
                out[e.report.year].append(e)
        return dict(out)

    def regions(self) -> set[tuple[str, ...]]:
        return {tuple(a.region.path) for a in self.agencies if a.region.path}

    def latest(self, count: int = 10) -> list[ReportEntry]:
        return sorted(
            self.entries,
            key=lambda e: (e.report.publication_date or f"{e.report.year or 0}-99", e.report.year or 0, e.slug),
            reverse=True,
        )[:count]


def section_anchors(report: Report) -> dict[int, str]:
    """The page anchor of each section (by ``id(section)``): its own anchor, made unique, or s1, s2… where it has none."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for index, (_, section) in enumerate(report.all_sections(), 1):
        anchor = section.anchor or f"s{index}"
        while anchor in used:
            anchor += "-x"
        used.add(anchor)
        out[id(section)] = anchor
    return out


def section_heading(section: Section) -> str:
    """The heading as printed: 一、总体情况 / （一）主动公开 / 1.标题."""
    number = section.number.strip()
    if number and number[-1] not in "）)、.．:：" and section.title:
        number += "、"
    return f"{number}{section.title}" if number else section.title


def agency_path(agency: Agency) -> str:
    return f"agencies/{agency.slug}.html"
