"""One comparison per year: key figures of every report in a sortable table (+ CSV), and part 五 side by side."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from archive.model import Section
from site_builder import table_downloads
from site_builder.figures import KEY_FIGURES, cell_csv, cell_display
from site_builder.pages.home import UNPLACED
from site_builder.site import Page, ReportEntry, Site, agency_path, section_anchors
from site_builder.urls import place_slug

PROBLEMS_PART = "五"
SPLIT_AT = 60
"""A year with more reports than this gets one comparison page per province (or city, county), and no
figures page has more rows than this, so that no page grows without bound."""
PROBLEMS_PAGE_BYTES = 90_000
"""The part 五 texts of one 问题与改进 page, at most (UTF-8 bytes, about): pages stay under 150 KB."""
CARD_BYTES = 600
"""The markup of one report's card on the 问题与改进 page, about."""


def year_path(year: int) -> str:
    return f"compare/{year}.html"


def problems_path(year: int) -> str:
    return f"compare/{year}-problems.html"


def region_slug(path: tuple[str, ...]) -> str:
    """compare/<year>/<this>.html for the reports of one region (province, or province › city, …)."""
    if not path or path == (UNPLACED,):
        return "unplaced"
    return place_slug(path)


def pages(site: Site) -> list[Page]:
    out: list[Page] = []
    for year, entries in sorted(site.entries_by_year().items()):
        entries = sorted(entries, key=_region_order)
        out.append(Page(f"compare/{year}.csv", "download", content=partial(_csv, entries), in_sitemap=False))
        if len(entries) <= SPLIT_AT:
            out.extend(_group_pages(year, entries, year_path(year), problems_path(year)))
            continue
        listing = []
        for region, group in split_by_region(entries):
            slug = region_slug(region)
            group_pages = _group_pages(
                year, group, f"compare/{year}/{slug}.html", f"compare/{year}/{slug}-problems.html", " › ".join(region)
            )
            listing.append(
                {
                    "name": " › ".join(region),
                    "count": len(group),
                    "figures": [p.path for p in group_pages if p.kind == "compare"],
                    "problems": [p.path for p in group_pages if p.kind == "problems"],
                }
            )
            out.extend(group_pages)
        out.append(_province_index(year, listing, problems=False))
        out.append(_province_index(year, listing, problems=True))
    return out


def numbered(first: str, count: int) -> list[str]:
    """The paths of a listing cut into ``count`` pages: the first keeps its path, then -2, -3 …"""
    stem = first.removesuffix(".html")
    return [first, *(f"{stem}-{n}.html" for n in range(2, count + 1))]


def _group_pages(year: int, entries: list[ReportEntry], figures: str, problems: str, place: str = "") -> list[Page]:
    """The figures table (SPLIT_AT rows a page) and part 五 side by side (PROBLEMS_PAGE_BYTES a page) of one group."""
    figure_chunks = [entries[i : i + SPLIT_AT] for i in range(0, len(entries), SPLIT_AT)]
    problem_chunks = chunk_by_size(entries, _problems_size, PROBLEMS_PAGE_BYTES)
    figure_paths = numbered(figures, len(figure_chunks))
    problem_paths = numbered(problems, len(problem_chunks))
    out = []
    for number, chunk in enumerate(figure_chunks):
        pager = pager_links(figure_paths, number)
        out.append(_figures_page(year, chunk, figure_paths[number], problem_paths[0], place, pager))
    for number, chunk in enumerate(problem_chunks):
        pager = pager_links(problem_paths, number)
        out.append(_problems_page(year, chunk, problem_paths[number], figure_paths[0], place, pager))
    return out


def chunk_by_size(entries: list[ReportEntry], size: Callable[[ReportEntry], int], budget: int) -> list[list[ReportEntry]]:
    """Consecutive runs of entries whose sizes add up to at most ``budget`` (an entry larger than it stands alone)."""
    chunks: list[list[ReportEntry]] = [[]]
    used = 0
    for entry in entries:
        cost = size(entry)
        if chunks[-1] and used + cost > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(entry)
        used += cost
    return chunks


def _problems_size(entry: ReportEntry) -> int:
    """About how many bytes the entry's card takes on the 问题与改进 page."""
    part = problems_part(entry)
    if part is None:
        return CARD_BYTES
    text = sum(len(s.heading.encode("utf-8")) + len(s.text.encode("utf-8")) for _, s in part.walk())
    return CARD_BYTES + text


def problems_part(entry: ReportEntry) -> Section | None:
    return entry.report.part(PROBLEMS_PART)


def pager_links(paths: list[str], current: int) -> list[dict[str, Any]]:
    """The pager of page ``current`` (from 0) of a listing cut into ``paths``; none for a single page.

    The previous and next pages, the first and the last, and ``PAGER_AROUND`` pages each side of the
    current one, with a gap (…) where pages are left out: a listing of a thousand pages does not put a
    thousand links on each of them."""
    if len(paths) < 2:
        return []
    here = current + 1
    shown = sorted({1, len(paths), *range(max(1, here - PAGER_AROUND), min(len(paths), here + PAGER_AROUND) + 1)})
    out: list[dict[str, Any]] = []
    if here > 1:
        out.append(_pager_item(paths[here - 2], label="上一页", rel="prev"))
    last = 0
    for number in shown:
        if number > last + 1:
            out.append(_pager_item(gap=True))
        out.append(_pager_item(paths[number - 1], number, current=number == here))
        last = number
    if here < len(paths):
        out.append(_pager_item(paths[here], label="下一页", rel="next"))
    return out


def _pager_item(
    path: str = "", number: int = 0, current: bool = False, label: str = "", rel: str = "", gap: bool = False
) -> dict[str, Any]:
    return {"path": path, "number": number, "current": current, "label": label, "rel": rel, "gap": gap}


PAGER_AROUND = 2


def split_by_region(entries: list[ReportEntry], depth: int = 0) -> list[tuple[tuple[str, ...], list[ReportEntry]]]:
    """Groups of at most SPLIT_AT reports where the regions allow: by province, then city, then county."""
    groups: dict[tuple[str, ...], list[ReportEntry]] = {}
    for entry in entries:
        path = tuple(entry.agency.region.path) if entry.agency and entry.agency.region.path else (UNPLACED,)
        groups.setdefault(path[: depth + 1], []).append(entry)
    out: list[tuple[tuple[str, ...], list[ReportEntry]]] = []
    for region, group in sorted(groups.items()):
        deeper = (
            len(group) > SPLIT_AT
            and depth < 2
            and any(e.agency and len(e.agency.region.path) > depth + 1 for e in group)
        )
        out.extend(split_by_region(group, depth + 1) if deeper else [(region, group)])
    return out


def _province_index(year: int, listing: list[dict[str, Any]], problems: bool) -> Page:
    what = "“问题与改进”对照" if problems else "主要数据对比"
    return Page(
        problems_path(year) if problems else year_path(year),
        "problems" if problems else "compare",
        "compare_index.html",
        {
            "year": year,
            "listing": listing,
            "problems": problems,
            "csv": f"compare/{year}.csv",
            "breadcrumbs": [("index.html", "首页"), ("", f"{year}年度{what}")],
        },
        title=f"{year}年度各机关{what}（按地区）",
    )


def _region_order(entry: ReportEntry) -> tuple[Any, ...]:
    path = entry.agency.region.path if entry.agency else []
    return (*(path + ["", "", ""])[:3], entry.agency.name if entry.agency else "", entry.slug)


def _region_label(entry: ReportEntry) -> str:
    path = entry.agency.region.path if entry.agency else []
    return " › ".join(path) or UNPLACED


def _figures_page(
    year: int, entries: list[ReportEntry], path: str, problems: str, province: str, pager: list[dict[str, Any]]
) -> Page:
    rows = []
    for e in entries:
        cells = []
        for f in KEY_FIGURES:
            cell = f.cell(e.report)
            text, css = cell_display(cell)
            sort_value = cell_csv(cell) if cell.state == "number" else ""
            cells.append({"text": text, "css": css, "sort": sort_value})
        rows.append(
            {
                "entry": e,
                "region": _region_label(e),
                "cells": cells,
                "agency_link": agency_path(e.agency) if e.agency else None,
            }
        )
    crumbs: list[tuple[str, str]] = [("index.html", "首页"), (year_path(year) if province else "", f"{year}年度对比")]
    if province:
        crumbs.append(("", province))
    return Page(
        path,
        "compare",
        "compare.html",
        {
            "year": year,
            "figures": KEY_FIGURES,
            "rows": rows,
            "csv": f"compare/{year}.csv",
            "problems": problems,
            "breadcrumbs": crumbs,
            "pager": pager,
        },
        title=f"{year}年度{province}各机关主要数据对比{_page_label(pager)}",
    )


def _csv(entries: list[ReportEntry]) -> bytes:
    """The year's key figures (from the summaries, which keep the key figures' cells)."""
    header = ["report_id", "agency", "region", "year", *(f.key for f in KEY_FIGURES)]
    records = []
    for e in entries:
        record: dict[str, Any] = {
            "report_id": e.report.id,
            "agency": e.agency.name if e.agency else (e.report.agency or ""),
            "region": " ".join(e.agency.region.path) if e.agency else "",
            "year": e.report.year or "",
        }
        for f in KEY_FIGURES:
            record[f.key] = cell_csv(f.cell(e.report))
        records.append(record)
    return table_downloads.to_csv(records, header)


def _page_label(pager: list[dict[str, Any]]) -> str:
    current = next((p["number"] for p in pager if p["current"]), None)
    total = max((p["number"] for p in pager), default=0)
    return f"（第 {current} 页，共 {total} 页）" if current else ""


def _problems_page(
    year: int, entries: list[ReportEntry], path: str, figures: str, province: str, pager: list[dict[str, Any]]
) -> Page:
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        part = problems_part(e)
        region = e.agency.region.path if e.agency else []
        anchor = section_anchors(e.report).get(id(part)) if part else None
        item: dict[str, Any] = {
            "entry": e,
            "part": part,
            "anchor": anchor,
            "subsections": part.walk() if part else [],
            "place": " › ".join(region[2:]),
        }
        groups.setdefault(" › ".join(region[:2]) if region else UNPLACED, []).append(item)
    crumbs: list[tuple[str, str]] = [("index.html", "首页"), (year_path(year), f"{year}年度对比")]
    if province:
        crumbs.append((problems_path(year), "问题与改进"))
    crumbs.append(("", province or "问题与改进"))
    return Page(
        path,
        "problems",
        "problems.html",
        {
            "year": year,
            "groups": sorted(groups.items()),
            "figures_page": figures,
            "breadcrumbs": crumbs,
            "pager": pager,
        },
        title=f"{year}年度{province}“存在的主要问题及改进情况”对照{_page_label(pager)}",
    )
