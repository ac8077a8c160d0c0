"""Agencies across years: name matching, kinds, agencies.toml and `archive agencies`."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.agencies import (
    AgencyConfigError,
    agency_slug,
    group_reports,
    infer_kind,
    load_config,
    name_key,
)
from archive.cli import cli
from archive.model import Region, Report
from site_builder.sources import parse_content

ROOT = Path(__file__).resolve().parent.parent
PINGTAN = Region("福建省", "平潭综合实验区", None, "350128")


def report(agency: str | None, year: int, region: Region | None = None, rid: str = "") -> Report:
    return Report(
        id=rid or f"r{abs(hash((agency, year))) % 10**12:012d}",
        source=f"reports/{year}.txt",
        source_format="txt",
        agency=agency,
        year=year,
        region=region or Region(),
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("平潭综合实验区", "平潭综合实验区管委会"),
        ("平潭综合实验区管理委员会", "平潭综合实验区管委会"),
        ("平潭综合实验区党工委管委会", "平潭综合实验区管委会"),
        ("平潭综合实验区党工委（管委会）", "平潭综合实验区"),
        ("金乡县人民政府办公室", "金乡县政府办公室"),
        ("金乡县人民政府", "金乡县政府"),
        ("温县人民政府办公室", "温县 人民政府办公室"),
        ("ＡＢＣ镇人民政府", "ABC镇人民政府"),
    ],
)
def test_spellings_of_one_agency_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_different_agencies_keep_different_keys() -> None:
    assert name_key("金乡县人民政府") != name_key("金乡县人民政府办公室")
    assert name_key("金乡县胡集镇人民政府") != name_key("金乡县人民政府")


def test_region_prefix_is_ignored_when_the_region_is_known() -> None:
    jinxiang = Region("山东省", "济宁市", "金乡县", "370828")
    assert name_key("金乡县胡集镇人民政府", jinxiang) == name_key("胡集镇人民政府", jinxiang)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("金乡县胡集镇人民政府", "town"),
        ("董封乡人民政府", "town"),
        ("某某街道办事处", "town"),
        ("温县人民政府办公室", "office"),
        ("淮安市洪泽区人民政府", "government"),
        ("平潭综合实验区管委会", "government"),
        ("某某市教育局", "department"),
    ],
)
def test_kind_is_inferred_from_the_name(name: str, kind: str) -> None:
    assert infer_kind(name) == kind


def test_reports_are_grouped_across_years_and_spellings() -> None:
    reports = [
        report("平潭综合实验区管委会", 2023, PINGTAN, "r000000000001"),
        report("平潭综合实验区", 2024, PINGTAN, "r000000000002"),
        report("平潭综合实验区管委会", 2025, Region(), "r000000000003"),
        report("金乡县胡集镇人民政府", 2022, Region("山东省", "济宁市", "金乡县"), "r000000000004"),
        report("胡集镇人民政府", 2023, Region("山东省", "济宁市", "金乡县"), "r000000000005"),
        report("胡集镇人民政府", 2023, Region("河北省", "某市", "某县"), "r000000000006"),
        report(None, 2023, Region(), "r000000000007"),
    ]
    agencies = group_reports(reports)
    by_years = {tuple(a.years): a for a in agencies}
    pingtan = by_years[(2023, 2024, 2025)]
    assert pingtan.name == "平潭综合实验区管委会"
    assert pingtan.region.province == "福建省"
    assert pingtan.names_seen == ["平潭综合实验区", "平潭综合实验区管委会"]
    huji = by_years[(2022, 2023)]
    assert [r.id for r in huji.reports] == ["r000000000004", "r000000000005"]
    assert huji.kind == "town"
    assert len(agencies) == 4  # the other 胡集镇 is in another county; the unnamed report stands alone
    assert len({a.slug for a in agencies}) == len(agencies)


def test_slugs_are_ascii_and_stable_across_spellings() -> None:
    first = group_reports([report("平潭综合实验区管委会", 2023, PINGTAN)])[0].slug
    second = group_reports([report("平潭综合实验区管委会", 2023, PINGTAN), report("平潭综合实验区", 2024, PINGTAN)])
    assert first.isascii() and first.startswith("pingtan")
    assert second[0].slug == first
    assert agency_slug("胡集镇", "金乡县") != agency_slug("胡集镇", "某县")


def test_config_sets_name_region_kind_and_aliases(tmp_path: Path) -> None:
    config = tmp_path / "agencies.toml"
    config.write_text(
        '[[agency]]\nname = "平潭综合实验区管委会"\naliases = ["岚岛管委会"]\nkind = "government"\n'
        'province = "福建省"\ncity = "平潭综合实验区"\nslug = "pingtan"\n',
        "utf-8",
    )
    entries = load_config(config)
    reports = [report("岚岛管委会", 2023), report("平潭综合实验区", 2024)]
    agencies = group_reports(reports, entries)
    assert len(agencies) == 1
    assert agencies[0].name == "平潭综合实验区管委会" and agencies[0].slug == "pingtan"
    assert agencies[0].region.path == ["福建省", "平潭综合实验区"] and agencies[0].configured


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[agency]]\nkind = 'town'\n", "缺少 name"),
        ("[[agency]]\nname = 'x'\nkind = 'ministry'\n", "kind 应为"),
        ("[[agency]]\nname = 'x'\nslug = '../evil'\n", "slug 只能"),
        ("[[agency]\nname = 'x'\n", "无法读取机关配置"),
    ],
)
def test_bad_config_names_the_file_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "agencies.toml"
    config.write_text(text, "utf-8")
    with pytest.raises(AgencyConfigError) as error:
        load_config(config)
    assert message in error.value.format_message() and str(config) in error.value.format_message()


def test_shipped_config_is_valid() -> None:
    assert {e.slug for e in load_config(ROOT / "content" / "agencies.toml")} >= {"pingtan"}


def test_archive_agencies_lists_agencies_with_reports_and_regions(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("*.pdf", "*.html", "crawled"))  # the 5 seeds
    runner = CliRunner()
    result = runner.invoke(cli, ["agencies", "--content", str(content), "--index", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    assert "金乡县胡集镇人民政府" in result.output and "山东省 › 济宁市 › 金乡县" in result.output
    assert "共 5 个机关，5 份报告" in result.output
    result = runner.invoke(cli, ["agencies", "--json", "--content", str(content), "--index", str(tmp_path / "none")])
    data = json.loads(result.output)
    assert len(data) == 5 and all(a["reports"] and a["slug"].isascii() for a in data)
    assert "Example:" in runner.invoke(cli, ["agencies", "--help"]).output


def test_real_spelling_variants_merge_in_the_site_model() -> None:
    reports, _ = parse_content(ROOT / "content")
    wenxian = next(r for r in reports if "wenxian" in r.source)
    variant = copy.deepcopy(wenxian)
    variant.id, variant.year, variant.agency = "r999999999999", 2022, "温县政府办公室"
    agencies = group_reports([*reports, variant])
    assert len(agencies) == len(group_reports(reports))
    merged = next(a for a in agencies if variant in a.reports)
    assert merged.years == [2022, 2023]


def test_the_real_reports_group_into_one_agency_per_body_across_years() -> None:
    """平潭 (2023 signed by 党工委管委会, later years by 平潭综合实验区, the reports before 2019 by 平潭综合实验区管委会)
    and 洪泽 (with and without 淮安市); 平潭县人民政府 (2011) is another body."""
    reports, _ = parse_content(ROOT / "content")
    agencies = group_reports(reports, load_config(ROOT / "content" / "agencies.toml"))
    by_slug = {a.slug: a for a in agencies}
    assert by_slug["pingtan"].years == [2011, 2014, 2016, 2017, 2023, 2024, 2025]
    assert not any((r.agency or "").startswith("平潭县") for r in by_slug["pingtan"].reports)
    assert by_slug["hongze"].years == [2023, 2024]
