"""What a report says about itself: title, agency (发布机关), the year reported on, publication date, region."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from archive.model import Region
from archive.parse.regions import find_region
from archive.readers.document import Block
from archive.readers.numbering import PART, numbered_heading

TITLE_WORDS = re.compile(r"(年度报告|工作报告|年报)")
TITLE_END = re.compile(r"(年度报告|工作报告|年报)$")
YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?")
STATISTICS_PERIOD = re.compile(r"统计期限(?:为|是)?\s*(?:自|从)?\s*((?:19|20)\d{2})\s*年")
YEAR_AT_START = re.compile(r"^((?:19|20)\d{2})\s*年")
DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?")
DATE_LINE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
PUBLISHED = re.compile(r"(?:发布|公开|印发|成文)(?:日期|时间)\s*[:：]?\s*" + DATE.pattern)
COMPILED_BY = re.compile(r"本(?:年度)?报告(?:是)?由\s*([\u4e00-\u9fff（）()]{4,40}?)\s*(?:按照|根据|依据|依照|编制|负责)")
ORG_SUFFIX = re.compile(
    r"(人民政府|政府|办公室|管理委员会|管委会|委员会|办事处|局|厅|委|办|中心|院|所|署|部|公司|会|队|站|社)$"
)
SPACES = re.compile(r"\s+")
NOT_THE_AGENCY = re.compile(r"“[^”]{0,40}”|《[^》]{0,80}》|与[^，。；]{0,40}?联系")
HEAD_BLOCKS = 8  # the title is among the first few text blocks


@dataclass
class Meta:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    publication_date: str | None = None
    region: Region = field(default_factory=Region)
    title_blocks: set[int] = field(default_factory=set)  # block indexes that make up the title


def recognise_meta(
    blocks: list[Block],
    fallback_title: str | None = None,
    fallback_date: str | None = None,
    publisher: str | None = None,
) -> Meta:
    """Title, agency, year, publication date and region of a report.

    ``fallback_title`` and ``fallback_date`` are what the container says (an HTML <title>, a
    portal's publication date, a crawler's header); they are used only where the body lacks the
    fact. ``publisher`` (a crawler's 发布机构, a page's 来源) names the agency only where neither the
    title nor the text does: portals fill it with whoever uploaded the page.
    """
    texts = [
        (i, text)
        for i, b in enumerate(blocks)
        if b.kind != "table" and (text := _without_marks(SPACES.sub(" ", b.text).strip()))
    ]
    body = "\n".join(text for _, text in texts)
    meta = Meta()
    title, meta.title_blocks = _title(texts)
    if title is None and fallback_title:
        title = _container_title(_without_marks(fallback_title))
    meta.title = title
    meta.year = _year(title, body, texts, fallback_date)
    meta.agency = _plausible_agency(_agency(title, body, texts)) or _plausible_agency(publisher)
    meta.publication_date = _publication_date(texts, body) or _iso(fallback_date)
    meta.region = find_region(meta.agency, body)
    return meta


# What is never part of a title or an agency's name: Markdown heading marks, a key written before it
# (标题：…), page furniture standing before it (正文, a breadcrumb).
HEADING_MARKS = re.compile(r"^(?:#{1,6}\s*)+")
KEY_BEFORE = re.compile(r"^(?:标题|题目|名称|正文|当前位置|您的位置)\s*[:：]?\s*")
NOT_IN_A_NAME = re.compile(r"[:：#>›»/|｜]|正文|当前位置|首页")


def _without_marks(text: str) -> str:
    """A line without the marks and keys that stand before a title (``# ``, ``标题：``, ``正文``)."""
    previous = None
    while previous != text:
        previous = text
        text = KEY_BEFORE.sub("", HEADING_MARKS.sub("", text)).strip()
    return text


def _plausible_agency(name: str | None) -> str | None:
    """An agency's name as it may stand on the site: nothing of a key, a mark or a breadcrumb in it."""
    if not name:
        return None
    name = _without_marks(_compact(name))
    if NOT_IN_A_NAME.search(name):
        name = NOT_IN_A_NAME.split(name)[-1]
    return name if len(name) >= 2 else None


def _compact(text: str) -> str:
    """Chinese titles carry no meaningful spaces: '温县人民政府办公室 2023 年…' → '温县人民政府办公室2023年…'."""
    return SPACES.sub("", text).strip()


def _title(texts: list[tuple[int, str]]) -> tuple[str | None, set[int]]:
    """The report's title among the first text blocks, and the blocks it takes.

    A title split over lines is joined: "董封乡人民政府" / "2023 年政府信息公开工作年度报告", or
    "…2023年政府信息公开工作年度" / "报告". The same title printed again right after it (a page that
    shows it above the body and at the body's start) is taken too.
    """
    head = []
    for index, text in texts[:HEAD_BLOCKS]:
        heading = numbered_heading(text)
        if heading is not None and heading.rank == PART:
            break
        head.append((index, text))
    for position in range(len(head)):
        found = _title_at(head, position)
        if found is None:
            continue
        title, used, end = found
        year = YEAR_IN_TITLE.search(title)
        while end < len(head) and year and _is_title_line(head[end][1]) and year.group(1) in head[end][1]:
            used.add(head[end][0])
            end += 1
        return title, used
    return None, set()


def _title_at(head: list[tuple[int, str]], position: int) -> tuple[str, set[int], int] | None:
    """The title that starts its last line at ``position`` (over up to three lines), the blocks it takes
    and the position after it; None when no title ends there."""
    for span in (1, 2, 3):
        pieces = head[position : position + span]
        if len(pieces) < span:
            return None
        text = "".join(piece for _, piece in pieces)
        if span > 1 and (any(_ends_a_line(piece) for _, piece in pieces) or not TITLE_END.search(text)):
            continue
        if not _is_title_line(text):
            continue
        parts, used = [text], {index for index, _ in pieces}
        back = position - 1
        while back >= 0 and _starts_without_agency("".join(parts)):
            previous_index, previous = head[back]
            if _ends_a_line(previous):
                break
            parts.insert(0, previous)
            used.add(previous_index)
            back -= 1
        return _compact("".join(parts)), used, position + span
    return None


def _is_title_line(text: str) -> bool:
    return bool(TITLE_WORDS.search(text)) and len(text) <= 80 and not text.startswith("本") and not text.endswith("。")


def _ends_a_line(text: str) -> bool:
    """A line that a title does not go on from: long, or a sentence."""
    return len(text) > 40 or text.endswith(("。", "；", "："))


def _container_title(title: str) -> str | None:
    """'…年度报告_政府信息公开年报_某某门户' → the segment that is the report's title."""
    segments = [_compact(s) for s in re.split(r"\s*(?:_|\||｜| - | — |——)\s*", title) if s.strip()]
    for segment in segments:
        if TITLE_WORDS.search(segment):
            return segment
    return None  # a site name or "Microsoft Word - 1.docx" is not a report title


def _starts_without_agency(title: str) -> bool:
    compact = _compact(title)
    return bool(YEAR_AT_START.match(compact)) or compact.startswith(("政府信息公开", "公开工作", "年度报告", "工作年度报告"))


def _year(title: str | None, body: str, texts: list[tuple[int, str]], fallback_date: str | None) -> int | None:
    if title:
        match = YEAR_IN_TITLE.search(title)
        if match:
            return int(match.group(1))
    match = STATISTICS_PERIOD.search(body)
    if match:
        return int(match.group(1))
    for _, text in texts[:HEAD_BLOCKS * 2]:
        match = YEAR_AT_START.match(_compact(text))
        if match:
            return int(match.group(1))
    if fallback_date:
        match = re.match(r"((?:19|20)\d{2})", fallback_date)
        if match:
            return int(match.group(1)) - 1  # a report is published early in the year after
    return None


def _agency(title: str | None, body: str, texts: list[tuple[int, str]]) -> str | None:
    candidate = None
    if title:
        match = YEAR_IN_TITLE.search(title)
        prefix = title[: match.start()] if match else ""
        prefix = re.sub(r"^(关于)", "", prefix).strip("《》“”")
        if len(prefix) >= 2:
            candidate = prefix
    if candidate is None:
        match = COMPILED_BY.search(_compact(body))
        if match:
            candidate = match.group(1)
    if candidate is None:
        candidate = _signature(texts)
    if candidate and not ORG_SUFFIX.search(candidate):
        candidate = _complete_agency(candidate, body) or candidate
    return candidate


def _complete_agency(prefix: str, body: str) -> str | None:
    """'平潭综合实验区' in the title, '平潭综合实验区管委会' in the text: the body's fuller name.

    A quoted name (a website, a document) or the office to contact is not the agency that reports.
    """
    pattern = re.compile(re.escape(prefix) + r"(?:人民政府|管理委员会|管委会|办公室|委员会|局)")
    found = Counter(pattern.findall(NOT_THE_AGENCY.sub("", _compact(body))))
    return found.most_common(1)[0][0] if found else None


def _signature(texts: list[tuple[int, str]]) -> str | None:
    """The agency that signs at the end: a short organisation name right before the date line."""
    tail = texts[-4:]
    for (_, text), (_, after) in zip(tail, tail[1:], strict=False):
        if DATE_LINE.match(after) and len(text) <= 30 and ORG_SUFFIX.search(text):
            return _compact(text)
    return None


def _publication_date(texts: list[tuple[int, str]], body: str) -> str | None:
    match = PUBLISHED.search(body)
    if match:
        return _iso_parts(*match.groups())
    for _, text in reversed(texts[-4:]):
        match = DATE_LINE.match(text)
        if match:
            return _iso_parts(*match.groups())
    return None


def _iso_parts(year: str, month: str, day: str) -> str | None:
    y, m, d = int(year), int(month), int(day)
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _iso(date: str | None) -> str | None:
    if not date:
        return None
    match = DATE.search(date)
    return _iso_parts(*match.groups()) if match else None
