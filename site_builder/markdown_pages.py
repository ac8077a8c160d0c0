"""Hand-written pages in Markdown, rendered safely: raw HTML is shown as text, unsafe links are dropped.

Links may be http(s), mailto or relative paths; anything else (``javascript:``, ``data:``, ``//host``,
``/absolute``) loses its link and keeps its text. Images must be files of the site (relative);
an outside image would be a request outside the site, so it is replaced by its alt text.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

LINK_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_link(value: str) -> str | None:
    """The link if it is allowed, else None. ``.md`` links between pages become ``.html``."""
    cleaned = _CONTROL.sub("", unicodedata.normalize("NFKC", value))
    if not cleaned:
        return None
    parts = urlsplit(cleaned)
    if parts.scheme:
        return value.strip() if parts.scheme.lower() in LINK_SCHEMES else None
    if cleaned.startswith(("/", "\\")) or ":" in cleaned.split("/")[0].split("#")[0].split("?")[0]:
        return None
    return re.sub(r"\.md(?=$|#|\?)", ".html", value.strip())


def safe_image(value: str) -> str | None:
    link = safe_link(value)
    if link is None or urlsplit(link).scheme:
        return None
    return link


class _LinkFilter(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "a":
                    href = safe_link(child.get("href", ""))
                    if href is None:
                        child.attrib.pop("href", None)
                        child.attrib.pop("title", None)
                        child.tag = "span"
                    else:
                        child.set("href", href)
                elif child.tag == "img":
                    src = safe_image(child.get("src", ""))
                    if src is None:
                        replacement = etree.Element("span")
                        replacement.text = child.get("alt", "")
                        replacement.tail = child.tail
                        parent.remove(child)
                        parent.insert(index, replacement)
                    else:
                        child.set("src", src)
                        child.set("loading", "lazy")


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the markdown package's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_LinkFilter(md), "archive_link_filter", 0)


def render(text: str) -> tuple[str | None, str]:
    """(the title from a leading ``# heading`` or None, the page body as HTML)."""
    title = None
    match = re.match(r"\A\s*#\s+(.+?)\s*#*\s*(?:\n|\Z)", text)
    if match:
        title = match.group(1).strip()
        text = text[match.end() :]
    md = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code", _SafeExtension()], output_format="html")
    body = md.convert(text)
    return title, _shift_headings(body)


def _shift_headings(html: str) -> str:
    """The page title is the only h1: if the body has a ``#`` heading too, every heading moves down a level."""
    if "<h1>" not in html:
        return html
    return re.sub(r"<(/?)h([1-5])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}>", html)
