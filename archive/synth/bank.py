"""The sentence bank: sentences of the sample reports, by part and topic, with names and years as placeholders.

Built once from ``content/reports`` (``python -m archive.synth.bank content/reports``) into
``archive/data/sentence_bank.json``; the generator reads only that file.

Placeholders: ``{agency}`` the full agency name, ``{place}`` its short name (the town, or the
county for a county agency), ``{county}``, ``{city}``, ``{province}``, ``{year}`` the report's
year, ``{prev}`` the year before, ``{next}`` the year after.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from archive.model import Report, Section

TOPICS = {
    "active": ("主动公开",),
    "requests": ("依申请",),
    "management": ("信息管理",),
    "platforms": ("平台",),
    "oversight": ("监督", "保障"),
}
TOPIC_TITLES = {
    "active": ["主动公开", "主动公开情况", "主动公开方面"],
    "requests": ["依申请公开", "依申请公开情况", "依申请公开工作情况"],
    "management": ["政府信息管理", "政府信息管理情况"],
    "platforms": ["政府信息公开平台建设", "政府信息公开平台建设情况"],
    "oversight": ["监督保障", "监督保障情况", "监督保障方面"],
}
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_MIN_CHARS = 8


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) >= _MIN_CHARS]


def _town(report: Report) -> str | None:
    agency = report.agency or ""
    if report.region.county and agency.startswith(report.region.county):
        agency = agency[len(report.region.county) :]
    match = re.match(r"(.{1,6}?(?:镇|乡|街道))", agency)
    return match.group(1) if match else None


def _placeholders(sentence: str, report: Report) -> str:
    region = report.region
    town = _town(report)
    names = {
        report.agency: "{agency}",
        town: "{place}",
        region.county: "{county}" if town else "{place}",
        region.city: "{city}",
        region.province: "{province}",
    }
    for name in sorted((n for n in names if n), key=len, reverse=True):
        sentence = sentence.replace(name, names[name])
        short = re.sub(r"(?<=..)[市县区镇乡]$", "", name)  # 官庄 for 官庄镇, 金乡 for 金乡县
        if short != name and len(short) >= 2:
            sentence = re.sub(rf"{short}(?![市县区镇乡])", names[name], sentence)
    year = report.year or 0
    for value, placeholder in ((year, "{year}"), (year - 1, "{prev}"), (year + 1, "{next}")):
        sentence = re.sub(rf"{value}(\s*年)", placeholder + r"\1", sentence)
    return sentence


_PRIVATE = re.compile(r"电话|地址|邮编|\d{3,4}[-—]\d{7,8}|\d{11}")


def _usable(sentence: str) -> bool:
    bare = re.sub(r"\{\w+\}", "", sentence)
    return len(bare) >= _MIN_CHARS and not _PRIVATE.search(sentence)


def _topic(section: Section) -> str | None:
    for topic, words in TOPICS.items():
        if any(w in section.title for w in words):
            return topic
    return None


def build_bank(reports: list[Report]) -> dict[str, Any]:
    bank: dict[str, Any] = {"intro": [], "overview": [], "problems": [], "other": [], **{t: [] for t in TOPICS}}
    for report in reports:
        for ancestors, section in report.all_sections():
            top = (ancestors[0] if ancestors else section).number
            pool: str | None
            if not top:
                pool = "intro"
            elif top == "一":
                pool = "overview" if not ancestors else _topic(ancestors[1] if len(ancestors) > 1 else section)
            elif top == "五":
                pool = "problems"
            elif top == "六":
                pool = "other"
            else:
                pool = None
            if pool:
                bank[pool].extend(p for p in (_placeholders(s, report) for s in _sentences(section.text)) if _usable(p))
    return {k: list(dict.fromkeys(v)) for k, v in bank.items()}  # in the order of the reports


@lru_cache(maxsize=1)
def load_bank() -> dict[str, list[str]]:
    return json.loads(resources.files("archive.data").joinpath("sentence_bank.json").read_text("utf-8"))


def main(argv: list[str]) -> None:
    from archive.pipeline import load_report

    folder = Path(argv[0] if argv else "content/reports")
    reports = [load_report(p, folder) for p in sorted(folder.glob("*.txt"))]
    bank = build_bank(reports)
    target = Path(__file__).resolve().parent.parent / "data" / "sentence_bank.json"
    target.write_text(json.dumps(bank, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{target}: " + ", ".join(f"{k} {len(v)}" for k, v in bank.items()))
    from archive.synth.layouts import write_templates

    templates = write_templates(folder, target.with_name("table_templates.json"))
    print("table templates: " + ", ".join(f"{k} {[t['source'] + ':' + t['layout'] for t in v]}" for k, v in templates.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
