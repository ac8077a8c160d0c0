"""``content/themes.toml``: the list of themes staff edit, read and checked.

Every problem in the file is reported at once, each naming the file and the entry::

    [[theme]]
    slug = "policy-interpretation"     # the page's address: lowercase letters, digits, hyphens
    name = "政策解读"                    # shown on the pages
    description = "政策文件的解读材料、解读形式和解读质量。"
    keywords = ["政策解读", "解读材料"]  # a sentence containing any of them has the theme
    patterns = ["解读.{0,8}(形式|质量)"]  # optional: regular expressions, searched in the sentence
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError

FILE_NAME = "themes.toml"
ENTRY_KEYS = {"slug", "name", "description", "keywords", "patterns"}
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")
RESERVED_SLUGS = {"index", "uncovered"}
"""Addresses of the themes' own pages (themes/index.html, themes/uncovered.html)."""


class ThemesConfigError(ArchiveError):
    """content/themes.toml cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    @cached_property
    def matcher(self) -> re.Pattern[str]:
        """One expression for the keywords and the patterns."""
        return re.compile("|".join([*(re.escape(k) for k in self.keywords), *(f"(?:{p})" for p in self.patterns)]))

    def matches(self, sentence: str) -> bool:
        return self.matcher.search(sentence) is not None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["keywords"], data["patterns"] = list(self.keywords), list(self.patterns)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Theme:
        return cls(data["slug"], data["name"], data["description"], tuple(data["keywords"]), tuple(data["patterns"]))


@dataclass(frozen=True)
class ThemeList:
    """The themes in the file's order."""

    themes: tuple[Theme, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def digest(self) -> str:
        """What the tags depend on: changes when any theme's slug, keywords or patterns change."""
        key = [(t.slug, t.keywords, t.patterns) for t in self.themes]
        return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]

    def by_slug(self) -> dict[str, Theme]:
        return {t.slug: t for t in self.themes}

    def to_dict(self) -> dict[str, Any]:
        return {"digest": self.digest, "themes": [t.to_dict() for t in self.themes]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThemeList:
        return cls(tuple(Theme.from_dict(t) for t in data.get("themes", [])))


def themes_path(content_dir: Path) -> Path:
    return Path(content_dir) / FILE_NAME


def load_themes(path: Path) -> ThemeList:
    """The themes of ``path``; no themes when the file does not exist. Raises ``ThemesConfigError``."""
    path = Path(path)
    if not path.exists():
        return ThemeList(source=str(path))
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except UnicodeDecodeError:
        raise ThemesConfigError(f"主题表 {path} 不是 UTF-8 编码的文本，请另存为 UTF-8。") from None
    except OSError as exc:
        raise ThemesConfigError(f"无法读取主题表 {path}：{exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ThemesConfigError(f"主题表 {path} 不是有效的 TOML：{_toml_problem(exc)}") from exc
    return parse_themes(data, str(path))


def parse_themes(data: dict[str, Any], source: str) -> ThemeList:
    """The themes of a parsed themes.toml; every problem is collected, then raised together."""
    problems: list[str] = []
    extra = sorted(set(data) - {"theme"})
    if extra:
        problems.append(f"不认识的设置 {'、'.join(extra)}（每个主题写在一个 [[theme]] 中）")
    entries = data.get("theme", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append("theme 应写成 [[theme]] 条目")
        entries = []
    themes: list[Theme] = []
    seen_slugs: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        theme, entry_problems = _entry(entry)
        label = f"第 {number} 个主题" + (f"「{entry['name']}」" if isinstance(entry.get("name"), str) and entry["name"].strip() else "")
        problems.extend(f"{label}：{p}" for p in entry_problems)
        if theme is None:
            continue
        for value, seen, what in ((theme.slug, seen_slugs, "slug"), (theme.name, seen_names, "name")):
            if value in seen:
                problems.append(f"{label}：{what} “{value}” 与第 {seen[value]} 个主题重复")
            seen.setdefault(value, number)
        themes.append(theme)
    if problems:
        raise ThemesConfigError(f"主题表 {source} 有 {len(problems)} 处错误：\n" + "\n".join(f"  - {p}" for p in problems))
    return ThemeList(tuple(themes), source)


def _entry(entry: dict[str, Any]) -> tuple[Theme | None, list[str]]:
    problems: list[str] = []
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        problems.append(f"不认识的键 {'、'.join(unknown)}（可用：slug、name、description、keywords、patterns）")
    texts: dict[str, str] = {}
    for key, what in (("slug", "网址名"), ("name", "名称"), ("description", "说明")):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"缺少{what} {key}（一段文字）")
        else:
            texts[key] = value.strip()
    slug = texts.get("slug", "")
    if slug and not SLUG.fullmatch(slug):
        problems.append(f"slug “{slug}” 只能包含小写字母、数字和连字符，且以字母或数字开头（最多 48 个字符）")
    elif slug in RESERVED_SLUGS:
        problems.append(f"slug 不能是 “{slug}”（已用于主题总览页面）")
    keywords = _strings(entry, "keywords", problems)
    patterns = _strings(entry, "patterns", problems)
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            problems.append(f"patterns 中的 “{pattern}” 不是有效的正则表达式（{exc.msg}）")
            continue
        if compiled.search(""):
            problems.append(f"patterns 中的 “{pattern}” 能匹配空文字，会让每个句子都属于这个主题")
    if not keywords and not patterns and "keywords" not in entry and "patterns" not in entry:
        problems.append("至少要有一个关键词 keywords 或正则表达式 patterns")
    elif not keywords and not patterns:
        problems.append("keywords 和 patterns 都是空的，这个主题不会匹配任何句子")
    if problems:
        return None, problems
    return Theme(slug, texts["name"], texts["description"], tuple(keywords), tuple(patterns)), []


def _strings(entry: dict[str, Any], key: str, problems: list[str]) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{key} 应是文字列表，如 {key} = [\"政策解读\"]")
        return []
    blank = [v for v in value if not v.strip()]
    if blank:
        problems.append(f"{key} 中有空白项")
    return [v.strip() for v in value if v.strip()]


def _toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """The parser's message with its position in Chinese (第 3 行第 9 列)."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match is None:
        return message
    what = message[: match.start()].strip()
    return f"第 {match.group(1)} 行第 {match.group(2)} 列：{what}"
