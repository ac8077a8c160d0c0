"""One module per kind of page; each has ``pages(site) -> list[Page]``."""

from __future__ import annotations

from site_builder.pages import agency, compare, data, handwritten, home, notfound, report, search, sitemap, themes

PAGE_KINDS = (home, report, agency, compare, themes, data, search, handwritten, notfound, sitemap)

__all__ = ["PAGE_KINDS", "agency", "compare", "data", "handwritten", "home", "notfound", "report", "search", "sitemap", "themes"]
