"""One comparison per year: key figures of every report in a sortable table (+ CSV), and part 五 side by side."""

from __future__ import annotations

from typing import Any

from site_builder import exports
from site_builder.figures import KEY_FIGURES, cell_csv, cell_display
from site_builder.pages.home import UNPLACED
from site_builder.site import Page, ReportEntry, Site, agency_path

PROBLEMS_PART = "五"


def year_path(year: int) -> str:
    return f"compare/{year}.html"


def problems_path(year: int) -> str:
    return f"compare/{year}-problems.html"


def pages(site: Site) -> list[Page]:
    out: list[Page] = []
    for year, entries in sorted(site.entries_by_year().items()):
        entries = sorted(entries, key=_region_order)
        out.append(_figures_page(year, entries))
        out.append(Page(f"compare/{year}.csv", "download", content=_csv(entries), in_sitemap=False))
        out.append(_problems_page(year, entries))
    return out


def _region_order(entry: ReportEntry) -> tuple[Any, ...]:
    path = entry.agency.region.path if entry.agency else []
    return (*(path + ["", "", ""])[:3], entry.agency.name if entry.agency else "", entry.slug)


def _region_label(entry: ReportEntry) -> str:
    path = entry.agency.region.path if entry.agency else []
    return " › ".join(path) or UNPLACED


def _figures_page(year: int, entries: list[ReportEntry]) -> Page:
    rows = []
    for e in entries:
        cells = []
        for f in KEY_FIGURES:
            cell = f.cell(e.report)
            text, css = cell_display(cell)
            sort_value = cell_csv(cell) if cell.state == "number" else ""
            cells.append({"text": text, "css": css, "sort": sort_value})
        rows.append({"entry": e, "region": _region_label(e), "cells": cells,
                     "agency_link": agency_path(e.agency) if e.agency else None})
    return Page(
        year_path(year),
        "compare",
        "compare.html",
        {"year": year, "figures": KEY_FIGURES, "rows": rows, "csv": f"compare/{year}.csv",
         "problems": problems_path(year),
         "breadcrumbs": [("index.html", "首页"), ("", f"{year}年度对比")]},
        title=f"{year}年度各机关主要数据对比",
    )


def _csv(entries: list[ReportEntry]) -> bytes:
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
    return exports.to_csv(records, header)


def _problems_page(year: int, entries: list[ReportEntry]) -> Page:
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        part = next((s for s in e.report.sections if s.level == 1 and s.number == PROBLEMS_PART), None)
        item: dict[str, Any] = {"entry": e, "part": part, "subsections": part.walk() if part else []}
        groups.setdefault(_region_label(e), []).append(item)
    return Page(
        problems_path(year),
        "problems",
        "problems.html",
        {"year": year, "groups": sorted(groups.items()), "figures_page": year_path(year),
         "breadcrumbs": [("index.html", "首页"), (year_path(year), f"{year}年度对比"), ("", "问题与改进")]},
        title=f"{year}年度“存在的主要问题及改进情况”对照",
    )
