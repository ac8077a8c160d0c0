"""Read a report page saved from a government portal: find the body, keep its headings, paragraphs and tables."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from charset_normalizer import from_bytes
from lxml.etree import ParserError, _Element

from archive.errors import ReadError
from archive.readers.document import Block, Document
from archive.schema import part_words

PART_HEADING = re.compile(r"^[一二三四五六]、")
DATE_IN_TEXT = re.compile(r"(?:发布时间|发布日期|时间|日期)[：:]\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
NOISE_TAGS = ("script", "style", "noscript", "iframe", "template", "svg", "form", "select", "button", "head")
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "pre", "center"}
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
NAV_HINT = re.compile(
    r"nav|menu|header|footer|foot|sidebar|side|crumb|share|qrcode|search|login|link|copyright|banner", re.I
)


def join_fragments(parts: list[str]) -> str:
    """Join pieces of one cell or line: no space between Chinese characters, one space otherwise."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (CJK.match(out[-1]) or CJK.match(part[0])):
            out += " "
        out += part
    return out


def tidy(text: str) -> str:
    """Collapse whitespace; drop the spaces typesetters put between Chinese characters."""
    text = re.sub(r"[\s\u00a0\u3000]+", " ", text).strip()
    return re.sub(
        r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])", "", text
    )


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The page's text and the encoding used: BOM, then a declared charset, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    declared = META_CHARSET.search(data[:4096])
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii").lower()
        candidates.append("gb18030" if name in {"gb2312", "gbk", "gb18030"} else name)
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "无法识别网页的字符编码")
    encoding = best.encoding
    if encoding in {"gb2312", "gbk"}:
        encoding = "gb18030"
    return data.decode(encoding, errors="replace"), encoding


def text_of(element: _Element) -> str:
    return tidy(element.text_content())


def chinese_count(text: str) -> int:
    return len(CJK.findall(text))


def score(element: _Element) -> float:
    """How much an element looks like a report body: Chinese prose, part headings, tables; few links."""
    text = text_of(element)
    if not text:
        return 0.0
    link_text = sum(len(tidy(a.text_content())) for a in element.iter("a"))
    density = 1.0 - min(1.0, link_text / max(1, len(text)))
    parts = len(parts_in(text))
    tables = len(element.xpath(".//table"))
    value = chinese_count(text) * density * density * (1 + parts) * (1 + 0.2 * min(tables, 3))
    hint = f"{element.get('class', '')} {element.get('id', '')}"
    if NAV_HINT.search(hint):
        value *= 0.3
    return value


def find_body(root: _Element) -> _Element:
    """The smallest container that holds nearly all of the best-scoring content."""
    candidates = [e for e in root.iter("div", "article", "section", "td", "main", "body") if isinstance(e.tag, str)]
    if not candidates:
        return root
    best = max(candidates, key=score)
    # Descend while one child still holds the report: every part heading and most of the text.
    while True:
        text = text_of(best)
        parts = parts_in(text)
        total = chinese_count(text)
        inner = [c for c in best if isinstance(c.tag, str) and c.tag in {"div", "article", "section", "main", "td"}]
        better = [c for c in inner if parts_in(text_of(c)) == parts and chinese_count(text_of(c)) >= 0.6 * total]
        if not better:
            return best
        best = better[0]


def parts_in(text: str) -> set[str]:
    """The parts of the 2021 format that ``text`` names by their words (schema.json)."""
    return {number for number, words in part_words().items() if any(word in text for word in words)}


def expand_table(table: _Element) -> list[list[str]]:
    """A <table>'s grid with rowspan/colspan expanded, the value repeated in every spanned cell."""
    rows = [tr for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")]
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            value = cell_text(cell)
            rowspan = span(cell.get("rowspan"))
            colspan = span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), value)
            c += colspan
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    out = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
    return out


def span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def cell_text(cell: _Element) -> str:
    """A cell's text; <br> and paragraphs inside it joined, nested tables flattened into the text."""
    pieces: list[str] = []
    current: list[str] = []

    def walk(node: _Element) -> None:
        if node.tag == "br" or node.tag in BLOCK_TAGS or node.tag == "table":
            pieces.append("".join(current))
            current.clear()
        if node.text and node.tag not in NOISE_TAGS:
            current.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                current.append(child.tail)
        if node.tag in BLOCK_TAGS:
            pieces.append("".join(current))
            current.clear()

    if cell.text:
        current.append(cell.text)
    for child in cell:
        if isinstance(child.tag, str):
            walk(child)
        if child.tail:
            current.append(child.tail)
    pieces.append("".join(current))
    return join_fragments([tidy(p) for p in pieces])


def is_bold_line(element: _Element, text: str) -> bool:
    bold = "".join(tidy(b.text_content()) for b in element.iter("strong", "b"))
    return bool(bold) and len(text) <= 40 and len(bold) >= 0.8 * len(text)


def body_blocks(body: _Element) -> list[Block]:
    """Headings, paragraphs and tables of the body, in document order."""
    blocks: list[Block] = []
    inline: list[str] = []

    def flush() -> None:
        text = tidy("".join(inline))
        inline.clear()
        if text:
            blocks.append(Block("paragraph", text=text))

    def walk(node: _Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in NOISE_TAGS:
            return
        if tag == "table":
            flush()
            if node.xpath(".//table"):
                # A layout table around the real ones: read what its cells hold, not its own grid.
                for cell in node.xpath("./tr/td|./tr/th|./tbody/tr/td|./tbody/tr/th|./thead/tr/th"):
                    walk_container(cell)
                return
            rows = expand_table(node)
            if rows:
                blocks.append(Block("table", rows=rows))
            return
        if tag in HEADING_TAGS or tag in BLOCK_TAGS or tag == "br":
            flush()
        if tag in HEADING_TAGS:
            text = text_of(node)
            if text:
                blocks.append(Block("heading", text=text, level=HEADING_TAGS[tag]))
            return
        if tag in BLOCK_TAGS and not node.xpath(".//table|.//p|.//div|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
            text = text_of(node)
            if text:
                heading = is_bold_line(node, text) or (
                    len(text) <= 40 and PART_HEADING.match(text) is not None and not text.endswith(("。", "；"))
                )
                blocks.append(Block("heading" if heading else "paragraph", text=text))
            return
        if node.text:
            inline.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                inline.append(child.tail)
        if tag in BLOCK_TAGS:
            flush()

    def walk_container(node: _Element) -> None:
        flush()
        if node.text:
            inline.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                inline.append(child.tail)
        flush()

    walk(body)
    flush()
    return blocks


def page_title(root: _Element) -> str | None:
    for name in ("ArticleTitle", "articletitle", "title", "og:title"):
        found = root.xpath(f'//meta[@name="{name}" or @property="{name}"]/@content')
        if found and tidy(found[0]):
            return tidy(found[0])
    title = root.findtext(".//title")
    if title and tidy(title):
        return re.split(r"[_|｜]| - ", tidy(title))[0].strip() or None
    return None


def page_date(root: _Element, whole_text: str) -> str | None:
    for name in ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "article:published_time"):
        found = root.xpath(f'//meta[@name="{name}" or @property="{name}"]/@content')
        match = re.search(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})", found[0]) if found else None
        if match:
            return iso(match)
    match = DATE_IN_TEXT.search(whole_text)
    return iso(match) if match else None


def iso(match: re.Match[str]) -> str:
    year, month, day = (int(g) for g in match.groups()[:3])
    return f"{year:04d}-{month:02d}-{day:02d}"


def read(path: Path, data: bytes, fmt: str) -> Document:
    """Read a saved portal page into a Document (body only, tables as grids)."""
    text, encoding = decode(path, data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as exc:
        raise ReadError(path, f"网页内容无法解析（{exc}）") from exc
    title = page_title(root)
    whole_text = tidy(root.text_content())
    date = page_date(root, whole_text)
    for bad in root.xpath("//script|//style|//noscript|//template|//comment()"):
        bad.drop_tree()
    body_element = root.find("body")
    if body_element is None:
        body_element = root
    body = find_body(body_element)
    blocks = body_blocks(body)
    if not any(b.text or b.rows for b in blocks):
        raise ReadError(path, "网页中没有找到报告正文")
    return Document(blocks=blocks, source=str(path), source_format="html", encoding=encoding, title=title, date=date)
