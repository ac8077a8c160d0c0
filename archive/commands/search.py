"""archive search QUERY... [--agency A] [--region R] [--year Y] [--section 五] [--kind K] [--limit N] [--json]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archive.commands.options import index_option
from archive.index.documents import KINDS
from archive.model import PART_NUMERALS as PARTS


@click.command()
@click.argument("words", metavar="QUERY...", nargs=-1, required=True)
@click.option("--agency", help="Only this agency (its full name, or a part of it such as 温县).")
@click.option("--region", help="Only agencies in this province, city or county (or a part of its name: 山东).")
@click.option("--year", type=int, help="Only reports on this year.")
@click.option("--section", "part", type=click.Choice(PARTS), help="Only this part of the report (一 to 六).")
@click.option("--kind", type=click.Choice(KINDS), help="Only sections, or only table rows.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="At most N results.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in docs/search-json.md).")
@index_option
def search(
    words: tuple[str, ...],
    agency: str | None,
    region: str | None,
    year: int | None,
    part: str | None,
    kind: str | None,
    limit: int,
    as_json: bool,
    index_dir: Path | None,
) -> None:
    """Search the indexed reports: sections at every level and table rows, best first (BM25F).

    Words separated by spaces must all occur (AND); "quotes" make a phrase whose words must
    stand together; -word leaves out results containing the word. Chinese is segmented with
    the same jieba dictionary as the index, so 依申请公开 is one word. When nothing is found
    and a word looks mistyped, a correction is suggested.

    Each result shows the agency, the year, the section path and a snippet with the matched
    words highlighted; table rows also show their values.

    \b
    Example:
        archive search 依申请公开答复不规范
        archive search '"政策解读形式单一"' --year 2023
        archive search 不予公开 国家秘密 --kind table_row
        archive search "政务新媒体 -微博" --region 河南 --section 一
        archive search 行政复议 --agency 温县人民政府办公室 --json
    """
    from archive.index.search import ArchiveSearcher, Filters
    from archive.index.snippet import to_terminal
    from archive.index.store import default_index_dir

    query = " ".join(words)
    filters = Filters(agency=agency, region=region, year=year, part=part, kind=kind)
    with ArchiveSearcher(index_dir or default_index_dir()) as searcher:
        response = searcher.search(query, filters, limit)
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    color = sys.stdout.isatty()
    if not response.hits:
        message = "没有找到结果。"
        if response.suggestion:
            message += f" 您是不是要找：{response.suggestion}"
        click.echo(message)
        return
    more = "（短语只在得分最高的候选中核对，实际可能更多）" if response.total_capped else ""
    click.echo(f"共 {response.total} 个结果{more}，显示前 {len(response.hits)} 个：\n")
    for rank, hit in enumerate(response.hits, 1):
        f = hit.fields
        kind = "表格行" if f["kind"] == "table_row" else "章节"
        head = f"{rank}. {f.get('agency') or '（未知单位）'} · {f.get('year') or '年份不详'} · {kind}"
        click.echo(click.style(head, bold=True) if color else head)
        click.echo(f"   {f.get('title', '')}")
        click.echo(f"   {to_terminal(hit.snippet, color)}")
        click.echo(f"   [{f['id']}  得分 {hit.score:.2f}]\n")
