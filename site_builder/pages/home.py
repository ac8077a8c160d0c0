"""The home page: what the archive holds, search, browsing by region and year, latest reports, data quality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archive.agencies import Agency
from archive.model import Report
from site_builder.site import Page, ReportEntry, Site
from site_builder.urls import place_slug

BALANCE_CODES = {"requests_balance", "requests_results_total", "requests_row_total", "review_litigation_total"}
UNPLACED = "（地区未注明）"
OPEN_ALL_UP_TO = 30
"""With this many agencies or fewer the region tree starts fully open."""
TREE_ON_HOME_UP_TO = 300
"""With more agencies than this the home page lists provinces, each with its own page (regions/…)."""


def pages(site: Site) -> list[Page]:
    return [_home(site), *region_pages(site)]


def _home(site: Site) -> Page:
    by_year = site.entries_by_year()
    undated = [e for e in site.entries if not e.report.year]
    return Page(
        "index.html",
        "home",
        "home.html",
        {
            "counts": {
                "reports": len(site.entries),
                "agencies": len(site.agencies),
                "years": len(by_year),
                "regions": len(site.regions()),
            },
            "region_tree": region_tree(site.agencies) if len(site.agencies) <= TREE_ON_HOME_UP_TO else [],
            "provinces": [] if len(site.agencies) <= TREE_ON_HOME_UP_TO else province_links(site.agencies),
            "open_all": len(site.agencies) <= OPEN_ALL_UP_TO,
            "years": [(y, len(by_year[y])) for y in site.years()],
            "undated": undated,
            "latest": site.latest(10),
            "quality": quality(site.entries, site.store.tables_complete),
        },
        title="首页",
    )


def province_path(province: str) -> str:
    return f"regions/{'unplaced' if province == UNPLACED else place_slug([province])}.html"


def province_links(agencies: list[Agency]) -> list[dict[str, Any]]:
    return [
        {"name": node["name"], "count": node["count"], "path": province_path(node["name"])}
        for node in region_tree(agencies)
    ]


def region_pages(site: Site) -> list[Page]:
    """One page per province with its full tree, when the home page is too small for the whole tree."""
    if len(site.agencies) <= TREE_ON_HOME_UP_TO:
        return []
    out = []
    for node in region_tree(site.agencies):
        out.append(
            Page(
                province_path(node["name"]),
                "region",
                "region.html",
                {"region_tree": [node], "open_all": True, "breadcrumbs": [("index.html", "首页"), ("", node["name"])]},
                title=f"{node['name']}的报告",
            )
        )
    return out


def region_tree(agencies: list[Agency]) -> list[dict[str, Any]]:
    """province › city › county › agencies, each level sorted; agencies without a level sit one level up."""
    tree: dict[str, Any] = {}
    for agency in agencies:
        path = agency.region.path or [UNPLACED]
        node = tree
        for name in path:
            node = node.setdefault(name, {})
        node.setdefault("", []).append(agency)
    return _as_list(tree)


def _as_list(node: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name in sorted(k for k in node if k):
        child = node[name]
        agencies = sorted(child.get("", []), key=lambda a: a.name)
        children = _as_list(child)
        count = len(agencies) + sum(c["count"] for c in children)
        out.append({"name": name, "agencies": agencies, "children": children, "count": count})
    return out


def quality(entries: list[ReportEntry], tables_complete: Callable[[Report], bool]) -> dict[str, int]:
    """How many reports have their three tables complete, and of those how many add up."""
    complete = [e for e in entries if tables_complete(e.report)]
    balanced = [
        e for e in complete if not any(f.code in BALANCE_CODES and f.severity == "error" for f in e.report.findings)
    ]
    with_errors = [e for e in entries if any(f.severity == "error" for f in e.report.findings)]
    return {
        "total": len(entries),
        "complete": len(complete),
        "balanced": len(balanced),
        "with_errors": len(with_errors),
    }
