"""Figures the text of a report states that its tables also hold: 共收到政府信息公开申请 16 件, 办结 148 件,
结转下年度 6 件, 行政复议 36 起, 行政诉讼 9 起, 制发行政规范性文件 62 件, 现行有效规范性文件 27 件.

Each figure comes with what it counts (``kind``), where it stands (the section's anchor and the
offsets of the words in its text) and the words as printed. Only the usual wordings are
recognised, and only where the number follows them directly (or, for 办结, stands right before
them): a figure that is a change (较上年增加 5 件), a share (办结率 100%) or a part (其中网上申请 4 件)
is not one of these. A number written in Chinese characters (三件) is not read.

``scope`` says whose figure it is, from the words before it in its clause:

* ``own``: the report's agency (no subject; 我办, 本机关, 全区 in a government's report, the
  agency's own name or a part of it such as 官庄镇);
* ``part``: a part of the whole (其中…, 包括…, 涉及…);
* ``other``: another unit is named (区政府办代表区政府受理…, 各部门…), or 全县/全区 in the report of
  an office or department, whose tables are its own.

``year``: the last year printed before the figure in its sentence (2022年共收到…), or None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from archive.model import Section
from archive.parse.passages import sentences

FigureKind = Literal[
    "requests_received",
    "requests_processed",
    "requests_handled",
    "requests_carried_over",
    "requests_carried_forward",
    "review",
    "litigation",
    "normative_issued",
    "normative_in_force",
]
Scope = Literal["own", "part", "other"]

KIND_LABELS: dict[str, str] = {
    "requests_received": "收到的政府信息公开申请数",
    "requests_processed": "办理的政府信息公开申请数",
    "requests_handled": "办结的政府信息公开申请数",
    "requests_carried_over": "上年结转的申请数",
    "requests_carried_forward": "结转下年度的申请数",
    "review": "行政复议案件数",
    "litigation": "行政诉讼案件数",
    "normative_issued": "本年制发的规范性文件数",
    "normative_in_force": "现行有效的规范性文件数",
}


@dataclass(frozen=True)
class StatedFigure:
    """One figure stated in the text: ``section_text[start:end] == raw``."""

    kind: FigureKind
    value: int
    raw: str
    section: str
    start: int
    end: int
    sentence: str
    scope: Scope = "own"
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatedFigure:
        return cls(**data)


# --- the wordings ------------------------------------------------------------------------------------

_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)"
_TOTAL = r"(?:共计|合计|总计|累计|总数为|数量为|共|计|为|达)?"
_PIECES = r"\s*(?:件|个|份)"
_CASES = r"\s*(?:件|起|宗|个)"
_GAP = r"[^，。；,;：:\d\s]{0,16}?"
"""Words between a verb and its object (通过邮寄、网络提交的各类), without a number or a clause break."""
_REQUEST = r"(?:政府信息公开申请|信息公开申请|依申请公开(?:政府信息)?(?:申请|事项)?|公开申请|申请)"
_FOLLOW = r"(?![\d.%％])"
"""Not part of a longer number, a decimal or a percentage."""

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "requests_received",
        re.compile(rf"(?:收到|受理|接收|接到|新收|收悉){_GAP}{_REQUEST}\s*{_TOTAL}\s*{_NUM}{_PIECES}{_FOLLOW}"),
    ),
    ("requests_processed", re.compile(rf"办理{_GAP}{_REQUEST}\s*{_TOTAL}\s*{_NUM}{_PIECES}{_FOLLOW}")),
    (
        "requests_handled",
        re.compile(rf"(?:办结|办理完毕|答复完毕)(?:{_GAP}{_REQUEST})?\s*{_TOTAL}\s*{_NUM}{_PIECES}{_FOLLOW}"),
    ),
    (
        "requests_handled",
        re.compile(rf"(?<![\d,]){_NUM}\s*件\s*(?:均已|已|均|全部)?\s*(?:在[^，。；,;\d]{{0,12}}内)?\s*(?:办理完毕|办结|答复完毕)"),
    ),
    (
        "requests_carried_forward",
        re.compile(
            rf"结转(?:至|到)?\s*(?P<to>下一?年度?|次年|\d{{4}}\s*年度?)?\s*(?:继续办理|办理)?(?:的)?(?:{_REQUEST})?"
            rf"\s*{_TOTAL}\s*{_NUM}{_PIECES}{_FOLLOW}"
        ),
    ),
    ("review", re.compile(rf"行政复议(?:案件|事项|申请)?\s*{_TOTAL}\s*{_NUM}{_CASES}{_FOLLOW}")),
    ("litigation", re.compile(rf"(?<![复议][、和及与])行政诉讼(?:案件|事项)?\s*{_TOTAL}\s*{_NUM}{_CASES}{_FOLLOW}")),
    (
        "normative_issued",
        re.compile(rf"(?:制发|印发|出台|制定)(?:了|的)?(?:行政)?规范性文件\s*{_TOTAL}\s*{_NUM}{_PIECES}{_FOLLOW}"),
    ),
    (
        "normative_in_force",
        re.compile(rf"现行有效(?:的)?(?:行政)?规范性文件\s*(?:{_TOTAL}|有)\s*{_NUM}{_PIECES}{_FOLLOW}"),
    ),
]

_CARRIED_OVER = re.compile(r"(?:上年度?|上一年度?|去年|往年|以前年度)(?:的)?$")
_REVIEW_AND = re.compile(r"复议[、和及与](?:提起|被提起)?$")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?（）()]")
_YEAR = re.compile(r"(\d{4})\s*年")
_PART_OF = ("其中", "包括", "涉及", "占")
_ACTIONS = ("发布", "公开", "清理", "上传", "更新", "汇编", "梳理", "整理", "录入", "报送", "备案", "审核")
"""Before 现行有效规范性文件 N 件, a figure of documents acted upon this year, not of those in force."""
_OTHER_UNIT = ("代表", "各部门", "各单位", "部门", "单位", "各镇", "各乡", "街道", "所属", "下属", "指导")
_SELF = ("我办", "我局", "我委", "我中心", "我厅", "本机关", "本单位", "我单位", "本部门", "我部门", "本级", "我镇", "我乡",
         "本镇", "本乡", "我街道", "本街道", "我县", "我区", "我市", "本县", "本区", "本市")
_WHOLE_AREA = ("全县", "全区", "全市", "全镇", "全乡", "全旗", "全州", "全省", "全街道")
_UNIT_NOUN = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:政府办|办公室|人民政府|政府|管委会|委员会|局|委|中心|街道|镇|乡)")
_NOT_A_UNIT = re.compile(r"政府信息|政务|人民政府令")
"""Words with 政府 in them that name no unit (因政府信息公开引起的…)."""
_OFFICE_NAME = re.compile(r"(?:办公室|办|局|委员会|委|中心|厅|署|院|所|站|队|处|科)$")


def stated_figures(sections: Iterable[Section], agency: str | None = None, year: int | None = None) -> list[StatedFigure]:
    """Every figure of the usual wordings in the text of ``sections`` and their sub-sections, in order.

    ``agency`` (the report's agency) tells the agency's own words from another unit's;
    ``year`` (the report's year) tells 结转至2024年 (forward, in a 2023 report) from 结转至2023年.
    """
    out: list[StatedFigure] = []
    for part in sections:
        for _, section in part.walk():
            if section.text:
                out.extend(_in_section(section, agency, year))
    return out


def _in_section(section: Section, agency: str | None, year: int | None) -> Iterator[StatedFigure]:
    text = section.text
    for sentence in sentences(text):
        said = sentence.text  # \d is any decimal digit: full-width ones are read too
        taken: list[tuple[int, int]] = []
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(said):
                span = match.span()
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue  # the words already counted as another figure (办理完毕 after 收到…)
                figure_kind = _kind(kind, match, said, year)
                if figure_kind is None:
                    continue
                lead = _clause_lead(said, span[0])
                if figure_kind == "normative_in_force" and any(word in lead for word in _ACTIONS):
                    continue
                if figure_kind == "litigation" and _REVIEW_AND.search(lead):
                    continue  # 行政复议、行政诉讼案件 N 件: both together
                taken.append(span)
                start = sentence.start + span[0]
                yield StatedFigure(
                    kind=figure_kind,
                    value=int(match.group("num").replace(",", "")),
                    raw=text[start : sentence.start + span[1]],
                    section=section.anchor,
                    start=start,
                    end=sentence.start + span[1],
                    sentence=sentence.text,
                    scope=_scope(lead, _clause_lead(said, span[0], 2), agency),
                    year=_year_before(said, span[0]),
                )


def _kind(kind: str, match: re.Match[str], sentence: str, year: int | None) -> FigureKind | None:
    if kind != "requests_carried_forward":
        return kind  # type: ignore[return-value]
    to = (match.groupdict().get("to") or "").replace(" ", "")
    before = sentence[: match.start()]
    if _CARRIED_OVER.search(before) or (to[:4].isdigit() and year is not None and int(to[:4]) == year):
        return "requests_carried_over"
    if to[:4].isdigit() and year is not None and int(to[:4]) != year + 1:
        return None  # carried to some other year: not this report's figure
    return "requests_carried_forward"


def _clause_lead(sentence: str, start: int, clauses: int = 1) -> str:
    """The words before the figure in its clause (its subject, where it has one), and in the ``clauses`` - 1
    clauses before that."""
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    return before[breaks[-clauses].end() :] if len(breaks) >= clauses else before


def _year_before(sentence: str, start: int) -> int | None:
    years = _YEAR.findall(sentence[:start])
    return int(years[-1]) if years else None


def _scope(lead: str, wider: str, agency: str | None) -> Scope:
    """``lead``: the clause's words before the figure; ``wider``: with the clause before (其中，收到…)."""
    if any(word in wider for word in _PART_OF):
        return "part"
    name = (agency or "").replace(" ", "")
    rest = _NOT_A_UNIT.sub("", lead)
    if name:
        rest = rest.replace(name, "")
    for word in _SELF:
        rest = rest.replace(word, "")
    for word in _WHOLE_AREA:
        if word in rest:
            if name and _OFFICE_NAME.search(name):
                return "other"  # an office's tables are its own, not the county's
            rest = rest.replace(word, "")
    if any(word in rest for word in _OTHER_UNIT):
        return "other"
    for unit in _UNIT_NOUN.finditer(rest):
        if not name or unit.group(0) not in name:
            return "other"
    return "own"
