"""Checking every link and anchor of the built site before it is published."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
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
                if urlsplit(link).scheme not in ("http", "https", "mailto") and not link.startswith("data:image/"):
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


@dataclass
class PageLinks:
    """What one page brings to the link check: its ids (one string), the problems found on the page
    alone, the other files it links to without an anchor and the other pages' anchors it links to
    (each with the link as written; a link to an anchor checks its file too).

    Kept for every page of the site until the end of the build (and in the build cache), so as few
    strings as can be: ``files`` holds ``target\0link`` lines, ``anchors`` ``target\0fragment\0link`` lines."""

    ids: str
    problems: list[str] = field(default_factory=list)
    files: str = ""
    anchors: str = ""

    def file_links(self) -> list[list[str]]:
        return [line.split("\0") for line in self.files.split("\n") if line]

    def anchor_links(self) -> list[list[str]]:
        return [line.split("\0") for line in self.anchors.split("\n") if line]


def page_links(path: str, html: str) -> PageLinks:
    hrefs, ids = parse(html)
    found = PageLinks("\n" + "\n".join(sorted(ids)) + "\n")
    files: dict[str, None] = {}
    anchors: dict[str, None] = {}
    for link in hrefs:
        if is_external(link):
            if urlsplit(link).scheme not in ("http", "https", "mailto") and not link.startswith("data:image/"):
                found.problems.append(f"{path}: 不允许的链接 {link}")
            continue
        if link.startswith("/"):
            found.problems.append(f"{path}: 链接不是相对路径 {link}")
            continue
        parts = urlsplit(link)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path))) if parts.path else path
        if target == ".." or target.startswith("../"):
            found.problems.append(f"{path}: 链接指向网站之外 {link}")
            continue
        target, link = _one_line(target), _one_line(link)
        if target == path:  # the page itself: only its own ids to check
            if parts.fragment and unquote(parts.fragment) not in ids:
                found.problems.append(f"{path}: 锚点不存在 {link}")
        elif parts.fragment:  # the file is checked with the anchor
            anchors.setdefault(f"{target}\0{_one_line(unquote(parts.fragment))}\0{link}")
        else:
            files.setdefault(f"{target}\0{link}")
    found.files, found.anchors = "\n".join(files), "\n".join(anchors)
    return found


def _one_line(text: str) -> str:
    """No line break or NUL in a stored link: they separate the stored links (no site path holds one)."""
    return text.replace("\n", " ").replace("\r", " ").replace("\0", " ")


class LinkChecker:
    """``broken_links`` for a site too large to hold every page's links: each page is checked as it is
    written, and what needs the whole site is kept per page as ``page_links`` found it (shared with the
    build cache) and, as sets, the files and other pages' anchors linked to (made by one regular
    expression a page: a rebuild adds tens of thousands of pages' links it did not parse)."""

    def __init__(self) -> None:
        self.pages = 0
        self.parsed = 0
        """Pages whose HTML was read (the others' links were known)."""
        self._problems: list[tuple[str, str]] = []
        self._found: dict[str, PageLinks] = {}
        self._targets: set[str] = set()
        self._anchors: set[str] = set()

    def add(self, path: str, html: str) -> PageLinks:
        self.parsed += 1
        found = page_links(path, html)
        self.add_found(path, found)
        return found

    def add_found(self, path: str, found: PageLinks) -> None:
        """A page's ``page_links``, as found when it was written (by this build or the last one)."""
        self.pages += 1
        self._found[path] = found
        if found.problems:
            self._problems.extend((path, problem) for problem in found.problems)
        self._targets.update(_FILE_TARGET.findall(found.files))
        self._anchors.update(_ANCHOR_TARGET.findall(found.anchors))

    def problems(self, paths: set[str]) -> list[str]:
        """Every broken link of the pages added, once all the site's files (``paths``) are known: each
        missing file or anchor named once, with the first page (in the order added) that links to it."""
        found = list(self._problems)
        anchors = [(key, *key.split("\0")) for key in self._anchors]
        missing = (self._targets | {target for _, target, _ in anchors}) - paths
        unknown = {key for key, target, fragment in anchors
                   if target in paths and f"\n{fragment}\n" not in self._ids(target)}
        for path, page in self._found.items():
            if not missing and not unknown:
                break
            for target, link in page.file_links() if missing else ():
                if target in missing:
                    missing.discard(target)
                    found.append((path, f"{path}: 链接的文件不存在 {link}"))
            for target, fragment, link in page.anchor_links() if missing or unknown else ():
                if target in missing:
                    missing.discard(target)
                    found.append((path, f"{path}: 链接的文件不存在 {link}"))
                elif f"{target}\0{fragment}" in unknown:
                    unknown.discard(f"{target}\0{fragment}")
                    found.append((path, f"{path}: 锚点不存在 {link}"))
        return [message for _, message in sorted(found)]

    def _ids(self, path: str) -> str:
        page = self._found.get(path)
        return page.ids if page is not None else ""


_FILE_TARGET = re.compile(r"^([^\0\n]*)\0", re.MULTILINE)
_ANCHOR_TARGET = re.compile(r"^([^\0\n]*\0[^\0\n]*)\0", re.MULTILINE)
