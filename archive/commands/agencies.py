"""archive agencies [--content DIR] [--index DIR] [--json]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from archive.commands.options import content_option, index_option

if TYPE_CHECKING:
    from archive.agencies import Agency


@click.command()
@content_option("Content folder (with agencies.toml).")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def agencies(content_dir: Path, index_dir: Path | None, as_json: bool) -> None:
    """List the agencies found in the reports, with their reports and inferred regions, for review.

    Names written differently in different years (平潭综合实验区 / 平潭综合实验区管委会) are
    counted as one agency; correct or complete the result in CONTENT/agencies.toml.

    \b
    Example:
        archive agencies
        archive agencies --json > agencies.json
    """
    from archive.agencies import group_reports, load_config
    from archive.content import content_reports

    reports, problems, _ = content_reports(content_dir, index_dir)
    found = group_reports(reports, load_config(content_dir / "agencies.toml"))
    for problem in problems:
        click.echo(f"跳过：{problem}", err=True)
    if as_json:
        click.echo(json.dumps([agency_record(a) for a in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("没有找到报告。请先运行 archive ingest content。")
        return
    for agency in found:
        click.echo(format_agency(agency))
    click.echo(f"共 {len(found)} 个机关，{sum(len(a.reports) for a in found)} 份报告。")


def agency_record(agency: Agency) -> dict[str, object]:
    return {
        "name": agency.name,
        "slug": agency.slug,
        "kind": agency.kind,
        "region": agency.region.to_dict(),
        "configured": agency.configured,
        "names_seen": agency.names_seen,
        "reports": [{"id": r.id, "year": r.year, "agency": r.agency, "source": r.source} for r in agency.reports],
    }


def format_agency(agency: Agency) -> str:
    from archive.agencies import KIND_LABELS

    region = " › ".join(agency.region.path) or "地区未知"
    source = "配置" if agency.configured else "推断"
    lines = [f"{agency.name}  [{KIND_LABELS.get(agency.kind, agency.kind)}；{region}（{source}）]"]
    if len(agency.names_seen) > 1:
        lines.append(f"  写法：{'、'.join(agency.names_seen)}")
    for report in agency.reports:
        lines.append(f"  {report.year or '年份不详'}  {report.agency or '（未识别）'}  {report.source}")
    return "\n".join(lines)
