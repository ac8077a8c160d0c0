"""Agencies across years: one agency however its name is written, with region, kind and aliases.

Names are matched on a key that ignores spelling differences that do not change the agency
(``平潭综合实验区`` / ``平潭综合实验区管委会``, ``人民政府`` / ``政府``, full-width characters,
a leading region name). Staff correct or complete what is inferred in ``content/agencies.toml``::

    [[agency]]
    name = "平潭综合实验区管委会"
    aliases = ["平潭综合实验区", "平潭综合实验区管理委员会"]
    kind = "government"          # government, office, department or town
    province = "福建省"
    city = "平潭综合实验区"
    slug = "pingtan"             # optional: the ASCII name in the agency page's URL
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pypinyin import lazy_pinyin

from archive.errors import ArchiveError
from archive.model import Region, Report

AgencyKind = Literal["government", "office", "department", "town", "unknown"]
KIND_LABELS: dict[str, str] = {
    "government": "人民政府",
    "office": "政府办公室",
    "department": "政府部门",
    "town": "乡镇（街道）",
    "unknown": "未分类",
}
UNKNOWN_AGENCY = "（未识别机关）"

_TRAILING = ("管理委员会", "管委会", "人民政府", "政府")
_SPACES = re.compile(r"[\s\u3000]+")
_JOINT_PARTY_BODY = re.compile(r"党工委[、（(]?(管委会|管理委员会)[）)]?")
"""党工委管委会, 党工委（管委会）…: the Party working committee and the administrative committee of a zone
sign their report together; it is the zone's administration (平潭综合实验区党工委管委会 = 平潭综合实验区管委会)."""


class AgencyConfigError(ArchiveError):
    """content/agencies.toml cannot be read."""


@dataclass
class AgencyConfig:
    """One ``[[agency]]`` entry of agencies.toml."""

    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None
    region: Region | None = None
    slug: str | None = None


@dataclass
class Agency:
    """One agency with every report it published, oldest first."""

    name: str
    key: str
    slug: str
    kind: str
    region: Region
    reports: list[Report] = field(default_factory=list)
    names_seen: list[str] = field(default_factory=list)
    configured: bool = False

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.reports if r.year is not None})


def clean_name(name: str) -> str:
    """The name as printed, with full-width letters and digits folded and spaces removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name)).strip()


def name_key(name: str, region: Region | None = None) -> str:
    """The matching key of an agency name: equal keys are the same agency."""
    key = _JOINT_PARTY_BODY.sub("管委会", clean_name(name).replace("人民政府", "政府"))
    key = _strip_trailing(key)
    for prefix in _region_prefixes(region):
        if key.startswith(prefix) and len(key) >= len(prefix) + 2:
            return key[len(prefix) :]
    return key


def _strip_trailing(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _TRAILING:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key = key[: -len(suffix)]
                changed = True
    return key


def _region_prefixes(region: Region | None) -> list[str]:
    if region is None:
        return []
    out: list[str] = []
    for part in reversed(region.path):
        out.append(part)
        short = re.sub(r"(省|市|自治区|自治州|地区|盟|县|区|旗)$", "", part)
        if len(short) >= 2 and short != part:
            out.append(short)
    return sorted(out, key=len, reverse=True)


def infer_kind(name: str) -> AgencyKind:
    name = clean_name(name)
    if re.search(r"(镇|乡|街道|街道办事处|苏木)(人民政府|政府)?$", name):
        return "town"
    if "办公室" in name or name.endswith("政府办"):
        return "office"
    if re.search(r"(人民政府|政府|管委会|管理委员会)$", name):
        return "government"
    if re.search(r"(局|委|委员会|厅|中心|署|院|办)$", name):
        return "department"
    return "unknown"


def ascii_slug(text: str, limit: int = 48) -> str:
    """Lower-case ASCII from Chinese (pinyin) or Latin text: letters, digits and hyphens."""
    words = lazy_pinyin(clean_name(text))
    joined = "".join(w if w.isascii() else "-" for w in words).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", joined).strip("-")
    return slug[:limit].strip("-")


def agency_slug(name: str, place: str = "") -> str:
    """Pinyin of the name plus a short hash of it (and its place), so equal-sounding names never share a URL."""
    digest = hashlib.sha1(f"{clean_name(name)}|{place}".encode()).hexdigest()[:4]
    shown = name if not place or clean_name(name).startswith(place) else place + name
    base = ascii_slug(shown) or "agency"
    return f"{base}-{digest}"


def load_config(path: Path | None) -> list[AgencyConfig]:
    """The entries of agencies.toml; an absent file means no entries."""
    if path is None or not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AgencyConfigError(f"无法读取机关配置 {path}：{exc}") from exc
    entries = data.get("agency", [])
    if not isinstance(entries, list):
        raise AgencyConfigError(f"机关配置 {path} 格式错误：应为 [[agency]] 列表")
    out = []
    for i, entry in enumerate(entries, 1):
        out.append(_config_entry(path, i, entry))
    return out


def _config_entry(path: Path, number: int, entry: Any) -> AgencyConfig:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise AgencyConfigError(f"机关配置 {path} 第 {number} 个 [[agency]] 缺少 name")
    kind = entry.get("kind")
    if kind is not None and kind not in KIND_LABELS:
        raise AgencyConfigError(
            f"机关配置 {path} 中“{entry['name']}”的 kind 应为 government、office、department 或 town，而不是 {kind!r}"
        )
    slug = entry.get("slug")
    if slug is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", str(slug)):
        raise AgencyConfigError(f"机关配置 {path} 中“{entry['name']}”的 slug 只能包含小写字母、数字和连字符")
    region = None
    if any(entry.get(k) for k in ("province", "city", "county", "code")):
        region = Region(entry.get("province"), entry.get("city"), entry.get("county"), entry.get("code"))
    aliases = [a for a in entry.get("aliases", []) if isinstance(a, str) and a.strip()]
    return AgencyConfig(entry["name"].strip(), aliases, kind, region, slug)


def group_reports(reports: list[Report], config: list[AgencyConfig] | None = None) -> list[Agency]:
    """Group reports into agencies, in a stable order (by name)."""
    config = config or []
    by_alias: dict[str, AgencyConfig] = {}
    for entry in config:
        for alias in (entry.name, *entry.aliases):
            by_alias[name_key(alias, entry.region)] = entry
            by_alias[name_key(alias)] = entry

    groups: dict[tuple[str, str], list[Report]] = {}
    configured: dict[tuple[str, str], AgencyConfig] = {}
    for report in reports:
        if not report.agency:
            groups.setdefault(("?" + report.id, ""), []).append(report)
            continue
        entry = by_alias.get(name_key(report.agency, report.region)) or by_alias.get(name_key(report.agency))
        if entry is not None:
            group_id = ("=" + entry.name, "")
            configured[group_id] = entry
        else:
            group_id = (name_key(report.agency, report.region), _place(report.region))
        groups.setdefault(group_id, []).append(report)
    _merge_unplaced(groups)

    agencies = [_agency(group_id, members, configured.get(group_id)) for group_id, members in groups.items()]
    return sorted(agencies, key=lambda a: (a.name, a.slug))


def _place(region: Region) -> str:
    return region.county or region.city or region.province or ""


def _merge_unplaced(groups: dict[tuple[str, str], list[Report]]) -> None:
    """A report whose region is unknown joins the one group of the same name whose region is known."""
    for key, place in list(groups):
        if place or key.startswith(("?", "=")):
            continue
        placed = [g for g in groups if g[0] == key and g[1]]
        if len(placed) == 1:
            groups[placed[0]].extend(groups.pop((key, place)))


def _agency(group_id: tuple[str, str], members: list[Report], entry: AgencyConfig | None) -> Agency:
    members = sorted(members, key=lambda r: (r.year or 0, r.publication_date or "", r.id))
    names = [clean_name(r.agency) for r in members if r.agency]
    if entry is not None:
        name = entry.name
    elif names:
        counts = Counter(names)
        # the most used spelling; among equals the longest (the fullest form) and then the latest
        name = max(counts, key=lambda n: (counts[n], len(n), max(i for i, m in enumerate(names) if m == n)))
    else:
        name = UNKNOWN_AGENCY
    region = entry.region if entry is not None and entry.region is not None else infer_region(members)
    kind = (entry.kind if entry is not None and entry.kind else None) or (infer_kind(name) if names else "unknown")
    if entry is not None and entry.slug:
        slug = entry.slug
    elif names:
        # from the matching key, not the spelling shown, so a new spelling does not move the page
        slug = agency_slug(name) if entry is not None else agency_slug(group_id[0], group_id[1])
    else:
        slug = "unknown-" + members[0].id
    return Agency(
        name=name,
        key=group_id[0],
        slug=slug,
        kind=kind,
        region=region,
        reports=members,
        names_seen=sorted(set(names)),
        configured=entry is not None,
    )


def infer_region(reports: list[Report]) -> Region:
    """The most detailed region the reports agree on most often."""
    regions = [r.region for r in reports if r.region.path]
    if not regions:
        return Region()
    counts = Counter((g.province, g.city, g.county, g.code) for g in regions)
    best = max(counts, key=lambda k: (counts[k], sum(1 for p in k[:3] if p)))
    return Region(*best)
