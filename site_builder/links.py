"""Checking every link and anchor of the built site before it is published."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src", "action"):
            value = values.get(name)
            if value is not None and not (tag == "form" and name == "action" and value == ""):
                self.links.append(value)


def parse(html: str) -> tuple[list[str], set[str]]:
    collector = _Collector()
    collector.feed(html)
    return collector.links, collector.ids


def is_external(link: str) -> bool:
    parts = urlsplit(link)
    return bool(parts.scheme or parts.netloc)


def broken_links(files: dict[str, bytes], other_paths: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Every link between pages that points to no file or no anchor, and every root-absolute link."""
    parsed = {path: parse(data.decode("utf-8")) for path, data in files.items() if path.endswith(".html")}
    problems = []
    for path, (links, _ids) in sorted(parsed.items()):
        for link in links:
            if is_external(link):
                if urlsplit(link).scheme not in ("http", "https", "mailto"):
                    problems.append(f"{path}: 不允许的链接 {link}")
                continue
            if link.startswith("/"):
                problems.append(f"{path}: 链接不是相对路径 {link}")
                continue
            parts = urlsplit(link)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path))) if parts.path else path
            if target.startswith("../") or target == "..":
                problems.append(f"{path}: 链接指向网站之外 {link}")
                continue
            if target.endswith("/") or target == ".":
                target = posixpath.join(target, "index.html").lstrip("./")
            if target not in files and target not in other_paths:
                problems.append(f"{path}: 链接的文件不存在 {link}")
            elif parts.fragment and (target not in parsed or unquote(parts.fragment) not in parsed[target][1]):
                problems.append(f"{path}: 锚点不存在 {link}")
    return problems
