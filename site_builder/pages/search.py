"""The search page: cross-report search in the browser (static/search/search.js on the export of
site_builder/search; docs/search.md)."""

from __future__ import annotations

from site_builder.site import Page, Site


def pages(site: Site) -> list[Page]:
    return [
        Page("search.html", "search", "search.html",
             {"breadcrumbs": [("index.html", "首页"), ("", "搜索")]}, title="搜索")
    ]
