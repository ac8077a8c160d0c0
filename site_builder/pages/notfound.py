"""The 404 page. It sits at the site root; servers show it for any missing path."""

from __future__ import annotations

from site_builder.site import Page, Site


def pages(site: Site) -> list[Page]:
    return [Page("404.html", "notfound", "404.html", {}, title="页面不存在", in_sitemap=False)]
