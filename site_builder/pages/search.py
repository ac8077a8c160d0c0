"""The search page: the entry point of cross-report search (browser search is its own issue)."""

from __future__ import annotations

from site_builder.site import Page, Site


def pages(site: Site) -> list[Page]:
    return [
        Page(
            "search.html",
            "search",
            "search.html",
            {"breadcrumbs": [("index.html", "首页"), ("", "搜索")]},
            title="搜索",
        )
    ]
