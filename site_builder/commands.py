"""archive build and archive serve."""

from __future__ import annotations

from pathlib import Path

import click

from archive.commands.options import content_option, index_option
from archive.errors import BuildError


@click.command()
@content_option("Content folder (reports/, pages/, agencies.toml).")
@index_option
@click.option(
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site to.",
)
@click.option("--site-url", default=None, help="Public address of the site, for absolute URLs in sitemap.xml.")
def build(content_dir: Path, index_dir: Path | None, out_dir: Path, site_url: str | None) -> None:
    """Build the static website from the ingested reports.

    The new site is built beside the old one and swapped in at the end: a failed or
    interrupted build leaves the old site as it was. Pages that did not change are
    left untouched (same bytes, same modification time).

    What a rebuild reuses (each report's summary, the pages' links, the rows of the
    archive-wide downloads and database) is kept beside the site in .OUT.cache/, which
    is never published; deleting it only makes the next build take as long as the first.

    \b
    Example:
        archive ingest content
        archive build
        archive build --content content --out public --site-url https://example.gov.cn/nianbao
    """
    from site_builder.build import build as build_site

    result = build_site(content_dir, out_dir, index_dir=index_dir, site_url=site_url)
    for problem in result.problems:
        click.echo(f"注意：{problem}", err=True)
    click.echo(
        f"网站已生成：{result.out}（{result.reports} 份报告，{result.agencies} 个机关，{result.pages} 个页面；"
        f"新写入 {len(result.written)} 个文件，未变 {len(result.kept)} 个，删除 {len(result.removed)} 个；"
        f"用时 {result.seconds:.1f} 秒）"
    )
    click.echo(f"本地预览：archive serve --out {out_dir}")
    if result.problems:
        raise SystemExit(3)


@click.command()
@click.option(
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the built site.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port on localhost.")
def serve(out_dir: Path, port: int) -> None:
    """Preview the built site on http://localhost:PORT/ (stop with Ctrl+C).

    \b
    Example:
        archive build
        archive serve --port 8000
    """
    from site_builder.preview import make_server

    if not (out_dir / "index.html").is_file():
        raise BuildError(f"{out_dir} 中没有网站，请先运行 archive build")
    with make_server(out_dir, port) as server:
        click.echo(f"预览地址：http://localhost:{server.server_address[1]}/（按 Ctrl+C 停止）")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("已停止")
