"""Generate a synthetic corpus: agencies across the country, several consecutive years each.

Every report is assembled from the sentence bank (real sentences of the samples, names and years
replaced) and the table layouts of the samples filled with generated numbers that balance
(new + carried over = handled + carried forward; totals add up) and carry over from one year to
the next (requests row 2 of year N = row 4 of year N-1). A few reports are damaged the way
real extraction damages them: a table cut after a row, a part's heading lost, a title split
over two lines, a sum that does not add up.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archive import schema
from archive.synth.bank import TOPIC_TITLES, load_bank
from archive.synth.layouts import PART_HEADINGS, SLOT, load_templates
from archive.synth.places import DEPARTMENTS, TOWN_NAMES, County, counties

FIRST_YEAR, LAST_YEAR = 2020, 2025
TOPIC_ORDER = ("active", "requests", "management", "platforms", "oversight")
CN_NUMBERS = "一二三四五六七八九十"
PROBLEM_TITLES = ("存在的主要问题及改进情况", "存在的主要问题及下一步打算")
REQUEST_OUTCOMES = [r for r in schema.row_keys("requests") if r.startswith("3.") and r != "3.7"]
APPLICANTS = [c for c in schema.column_keys("requests") if c != "total"]


@dataclass(frozen=True)
class Agency:
    name: str
    place: str  # the short name sentences use: the town, or the county
    county: County


@lru_cache(maxsize=1)
def _name_counts() -> Counter[str]:
    return Counter(c.name for c in counties())


def _qualified_name(county: County) -> str:
    """The county's name, preceded by its city where another county has the same name (西湖区)."""
    if _name_counts()[county.name] > 1:
        return f"{county.city or county.province}{county.name}"
    return county.name


def _agency(rng: random.Random, county: County) -> Agency:
    roll = rng.random()
    name = _qualified_name(county)
    if roll < 0.45:
        town = rng.choice(TOWN_NAMES)
        return Agency(f"{name}{town}人民政府", town, county)
    department = DEPARTMENTS[0] if roll < 0.75 else rng.choice(DEPARTMENTS)
    return Agency(f"{name}{department}", county.name, county)


def _fill(sentence: str, agency: Agency, year: int) -> str:
    county = agency.county
    return (
        sentence.replace("{agency}", agency.name)
        .replace("{place}", agency.place)
        .replace("{county}", county.name)
        .replace("{city}", county.city or county.province)
        .replace("{province}", county.province)
        .replace("{year}", str(year))
        .replace("{prev}", str(year - 1))
        .replace("{next}", str(year + 1))
    )


def _paragraphs(rng: random.Random, pool: list[str], agency: Agency, year: int, low: int, high: int) -> str:
    picked = sorted(rng.sample(range(len(pool)), min(len(pool), rng.randint(low, high))))
    sentences = [_fill(pool[i], agency, year) for i in picked]
    paragraphs, current = [], []
    for sentence in sentences:
        current.append(sentence if sentence.endswith(("。", "！", "？", "：")) else sentence + "。")
        if rng.random() < 0.4:
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    return "\n\n".join(paragraphs)


# --- numbers --------------------------------------------------------------------------------------


def _requests(rng: random.Random, carried: dict[str, int]) -> dict[str, dict[str, int]]:
    """The requests table: per applicant column, new + carried = outcomes + carried forward."""
    rows: dict[str, dict[str, int]] = {r: {} for r in schema.row_keys("requests")}
    busy = rng.random()
    for column in APPLICANTS:
        if column == "natural_person":
            new = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 16, 25, 40]) if busy > 0.2 else 0
        else:
            new = rng.choice([0] * 12 + [1, 1, 2, 3])
        prior = carried.get(column, 0)
        pending = rng.choice([0] * 8 + [1, 2]) if new else 0
        pending = min(pending, new + prior)
        rows["1"][column], rows["2"][column], rows["4"][column] = new, prior, pending
        outcome = dict.fromkeys(REQUEST_OUTCOMES, 0)
        weights = [12 if r == "3.1" else 4 if r in ("3.2", "3.4.1") else 1 for r in REQUEST_OUTCOMES]
        for _ in range(new + prior - pending):
            outcome[rng.choices(REQUEST_OUTCOMES, weights)[0]] += 1
        for row, value in outcome.items():
            rows[row][column] = value
        rows["3.7"][column] = sum(outcome.values())
    for row in rows.values():
        row["total"] = sum(row[c] for c in APPLICANTS)
    return rows


def _active(rng: random.Random) -> dict[str, dict[str, int | str]]:
    small = [0, 0, 0, 1, 2, 3, 5]
    in_force = rng.choice([0, 0, 2, 5, 12, 27])
    return {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": rng.choice(small), "repealed": rng.choice(small), "in_force": in_force},
        "licensing": {"decisions": rng.choice([0, 0, 3, 15, 120, 860])},
        "penalty": {"decisions": rng.choice([0, 0, 1, 4, 22, 130])},
        "enforcement": {"decisions": rng.choice([0, 0, 0, 1, 3])},
        "fees": {"amount_10k_yuan": rng.choice(["0", "0", "0", "1.2", "35.6"])},
    }


def _review(rng: random.Random) -> dict[str, dict[str, int]]:
    out = {}
    for row in schema.row_keys("review_litigation"):
        cells = {c: rng.choice([0] * 9 + [1]) for c in ("upheld", "corrected", "other", "pending")}
        cells["total"] = sum(cells.values())
        out[row] = cells
    return out


def _render_table(rng: random.Random, table: str, values: dict[str, dict[str, object]], cut: bool) -> str:
    template = rng.choice(load_templates()[table])["text"]
    numbers = [str(values[r][c]) for r, c in schema.cell_keys(table)]
    pieces = template.split(SLOT)
    out = [pieces[0]]
    stop = rng.randint(1, len(numbers) - 1) if cut else len(numbers)
    for i in range(stop):
        out.append(numbers[i])
        out.append(pieces[i + 1] if i + 1 < stop or not cut else pieces[i + 1].split("\n", 1)[0] + "\n")
    return "".join(out).rstrip() + "\n"


# --- one report -----------------------------------------------------------------------------------


def _heading_style(rng: random.Random) -> str:
    return rng.choice(["（{n}）{t}", "（{n}）{t}", "{i}、{t}", "{i}.{t}"])


def render_report(rng: random.Random, agency: Agency, year: int, requests: dict[str, dict[str, int]]) -> str:
    bank = load_bank()
    damage = rng.random()
    lines: list[str] = []
    title = f"{agency.name}{year}年政府信息公开工作年度报告"
    lines.append(f"{agency.name}\n{year}年政府信息公开工作年度报告" if damage < 0.03 else title)
    if rng.random() < 0.6:
        lines.append(_paragraphs(rng, bank["intro"], agency, year, 1, 2))
    lines.append("一、总体情况")
    lines.append(_paragraphs(rng, bank["overview"], agency, year, 1, 1))
    style = _heading_style(rng)
    for i, topic in enumerate(TOPIC_ORDER):
        heading_title = rng.choice(TOPIC_TITLES[topic]).removesuffix("方面")
        lines.append(style.format(n=CN_NUMBERS[i], i=i + 1, t=heading_title))
        lines.append(_paragraphs(rng, bank[topic], agency, year, 2, 5))
    cut_table = rng.choice(schema.TABLE_KEYS) if 0.03 <= damage < 0.10 else None
    tables = {"active": _active(rng), "requests": requests, "review_litigation": _review(rng)}
    if 0.10 <= damage < 0.16:  # a sum that does not add up
        column = rng.choice(APPLICANTS)
        requests = {r: dict(c) for r, c in requests.items()}
        requests["3.7"][column] += 1
        tables["requests"] = requests
    for table in schema.TABLE_KEYS:
        heading = PART_HEADINGS[table]
        if not (table == "review_litigation" and 0.16 <= damage < 0.19):  # a part's heading lost
            lines.append(heading)
        lines.append(_render_table(rng, table, tables[table], cut=table == cut_table))  # type: ignore[arg-type]
    lines.append(f"五、{rng.choice(PROBLEM_TITLES)}")
    if rng.random() < 0.5:
        lines.append(f"（一）{year - 1}年存在问题改进情况")
        lines.append(_paragraphs(rng, bank["problems"], agency, year, 2, 4))
        lines.append(f"（二）{year}年存在问题及下步举措")
    lines.append(_paragraphs(rng, bank["problems"], agency, year, 3, 6))
    lines.append("六、其他需要报告的事项")
    lines.append(_paragraphs(rng, bank["other"], agency, year, 2, 4))
    return "\n\n".join(line.strip("\n") for line in lines if line.strip()) + "\n"


def generate_corpus(count: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``count`` reports to ``out_dir/reports/`` (deterministic for ``seed``); return their paths."""
    rng = random.Random(seed)
    places = counties()
    reports_dir = Path(out_dir) / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used_names: set[str] = set()
    agency_number = 0
    while len(written) < count:
        agency = _agency(rng, rng.choice(places))
        if agency.name in used_names:
            continue
        used_names.add(agency.name)
        agency_number += 1
        years = rng.randint(1, 4)
        first = rng.randint(FIRST_YEAR, LAST_YEAR - years + 1)
        carried: dict[str, int] = {c: 0 for c in APPLICANTS}
        for year in range(first, first + years):
            if len(written) >= count:
                break
            requests = _requests(rng, carried)
            carried = {c: requests["4"][c] for c in APPLICANTS}
            text = render_report(rng, agency, year, requests)
            path = reports_dir / f"{agency.county.code}-a{agency_number:05d}-{year}.txt"
            path.write_text(text, "utf-8")
            written.append(path)
    return written
