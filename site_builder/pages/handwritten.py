"""Pages written by hand in content/pages/*.md."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from archive.agencies import ascii_slug
from archive.errors import BuildError
from site_builder.markdown_pages import render
from site_builder.site import Page, Site


def page_path(source: Path) -> str:
    return f"pages/{ascii_slug(source.stem) or 'page'}.html"


def pages(site: Site) -> list[Page]:
    folder = site.content_dir / "pages"
    out: list[Page] = []
    if not folder.is_dir():
        return out
    for source in sorted(folder.glob("*.md")):
        try:
            text = source.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BuildError(f"无法读取页面 {source}：{exc}") from exc
        title, body = render(text)
        kind = source.stem if source.stem in {"about", "help"} else "page"
        title = title or source.stem
        out.append(
            Page(
                page_path(source),
                kind,
                "page.html",
                {"body": Markup(body), "breadcrumbs": [("index.html", "首页"), ("", title)]},
                title=title,
            )
        )
    return out
