"""The header a website crawler writes above the text it saved: ``标题: …``, ``发布时间: …``, ``原文链接: …``
(or ``【标题】…``, ``[title] …``), sometimes ending with the body's own key (``正文：…``, ``content: …``).

Its values say what the page was (title, date, who published it); the keys are never text of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_VALUE = re.compile(
    r"^\s*(?:([\u4e00-\u9fffA-Za-z_]{2,14})\s*[:：]|[【\[〔]\s*([\u4e00-\u9fffA-Za-z_]{2,14})\s*[】\]〕][:：]?)\s*(.*?)\s*$"
)
TITLE_KEYS = frozenset({"标题", "题目", "文章标题", "名称", "title"})
DATE_KEYS = frozenset(
    {"发布时间", "发布日期", "成文日期", "发文日期", "日期", "时间", "date", "published", "pubdate", "publish_time",
     "publish_date", "pub_date", "release_date"}
)
PUBLISHER_KEYS = frozenset({"发布机构", "发文机关", "发布单位", "来源", "信息来源", "文章来源", "source", "publisher"})
LINK_KEYS = frozenset({"原文链接", "链接", "网址", "url", "link", "source_url"})
OTHER_KEYS = frozenset(
    {"文号", "发文字号", "索引号", "栏目", "所属栏目", "分类", "主题分类", "关键词", "关键字", "本地目录", "保存时间",
     "抓取时间", "采集时间", "category", "keywords", "path", "crawled"}
)
BODY_KEYS = frozenset({"正文", "内容", "正文内容", "content", "body", "text"})
"""The key of the body itself: the header ends there, and its value (if any) is the body's first line."""
KEYS = TITLE_KEYS | DATE_KEYS | PUBLISHER_KEYS | LINK_KEYS | OTHER_KEYS
# Lines a crawler adds that are not key-value pairs: a pointer to its link list, a rule before the body.
CRAWLER_NOTE = re.compile(r"^\s*(页面链接与图片详见.*|links\.tsv.*)$")
BODY_RULE = re.compile(r"^\s*[=\-*#~_]{3,}\s*(正文|内容|body)?\s*[=\-*#~_]*\s*$", re.IGNORECASE)
MAX_HEADER_LINES = 20
MIN_KEYS = 2  # one "标题：" line may be the report's own first line; a crawler writes several


@dataclass
class CrawlHeader:
    """What a crawler's header says; ``lines`` is how many lines it takes (the body starts after them)."""

    title: str | None = None
    date: str | None = None
    publisher: str | None = None
    lines: int = 0
    body_start: str | None = None
    """The text the body's own key (``正文：…``) had after it on its line: the first line of the body."""


def read_crawl_header(lines: list[str]) -> CrawlHeader | None:
    """The crawler header at the top of ``lines``, or None when the text starts without one.

    A header is a run of ``key: value`` lines with known keys (at least two of them, one being a
    title, a date or a link), optionally closed by a rule line (``==== 正文 ====``).
    """
    header = CrawlHeader()
    keys: list[str] = []
    index = 0
    while index < min(len(lines), MAX_HEADER_LINES):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if BODY_RULE.match(line):
            index += 1
            break
        if CRAWLER_NOTE.match(line):
            index += 1
            continue
        match = KEY_VALUE.match(line)
        if match is None:
            break
        key, value = (match.group(1) or match.group(2)).lower(), match.group(3)
        if key in BODY_KEYS and keys:
            header.body_start = value or None
            index += 1
            break
        if key not in KEYS:
            break
        keys.append(key)
        value = value.strip() or None
        if key in TITLE_KEYS and header.title is None:
            header.title = value
        elif key in DATE_KEYS and header.date is None:
            header.date = value
        elif key in PUBLISHER_KEYS and header.publisher is None:
            header.publisher = value
        index += 1
    decisive = any(k in TITLE_KEYS or k in DATE_KEYS or k in LINK_KEYS for k in keys)
    if len(keys) < MIN_KEYS or not decisive:
        return None
    header.lines = index
    return header
