"""Cut the portal furniture around a report's text: breadcrumbs, share buttons, font-size switches, footers.

Pages saved as text keep what the portal printed around the report, either as lines of their own
(``当前位置：首页 › 政务公开``, ``字号 大 中 小``, ``打印``, ``正文``) or, on a page flattened onto one
line, run into the text (``… 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> 本报告…``). Only the
head and the tail of the text are cut: the same words inside the report are its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DATE_TIME = r"(?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}(?:\s*日)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
SEPARATOR = r"\s*[>›»→＞/|｜]\s*"
BUTTON = (
    r"微信|微博|QQ空间|QQ|朋友圈|全真版|文字版|文件下载|分享到[:：]?|分享|打印本页|打印|关闭窗口|关闭|收藏|"
    r"返回顶部|返回|扫一扫(?:在手机(?:上)?打开(?:当前页)?)?|手机扫一扫|正文|无障碍|长者模式|适老化|繁体|简体|"
    r"【[^】]{1,8}】|\[[^\]]{1,8}\]"
)
HEAD_PIECES = (
    ("breadcrumb", re.compile(rf"^(?:当前位置|您的位置|你的位置|您所在的位置|所在位置)\s*[:：]\s*(?:[^\s>›»→＞/|｜]+?{SEPARATOR})*[^\s>›»→＞/|｜]+")),
    ("publisher", re.compile(r"^(?:来源|信息来源|文章来源|发布机构|发布单位)\s*[:：]\s*(\S*)")),
    ("date", re.compile(rf"^(?:发布时间|发布日期|时间|日期)\s*[:：]\s*({DATE_TIME})")),
    ("counter", re.compile(r"^(?:浏览次数|访问量|阅读量|点击数|浏览量|访问次数)\s*[:：]\s*\d*")),
    ("font", re.compile(r"^(?:字号|字体)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小\s*[】\]]?")),
    ("links", re.compile(r"^(?:相关链接|相关文章|相关阅读)\s*[:：]?\s*(?:-->)?")),
    ("arrow", re.compile(r"^(?:-->|<--|>>|»)")),
    ("button", re.compile(rf"^(?:{BUTTON})(?=\s|$)")),
)
TAIL_PIECES = (
    re.compile(r"(?:^|(?<=\s))(?:附件下载\s*[:：]?|附件\s*[:：])$"),
    re.compile(r"(?:相关链接|相关文章|相关阅读)\s*[:：]?\s*(?:-->)?$"),
    re.compile(rf"(?<=\s)(?:{BUTTON})$"),
    re.compile(rf"^(?:{BUTTON})$"),
    re.compile(r"(?:网站标识码|ICP备|主办单位|承办单位|版权所有|联系我们|网站地图|技术支持)[^。]{0,80}$"),
)
TITLE_LIKE = re.compile(r"(年度报告|年报)$")
MAX_TITLE_CHARS = 60
HEAD_LINES = 12  # furniture stands above the report's first lines, not in its body
PROSE_CHARS = 80


@dataclass
class ChromeHints:
    """What the furniture said about the page: its source line (来源) and time, where it printed them."""

    publisher: str | None = None
    date: str | None = None


def cut_page_chrome(lines: list[str]) -> tuple[list[str], ChromeHints]:
    """The lines without the portal's furniture at their head and tail, and what it said."""
    hints = ChromeHints()
    out: list[str] = []
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            out.append(line)
            continue
        kept = _cut_head(line, hints)
        out.extend(kept)
        seen += 1
        if seen >= HEAD_LINES or any(len(piece) > PROSE_CHARS for piece in kept):
            out.extend(lines[index + 1 :])
            break
    for index in range(len(out) - 1, -1, -1):
        if not out[index].strip():
            continue
        out[index] = _cut_tail(out[index])
        if out[index].strip():
            break
    return out, hints


def _cut_head(text: str, hints: ChromeHints) -> list[str]:
    """``text`` without the furniture at its start, as lines: a page title found between two pieces of
    furniture on a line of its own, then the rest (nothing when the whole line was furniture)."""
    kept: list[str] = []
    rest = text.strip()
    while rest:
        piece = _head_piece(rest, hints)
        if piece:
            rest = rest[piece:].lstrip()
            continue
        title, _, after = rest.partition(" ")
        if kept or not TITLE_LIKE.search(title) or len(title) > MAX_TITLE_CHARS or not _head_piece(after.lstrip(), None):
            break
        kept.append(title)
        rest = after.lstrip()
    return [piece for piece in (*kept, rest.strip()) if piece]


def _head_piece(text: str, hints: ChromeHints | None) -> int:
    """How many characters of furniture ``text`` starts with (0: none)."""
    for name, pattern in HEAD_PIECES:
        match = pattern.match(text)
        if not match or match.end() == 0:
            continue
        if hints is not None and name == "publisher" and match.group(1) and hints.publisher is None:
            hints.publisher = match.group(1)
        if hints is not None and name == "date" and hints.date is None:
            hints.date = match.group(1)
        return match.end()
    return 0


def _cut_tail(text: str) -> str:
    rest = text.rstrip()
    changed = True
    while rest and changed:
        changed = False
        for pattern in TAIL_PIECES:
            match = pattern.search(rest)
            if match:
                rest = rest[: match.start()].rstrip()
                changed = True
                break
    return rest
