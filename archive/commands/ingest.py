"""archive ingest [CONTENT_DIR] [--index DIR] [--quiet]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archive.commands.options import index_option
from archive.errors import ArchiveError


@click.command()
@click.argument("content_dir", required=False, default="content", type=click.Path(path_type=Path, file_okay=False))
@index_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line; errors only.")
@click.option(
    "--wait",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds to wait for another running ingest to finish before giving up.",
)
@click.option("--timings", is_flag=True, help="Also print the seconds of each phase as JSON on stderr (for benchmarks).")
def ingest(content_dir: Path, index_dir: Path | None, quiet: bool, wait: float, timings: bool) -> None:
    """Index every report under CONTENT_DIR (default: content/) for `archive search` and the site.

    Reports are the files with a report suffix (.txt .md .html .htm .pdf .docx .doc, and page
    images .png .jpg .jpeg .tif .tiff, a multi-page TIFF being one report) anywhere
    under CONTENT_DIR except in CONTENT_DIR/pages/; a symbolic link leading outside CONTENT_DIR
    is skipped and named. Each section (at every level) and each
    table row becomes one search document; each parsed report is stored as JSON next to
    the index for the site builder.

    Pages without a text layer (scans) are read by OCR first, one progress step per page, on every
    core; the readings are kept by file hash in INDEX/ocr-cache/, so a file is never OCR'd twice,
    even when the index is rebuilt.

    The ingest is incremental: a file whose bytes did not change is not parsed again, a changed
    one replaces its documents, a deleted one disappears. When CONTENT_DIR/themes.toml changed, the
    sentences of every report are tagged again with the new themes. The new index is built beside the old
    one and switched to in one step, so an interrupted ingest (Ctrl-C, kill -9) leaves the
    previous index intact; only one ingest may run on an index at a time.

    \b
    Example:
        archive ingest                        # content/ into var/index/
        archive ingest content --index /tmp/idx --quiet
        ARCHIVE_INDEX=/srv/index archive ingest /srv/content

    \b
    Exit codes:
        0  every report indexed (or the index was already up to date)
        1  nothing could be indexed (no readable report, the index is busy, or the index
           folder cannot be written: a full disk, a read-only folder); the index is unchanged
        3  partial success: the files named on stderr were skipped, the others indexed
    """
    from archive.index.ingest import ingest as run_ingest
    from archive.index.store import default_index_dir

    if not content_dir.is_dir():
        raise ArchiveError(f"找不到内容文件夹 {content_dir}")
    index_dir = index_dir or default_index_dir()
    show_progress = not quiet and sys.stderr.isatty()
    result = run_ingest(
        content_dir,
        index_dir,
        show_progress=show_progress,
        echo=lambda message: click.echo(message, err=True),
        lock_wait=wait,
    )
    if timings:
        click.echo(json.dumps({"phases": result.phases, "seconds": round(result.seconds, 3)}), err=True)
    if not quiet:
        if result.up_to_date:
            state = "索引已是最新，无需更新"
        else:
            state = f"解析 {result.parsed} 份，删除 {result.deleted} 份，新增文档 {result.documents_added} 个"
            if result.retagged:
                state += f"，主题表已修改，重新标注 {result.retagged} 份"
        skipped = f"，跳过 {len(result.skipped)} 个文件" if result.skipped else ""
        click.echo(
            f"{state}：共 {result.reports} 份报告，{result.documents} 个文档，"
            f"{result.findings} 条发现{skipped}，用时 {result.seconds:.1f} 秒（{index_dir}）"
        )
    if result.exit_code == 1:
        raise ArchiveError("没有可以索引的报告：上面列出的文件都无法读取")
    sys.exit(result.exit_code)
