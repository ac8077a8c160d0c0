"""Checking every link and anchor of the built site before it is published."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser


def parse(html: str) -> tuple[list[str], set[str]]:
    """The links (href, src, form action) and the ids of one page."""
    tree = HTMLParser(html)
    links: list[str] = []
    for node in tree.css("[href], [src], form[action]"):
        for name in ("href", "src", "action"):
            value = node.attributes.get(name)
            if value is not None and not (name == "action" and value == ""):
                links.append(value)
    ids = {node.attributes.get("id") or "" for node in tree.css("[id]")}
    return links, ids - {""}


def is_external(link: str) -> bool:
    parts = urlsplit(link)
    return bool(parts.scheme or parts.netloc)


def broken_links(page_links: dict[str, tuple[list[str], set[str]]], paths: set[str]) -> list[str]:
    """Every link that points to no file of the site or no anchor, every root-absolute link and every unsafe scheme.

    ``page_links`` maps each HTML page to its links and ids (``parse``); ``paths`` are all files of the site.
    """
    problems = []
    for path, (page_hrefs, _ids) in sorted(page_links.items()):
        for link in page_hrefs:
            if is_external(link):
                if urlsplit(link).scheme not in ("http", "https", "mailto"):
                    problems.append(f"{path}: 不允许的链接 {link}")
                continue
            if link.startswith("/"):
                problems.append(f"{path}: 链接不是相对路径 {link}")
                continue
            parts = urlsplit(link)
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path))) if parts.path else path
            )
            if target == ".." or target.startswith("../"):
                problems.append(f"{path}: 链接指向网站之外 {link}")
            elif target not in paths:
                problems.append(f"{path}: 链接的文件不存在 {link}")
            elif parts.fragment and (target not in page_links or unquote(parts.fragment) not in page_links[target][1]):
                problems.append(f"{path}: 锚点不存在 {link}")
    return problems
