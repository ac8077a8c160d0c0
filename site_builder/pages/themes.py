"""Theme pages: an index of the themes with how many reports mention each per year; per theme a chart of
the share of reports mentioning it and every unit's sentences on it, by year and region, each linked to
its paragraph; and the sentences of part 五 that no theme covers.

A theme's sentences are cut into pages of about ``PAGE_BYTES`` (the first keeps the theme's address).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from archive.parse.passages import paragraph_id
from archive.themes.config import Theme
from archive.themes.tagging import TaggedSentence
from site_builder import charts
from site_builder.context_key import inputs_key
from site_builder.pages.compare import chunk_by_size, numbered, pager_links
from site_builder.pages.home import UNPLACED
from site_builder.site import Page, ReportEntry, Site

INDEX = "themes/index.html"
UNCOVERED = "themes/uncovered.html"
PAGE_BYTES = 90_000
"""The sentences of one page, at most (UTF-8 bytes, about): pages stay under 150 KB."""
ITEM_BYTES = 400
"""The markup of one report's entry on a theme page, about."""
PART_NAMES = {"一": "总体情况", "五": "问题与改进"}
CHART_PART = "五"


def theme_path(slug: str) -> str:
    return f"themes/{slug}.html"


def pages(site: Site) -> list[Page]:
    themes = site.corpus.themes.themes
    mentions = _mentions(site)
    out = [_index(site, mentions)]
    if not themes:
        return out  # the index says there is no themes list
    by_theme = _sentences_by_theme(site)
    for theme in themes:
        out.extend(_listing(site, _items(site, by_theme.get(theme.slug, {})), theme_path(theme.slug), theme, mentions))
    out.extend(_listing(site, _items(site, by_theme.get(None, {})), UNCOVERED, None, mentions))
    return out


def _sentences_by_theme(site: Site) -> dict[str | None, dict[str, list[TaggedSentence]]]:
    """Theme slug → report id → the report's sentences on it, in order; None: the sentences of part 五 on no theme."""
    out: dict[str | None, dict[str, list[TaggedSentence]]] = defaultdict(lambda: defaultdict(list))
    for entry in site.entries:
        for sentence in site.corpus.sentences.get(entry.report.id, []):
            for slug in sentence.themes:
                out[slug][entry.report.id].append(sentence)
            if sentence.part == "五" and not sentence.themes:
                out[None][entry.report.id].append(sentence)
    return out


# --- counting -------------------------------------------------------------------------------------


def _mentions(site: Site) -> dict[tuple[str, str, int], int]:
    """(theme slug, part, year) → how many reports of that year mention the theme in that part."""
    counts: Counter[tuple[str, str, int]] = Counter()
    for entry in site.entries:
        if not entry.report.year:
            continue
        found = {(slug, s.part) for s in site.corpus.sentences.get(entry.report.id, []) for slug in s.themes}
        for slug, part in found:
            counts[(slug, part, entry.report.year)] += 1
    return dict(counts)


def _year_rows(site: Site, slug: str, mentions: dict[tuple[str, str, int], int]) -> list[dict[str, Any]]:
    rows = []
    for year, entries in sorted(site.entries_by_year().items()):
        five, one = mentions.get((slug, "五", year), 0), mentions.get((slug, "一", year), 0)
        rows.append({"year": year, "reports": len(entries), "five": five, "one": one, "share": _share(five, len(entries))})
    return rows


def _share(count: int, total: int) -> Decimal:
    """Per cent with one decimal, rounded half up."""
    return (Decimal(100 * count) / Decimal(total)).quantize(Decimal("0.1")) if total else Decimal(0)


def _index(site: Site, mentions: dict[tuple[str, str, int], int]) -> Page:
    years = sorted(site.entries_by_year())
    rows = []
    for theme in site.corpus.themes.themes:
        by_year = {r["year"]: r for r in _year_rows(site, theme.slug, mentions)}
        rows.append({"theme": theme, "path": theme_path(theme.slug), "years": [by_year[y] for y in years]})
    uncovered = sum(1 for sentences in site.corpus.sentences.values() for s in sentences if s.part == "五" and not s.themes)
    return Page(
        INDEX,
        "themes",
        "themes_index.html",
        {
            "rows": rows,
            "years": [(y, len(site.entries_by_year()[y])) for y in years],
            "uncovered": uncovered,
            "uncovered_path": UNCOVERED,
            "source": "content/themes.toml",
            "breadcrumbs": [("index.html", "首页"), ("", "主题")],
        },
        title="问题与改进的主题",
    )


# --- listings -------------------------------------------------------------------------------------


def _items(site: Site, kept: dict[str, list[TaggedSentence]]) -> list[dict[str, Any]]:
    """One item per report with kept sentences (report id → them), ordered by year (latest first), region and agency."""
    items = []
    for report_id, sentences in kept.items():
        items.append({"entry": site.entry_by_id(report_id), "sentences": _unique(sentences)})
    items.sort(key=lambda item: (-(item["entry"].report.year or 0), _region(item["entry"]), item["entry"].slug))
    return items


def _unique(sentences: list[TaggedSentence]) -> list[TaggedSentence]:
    first: dict[str, TaggedSentence] = {}
    for sentence in sentences:
        first.setdefault(sentence.text, sentence)
    return list(first.values())


def _region(entry: ReportEntry) -> str:
    path = entry.agency.region.path if entry.agency else []
    return " › ".join(path[:2]) if path else UNPLACED


def _size(item: dict[str, Any]) -> int:
    return ITEM_BYTES + sum(len(s.text.encode("utf-8")) + 120 for s in item["sentences"])


def _listing(
    site: Site, items: list[dict[str, Any]], first: str, theme: Theme | None, mentions: dict[tuple[str, str, int], int]
) -> list[Page]:
    chunks = chunk_by_size(items, _size, PAGE_BYTES) if items else [[]]  # type: ignore[arg-type]
    paths = numbered(first, len(chunks))
    name = theme.name if theme else "未归类的句子"
    out = []
    for number, chunk in enumerate(chunks):
        title = f"主题：{name}" if theme else "未归入任何主题的句子"
        if len(paths) > 1:
            title += f"（第 {number + 1} 页，共 {len(paths)} 页）"
        listing = _Listing(site, chunk, theme, mentions, number == 0, pager_links(paths, number), title)
        out.append(Page(paths[number], "themes", "theme.html", listing.context, title=title, key=listing.key))
    return out


@dataclass
class _Listing:
    """One page of a theme's sentences (or of the uncovered ones): ``items`` of ``_items``."""

    site: Site
    items: list[dict[str, Any]]
    theme: Theme | None
    mentions: dict[tuple[str, str, int], int]
    first: bool
    pager: list[dict[str, Any]]
    title: str

    def key(self) -> str:
        """What the page is made from, each report by its entry and its sentences' digest (the page shows
        the theme's among them): a page of 90 KB of sentences is not serialised to find it unchanged."""
        digests = self.site.corpus.sentence_digests
        reports = [(item["entry"], digests.get(item["entry"].report.id)) for item in self.items]
        return inputs_key(self.site, ["theme listing", self.title, self.theme, self.first, self.pager,
                                      self._rows(), reports])

    def context(self) -> dict[str, Any]:
        groups: dict[int | None, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for item in self.items:
            entry: ReportEntry = item["entry"]
            groups[entry.report.year][_region(entry)].append(
                {
                    "entry": entry,
                    "name": entry.agency.name if entry.agency else entry.title,
                    "sentences": [
                        {"text": s.text, "part": PART_NAMES.get(s.part, s.part), "href": _sentence_link(entry, s)}
                        for s in item["sentences"]
                    ],
                }
            )
        theme = self.theme
        context: dict[str, Any] = {
            "theme": theme,
            "groups": [(year, sorted(regions.items())) for year, regions in groups.items()],
            "pager": self.pager,
            "first": self.first,
            "chart": None,
            "rows": self._rows(),
            "breadcrumbs": [("index.html", "首页"), (INDEX, "主题"), ("", theme.name if theme else "未归类的句子")],
        }
        if theme is not None and self.first:
            context["chart"] = charts.bar_chart(
                "theme-chart",
                f"第五部分提到“{theme.name}”的报告占当年全部报告的百分比",
                [(str(r["year"]), r["share"]) for r in context["rows"]],
            )
        return context

    def _rows(self) -> list[dict[str, Any]]:
        """The first page's table of reports mentioning the theme per year (of the whole archive)."""
        return _year_rows(self.site, self.theme.slug, self.mentions) if self.theme is not None and self.first else []


def _sentence_link(entry: ReportEntry, sentence: TaggedSentence) -> str:
    return f"{entry.path}#{paragraph_id(sentence.anchor, sentence.paragraph)}" if sentence.anchor else entry.path
