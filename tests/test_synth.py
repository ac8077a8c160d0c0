"""The synthetic corpus: deterministic, realistic, varied, consistent from year to year."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.index import store
from archive.index.ingest import ingest
from archive.synth.bank import load_bank
from archive.synth.corpus import APPLICANTS, Agency, _fill, _requests, render_report
from archive.synth.layouts import load_templates
from archive.synth.places import counties

FILE_NAME = re.compile(r"(\d{6})-a(\d{5})-(\d{4})\.txt")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    result = CliRunner().invoke(cli, ["synth", "--count", "120", "--out", str(out), "--seed", "7"])
    assert result.exit_code == 0, result.output
    return out


def test_same_seed_same_corpus_other_seed_other_corpus(corpus: Path, tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["synth", "--count", "120", "--out", str(tmp_path / "same"), "--seed", "7"])
    CliRunner().invoke(cli, ["synth", "--count", "120", "--out", str(tmp_path / "other"), "--seed", "8"])
    files = sorted(p.name for p in (corpus / "reports").iterdir())
    assert len(files) == 120
    assert files == sorted(p.name for p in (tmp_path / "same" / "reports").iterdir())
    for name in files:
        assert (corpus / "reports" / name).read_bytes() == (tmp_path / "same" / "reports" / name).read_bytes()
    assert files != sorted(p.name for p in (tmp_path / "other" / "reports").iterdir())


def test_many_agencies_across_the_country_with_consecutive_years(corpus: Path) -> None:
    years: dict[str, list[int]] = defaultdict(list)
    provinces = set()
    codes = {c.code: c for c in counties()}
    for path in (corpus / "reports").iterdir():
        match = FILE_NAME.fullmatch(path.name)
        assert match, path.name
        code, agency, year = match.groups()
        assert code in codes, "a real county code"
        provinces.add(codes[code].province)
        years[agency].append(int(year))
    assert len(years) >= 30 and len(provinces) >= 15
    assert any(len(y) >= 3 for y in years.values())
    for agency_years in years.values():
        agency_years.sort()
        assert agency_years == list(range(agency_years[0], agency_years[0] + len(agency_years)))
    titles = [p.read_text("utf-8").split("\n", 1)[0] for p in (corpus / "reports").iterdir()]
    assert any("镇人民政府" in t or "乡人民政府" in t or "街道" in t for t in titles)
    assert any("人民政府办公室" in t for t in titles)


def test_text_is_made_of_real_sentences() -> None:
    rng = random.Random(1)
    county = counties()[100]
    agency = Agency(f"{county.name}城关镇人民政府", "城关镇", county)
    text = render_report(rng, agency, 2023, _requests(rng, dict.fromkeys(APPLICANTS, 0)))
    bank = load_bank()
    filled = {_fill(s, agency, 2023).rstrip("。！？：") for pool in bank.values() for s in pool}
    body = text.split("二、主动公开政府信息情况")[0].split("一、总体情况", 1)[1]
    sentences = [s for line in body.splitlines() for s in re.split(r"(?<=[。！？：])", line) if s.strip()]
    headings = re.compile(r"^(（[一二三四五六七八九十]）|\d[、.])")
    prose = [s.rstrip("。！？：") for s in sentences if not headings.match(s)]
    assert prose and all(s in filled for s in prose)
    assert "{" not in text and "}" not in text


def test_all_layouts_of_the_samples_are_used(corpus: Path) -> None:
    templates = load_templates()
    assert {t["layout"] for ts in templates.values() for t in ts} == {"tab_rows", "cell_per_line"}
    texts = [p.read_text("utf-8") for p in (corpus / "reports").iterdir()]
    tab_rows = sum(1 for t in texts if re.search(r"一、本年新收政府信息公开申请数量\t", t))
    one_per_line = sum(1 for t in texts if re.search(r"\t一、本年新收政府信息公开申请数量\n\t\d", t))
    assert tab_rows > 10 and one_per_line > 10


def test_ingested_corpus_is_mostly_balanced_with_some_damage_and_consistent_carry_over(
    corpus: Path, tmp_path: Path
) -> None:
    result = ingest(corpus, tmp_path / "index")
    assert result.exit_code == 0 and result.reports == 120
    reports = store.read_reports(tmp_path / "index")
    assert all(r.agency and r.year and r.region.province for r in reports)
    statuses = [t.status for r in reports for t in r.tables.values()]
    assert statuses.count("partial") >= 2, "some damaged tables"
    assert statuses.count("complete") > 0.7 * len(statuses)
    by_key = {(r.agency, r.year): r for r in reports}
    compared = 0
    for report in reports:
        previous = by_key.get((report.agency, (report.year or 0) - 1))
        if previous is None:
            continue
        now, before = report.tables.get("requests"), previous.tables.get("requests")
        if not now or not before or now.status != "complete" or before.status != "complete":
            continue
        for column in APPLICANTS:
            assert now.value("2", column) == before.value("4", column)
        compared += 1
    assert compared >= 10
