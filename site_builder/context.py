"""The template context, built in one place: what every page gets, plus the page's own values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from site_builder.site import Page, Site
from site_builder.urls import relative

SITE_NAME = "政府信息公开工作年度报告档案库"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)

NAV = (
    ("index.html", "首页", "home"),
    ("search.html", "搜索", "search"),
    ("themes/index.html", "主题", "themes"),
    ("data/index.html", "数据下载", "data"),
    ("pages/help.html", "使用说明", "help"),
    ("pages/about.html", "关于", "about"),
)


class TemplateContext(TypedDict, total=False):
    site_name: str
    csp: str
    page_title: str
    page_kind: str
    url: Callable[[str], str]
    nav: list[dict[str, Any]]
    breadcrumbs: list[tuple[str, str | None]]


def page_context(site: Site, page: Page, own: dict[str, Any] | None = None) -> dict[str, Any]:
    """The page's own context (``own``: already made) plus what every template needs (site name, CSP,
    the relative ``url``)."""

    def url(target: str) -> str:
        return relative(page.path, target)

    base: TemplateContext = {
        "site_name": SITE_NAME,
        "csp": CSP,
        "page_title": page.title,
        "page_kind": page.kind,
        "url": url,
        "nav": [{"path": p, "label": label, "current": kind == page.kind} for p, label, kind in NAV],
        "breadcrumbs": [],
    }
    return {**base, **(own if own is not None else page.values())}
