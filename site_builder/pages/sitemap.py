"""sitemap.xml and robots.txt, made last from the other pages."""

from __future__ import annotations

from xml.sax.saxutils import escape

from site_builder.site import Page, Site


def pages(site: Site) -> list[Page]:
    """Filled in by ``finish`` once every other page is known."""
    return []


def finish(site: Site, all_pages: list[Page]) -> list[Page]:
    """The sitemap lists every HTML page; with ``--site-url`` its addresses are absolute, as search engines need."""
    base = (site.site_url or "").rstrip("/")
    paths = sorted(p.path for p in all_pages if p.in_sitemap and p.path.endswith(".html"))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(f'{base}/{p}' if base else p)}</loc></url>" for p in paths]
    lines.append("</urlset>")
    robots = ["User-agent: *", "Allow: /"]
    if base:
        robots.append(f"Sitemap: {base}/sitemap.xml")
    return [
        Page("sitemap.xml", "download", content=("\n".join(lines) + "\n").encode("utf-8"), in_sitemap=False),
        Page("robots.txt", "download", content=("\n".join(robots) + "\n").encode("utf-8"), in_sitemap=False),
    ]
