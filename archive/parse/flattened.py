"""Put back the structure of a report whose text lost its line breaks.

A crawler that saves a page's text, or a copy from a browser, gives the whole report on one line:
``…发展。（一）主动公开方面平潭综合实验区…二、主动公开政府信息情况第二十条第（一）项信息内容…``.
Such a paragraph is cut again at its part headings (一、总体情况 … 六、其他需要报告的事项, and the
titles older reports use), at the sub-headings inside the parts (（一）…, 1.…), and a part that is a
table printed as running text becomes a table (``joined_tables``). Consecutive paragraphs that
together are such a table (one row a line, the cells run together) become one table too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.parse.joined_tables import JoinedTable, read_joined_table
from archive.readers.document import Block
from archive.readers.numbering import chinese_number
from archive.schema import part_titles

PART_NUMBER = re.compile(r"([一二三四五六七八九十]{1,2})\s*[、．.]\s*")
PAREN_NUMBER = re.compile(r"[（(]\s*([一二三四五六七八九十]{1,2})\s*[）)]\s*")
ARABIC_NUMBER = re.compile(r"(\d{1,2})\s*[、．.](?!\d)\s*")
SENTENCE_END = "。！？；;!?"
CJK_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
YEAR_START = re.compile(r"(?:19|20)\d{2}\s*年")
INNER_NUMBER = re.compile(r"(?<!\d)1\s*[、.．](?=[\u4e00-\u9fff])")  # a list's first item right after a title
TITLE_PUNCTUATION = re.compile(r"[。：:；;]")
TITLE_END_MARKS = "。：:；; \u3000"
FLAT_MIN_CHARS = 300
MAX_ITEM_PEEK = 400
MAX_TITLE = 30
MAX_ASPECT_TITLE = 20
TABLE_ROW_WORDS = ("申请数量", "本年度办理结果", "继续办理")
# The report's title at the start of a flattened page, before a blank: "平潭综合实验区 2014年度…年度报告 根据…".
LEADING_TITLE = re.compile(r"^([^，。；：,;:]{2,60}?(?:年度报告|工作报告|年报))\s+")


@dataclass(frozen=True)
class Heading:
    start: int  # where the number starts
    end: int  # where the text after the title starts
    text: str  # number and title, as a line of its own


def restore_structure(blocks: list[Block]) -> list[Block]:
    """The blocks with flattened paragraphs cut at their headings, and tables printed as text made tables."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "paragraph" and len(block.text) >= FLAT_MIN_CHARS and len(part_headings(block.text)) >= 2:
            out.extend(_unflatten(block.text))
        else:
            out.append(block)
    return _tables_from_paragraphs(out)


def part_headings(text: str) -> list[Heading]:
    """The part headings inside a flattened text, in order: numbered one after another, each standing
    where a sentence or a table ended, titled as parts are (一、总体情况 / 一、 概述 / 四、政府信息公开工作
    存在的主要问题及改进情况), or, where a title is not known, a short title that a blank, a sentence's
    end or a year ends (三、主要做法2014年，…)."""
    found: list[Heading] = []
    last = 0
    for match in PART_NUMBER.finditer(text):
        if not _at_boundary(text, match.start()):
            continue
        value = chinese_number(match.group(1))
        if value <= last:
            continue
        rest = text[match.end() :]
        title = _known_part_title(rest)
        if title is None and value == last + 1:
            title = _title_before_blank(rest) or _run_in_title(rest, strong_only=False)
        if title is None or any(word in title for word in TABLE_ROW_WORDS):
            continue
        found.append(Heading(match.start(), match.end() + len(title), f"{match.group(1)}、{title.strip()}"))
        last = value
    return found


def _unflatten(text: str) -> list[Block]:
    headings = part_headings(text)
    head = text[: headings[0].start].strip()
    title = LEADING_TITLE.match(head)
    blocks = [Block("heading", title.group(1))] if title else []
    blocks += _text_blocks(head[title.end() :] if title else head)
    for index, heading in enumerate(headings):
        end = headings[index + 1].start if index + 1 < len(headings) else len(text)
        blocks.append(Block("heading", heading.text))
        body = text[heading.end : end].strip()
        table = read_joined_table(body) if body else None
        if table is not None and table.data_rows:  # under a part's heading: one row is a table too
            blocks.append(Block("table", rows=table.rows, run_together=True))
            body = table.rest
        blocks.extend(_text_blocks(body))
    return blocks


def _text_blocks(text: str) -> list[Block]:
    """A part's running text cut at its sub-headings: （一）… numbered from 一, then 1.… inside them."""
    blocks: list[Block] = []
    for heading, body in _cut(text.strip(), PAREN_NUMBER, lambda number: f"（{number}）"):
        if heading:
            blocks.append(Block("heading", heading))
        for inner, inner_body in _cut(body, ARABIC_NUMBER, lambda number: f"{number}.", strong_only=True):
            if inner:
                blocks.append(Block("heading", inner))
            if inner_body.strip():
                blocks.append(Block("paragraph", inner_body.strip()))
    return blocks


def _cut(text: str, pattern: re.Pattern[str], shown, strong_only: bool = False) -> list[tuple[str, str]]:
    """(heading, text) pairs: the text before the first heading, then each heading with its text.

    Headings are numbered one after another from 1; one stands at the start or after a sentence.
    """
    out: list[tuple[str, str]] = []
    last, position, heading = 0, 0, ""
    for match in pattern.finditer(text):
        if match.start() < position or not (match.start() == 0 or text[match.start() - 1] in SENTENCE_END + "：: \u3000"):
            continue
        raw = match.group(1)
        value = int(raw) if raw.isdigit() else chinese_number(raw)
        if value != last + 1:
            continue
        title = _run_in_title(text[match.end() :], strong_only)
        if title is None:
            continue
        if strong_only and "。" not in _item_text(text[match.end() + len(title) :], value + 1):
            continue  # a list item is a sentence or more ("5.信函申请数 条 0 0" is a table's row)
        out.append((heading, text[position : match.start()]))
        heading = shown(raw) + title.strip()
        position = match.end() + len(title)
        while position < len(text) and text[position] in TITLE_END_MARKS:
            position += 1
        last = value
    out.append((heading, text[position:]))
    return [(h, body) for h, body in out if h or body.strip()]


def _item_text(rest: str, following: int) -> str:
    """The text of a list item: up to the next item's number, or as far as a list item goes."""
    rest = rest[:MAX_ITEM_PEEK]
    after = re.search(rf"(?<!\d){following}\s*[、．.](?!\d)", rest)
    return rest[: after.start()] if after else rest


def _run_in_title(rest: str, strong_only: bool) -> str | None:
    """The title of a heading run into its text: up to the first 。：；, a blank, a year (2023年…), the
    first item of a list (1、…) or, for the usual "（一）主动公开方面…", the word 方面. None where none
    of these comes soon enough."""
    ends: list[int] = []
    punctuation = TITLE_PUNCTUATION.search(rest)
    if punctuation and 0 < punctuation.start() <= MAX_TITLE and "，" not in rest[: punctuation.start()]:
        ends.append(punctuation.start())
    blank = re.search(r"\s", rest)
    if blank and 0 < blank.start() <= MAX_TITLE and "，" not in rest[: blank.start()]:
        ends.append(blank.start())
    if not strong_only:
        inner = INNER_NUMBER.search(rest)
        if inner and 1 < inner.start() <= MAX_TITLE and "，" not in rest[: inner.start()]:
            ends.append(inner.start())
        year = YEAR_START.search(rest)
        if year and 1 < year.start() <= MAX_TITLE and "，" not in rest[: year.start()]:
            ends.append(year.start())
        aspect = rest.find("方面")
        if 0 < aspect <= MAX_ASPECT_TITLE and rest[aspect + 2 : aspect + 3] != "的" and "，" not in rest[:aspect]:
            ends.append(aspect + 2)
    if not ends:
        return None
    end = min(ends)
    return rest[:end] if rest[:end].strip() else None


def _at_boundary(text: str, start: int) -> bool:
    """A part heading stands at the start, or after anything but a Chinese character (第一、 统一、 are words)."""
    return start == 0 or not CJK_IDEOGRAPH.match(text[start - 1])


def _known_part_title(rest: str) -> str | None:
    """The part title ``rest`` starts with, blanks inside it allowed; the longest that fits."""
    compact = re.sub(r"\s+", "", rest[: MAX_TITLE * 2])
    for title in part_titles():
        if compact.startswith(title):
            return _span_of(rest, len(title))
    return None


def _span_of(rest: str, chars: int) -> str:
    """The prefix of ``rest`` holding ``chars`` non-blank characters (and the blanks among them)."""
    seen = 0
    for index, char in enumerate(rest):
        if not char.isspace():
            seen += 1
            if seen == chars:
                return rest[: index + 1]
    return rest


def _title_before_blank(rest: str) -> str | None:
    """A title of its own words: what stands before the next blank, when that is short (blanks before it kept)."""
    lead = len(rest) - len(rest.lstrip())
    blank = re.search(r"\s", rest[lead:])
    if not blank or blank.start() > MAX_TITLE or any(ch in rest[lead : lead + blank.start()] for ch in "，,。；;"):
        return None
    title = rest[: lead + blank.start()]
    return title if CJK_IDEOGRAPH.search(title) else None


def _tables_from_paragraphs(blocks: list[Block]) -> list[Block]:
    """Runs of paragraphs that together are a table printed as text (a row a line, cells run together)."""
    out: list[Block] = []
    run: list[tuple[Block, JoinedTable]] = []

    def flush() -> None:
        whole = JoinedTable(
            [row for _, table in run for row in table.rows],
            sum(table.data_rows for _, table in run),
            any(table.review_line for _, table in run),
            run[-1][1].rest if run else "",
        )
        if whole.is_table:
            out.append(Block("table", rows=whole.rows, run_together=True))
            if whole.rest:
                out.append(Block("paragraph", whole.rest))
        else:
            out.extend(block for block, _ in run)
        run.clear()

    for block in blocks:
        table = read_joined_table(block.text) if block.kind == "paragraph" else None
        if table is not None:
            run.append((block, table))
            if not table.rest:
                continue
        flush()
        if table is None:
            out.append(block)
    flush()
    return out
