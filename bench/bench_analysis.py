"""Benchmark of themes, similar passages and the SQLite export (issue 14), run by ``bench/run.py`` (``make bench``)
on the corpora and indexes it made (``--sizes --workdir --doc``).

Each step runs in its own process (``bench/analysis_steps.py``) on the stored index, and is measured
for wall time and peak memory (``wait4``):

* themes: tagging every report's sentences of parts 一 and 五 (what the ingest does for each report
  it parses, and for every report when themes.toml changed);
* words: cutting every paragraph of every report into words with jieba (the ingest does it for each
  report it parses, in its worker processes: on 2 cores it adds about half this to the ingest);
* similar passages: from the stored words, across the whole archive (the build does it);
* SQLite: writing data/archive.db from the site's model (the build does it; reading the reports and
  making the model, which the build does anyway, is shown apart).

They are compared with the full ingest of the same corpus measured by ``bench/run.py`` (its
``result-N.json``): target, together under a quarter of it at 10,000 reports, memory under 2 GB.

Example:
    .venv/bin/python bench/bench_analysis.py --sizes 1000
    .venv/bin/python bench/bench_analysis.py --fresh-ingest     # compare with an ingest made in the same conditions
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import INGEST, PYTHON, checked, machine, timed  # noqa: E402
from doc_section import replace_section  # noqa: E402

START, END = "<!-- analysis-bench:start -->", "<!-- analysis-bench:end -->"
STEPS = ("themes", "words", "similar", "sqlite")
MEMORY_MB = 2048.0


def bench_size(size: int, workdir: Path, fresh: bool) -> dict[str, Any]:
    corpus, index = workdir / f"corpus-{size}", workdir / f"index-{size}"
    if not (corpus / "reports").is_dir():
        raise SystemExit(f"{corpus} is missing: run bench/run.py --sizes {size} first")
    if not (corpus / "themes.toml").exists():
        shutil.copy(ROOT / "content" / "themes.toml", corpus / "themes.toml")
    out: dict[str, Any] = {"size": size, "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine()}
    if fresh:
        shutil.rmtree(index, ignore_errors=True)
    ingest = checked("ingest", timed([*INGEST, str(corpus), "--index", str(index), "--quiet"]), (0, 3))
    for step in STEPS:
        print(f"[{size}] {step} …", flush=True)
        run = checked(step, timed([PYTHON, str(ROOT / "bench" / "analysis_steps.py"), step, str(index), str(corpus)]))
        out[step] = {**json.loads(run["stdout"]), "wall": run["seconds"], "peak_mb": run["peak_mb"]}
    result = workdir / f"result-{size}.json"
    if fresh:
        out["ingest_seconds"], out["ingest_source"] = ingest["seconds"], "this run"
    elif result.exists():
        out["ingest_seconds"], out["ingest_source"] = json.loads(result.read_text("utf-8"))["ingest"]["seconds"], "bench/run.py"
    else:
        out["ingest_seconds"], out["ingest_source"] = None, ""
    return out


def together(r: dict[str, Any]) -> float:
    """What the analysis adds: tagging and words at ingest (2 workers), similar passages and the database at build."""
    return (r["themes"]["seconds"] + r["words"]["seconds"]) / 2 + r["similar"]["seconds"] + r["sqlite"]["seconds"]


def render(results: list[dict[str, Any]]) -> str:
    info = results[-1]["machine"]
    runs = "; ".join(f"{r['size']:,} reports: {r['when']}, load average {r['machine']['load']}" for r in results)
    lines = [
        START,
        "## Themes, similar passages and the SQLite export",
        "",
        f"Measured by `bench/bench_analysis.py` (`make bench`, after `bench/run.py`) on {info['nproc']} cores "
        f"({info['cpu']}), {info['ram']} RAM, Python {info['python']} ({runs} at the start; the machine is shared, "
        "other jobs ran at the same time, so wall times are pessimistic).",
        "",
        "Each step runs in its own process on the index of `bench/run.py`'s corpus (with `content/themes.toml`). "
        "Themes and words are what the ingest does for each report it parses (in its 2 worker processes, so "
        "about half of the one-process time is added to the ingest's wall time); similar passages and the "
        "database are made by `archive build`. The ingest time is a full ingest of the same corpus, which includes the "
        "tagging and the words: `bench/run.py`'s, or with `--fresh-ingest` one made by this benchmark just before its "
        "steps, in the same conditions.",
        "",
        "| | " + " | ".join(f"{r['size']:,} reports" for r in results) + " | target |",
        "|---|" + "---|" * len(results) + "---|",
    ]

    def row(label: str, cells: list[str], target: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    def step(name: str, label: str) -> None:
        row(label, [f"{r[name]['seconds']:.1f} s, {r[name]['peak_mb']:.0f} MB" for r in results])

    row(
        "full ingest of the corpus",
        [f"{r['ingest_seconds']:.1f} s ({r.get('ingest_source', 'bench/run.py')})" if r["ingest_seconds"] else "—" for r in results],
    )
    step("themes", "themes: tagging every sentence of parts 一 and 五 (one process)")
    row("sentences kept (tagged / all)", [f"{r['themes']['tagged']:,} / {r['themes']['sentences']:,}" for r in results])
    step("words", "words: jieba on every paragraph (one process)")
    row("paragraphs cut into words", [f"{r['words']['paragraphs']:,}" for r in results])
    step("similar", "similar passages across agencies")
    row(
        "paragraphs compared; matches shown (copied)",
        [f"{r['similar']['passages']:,}; {r['similar']['matches']:,} ({r['similar']['copied']:,})" for r in results],
    )
    step("sqlite", "SQLite export (data/archive.db)")
    row("reading the reports and making the site's model first", [f"{r['sqlite']['model_seconds']:.1f} s" for r in results])
    row("database size", [f"{r['sqlite']['bytes'] / 1e6:.1f} MB" for r in results])
    row(
        "together: (themes + words) ÷ 2 + similar + SQLite",
        [f"{together(r):.1f} s" for r in results],
        "< ¼ of the ingest at 10,000",
    )
    row(
        "… as a share of the full ingest",
        [f"{together(r) / r['ingest_seconds'] * 100:.0f} %" if r["ingest_seconds"] else "—" for r in results],
        "< 25 %",
    )
    row("peak memory, any step", [f"{max(r[s]['peak_mb'] for s in STEPS):.0f} MB" for r in results], "< 2,048 MB")
    lines += ["", END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--fresh-ingest", action="store_true", help="ingest the corpus again from scratch and compare with that")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",") if s):
        result = bench_size(size, args.workdir, args.fresh_ingest)
        (args.workdir / f"analysis-{size}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    results = sorted(
        (json.loads(p.read_text("utf-8")) for p in args.workdir.glob("analysis-*.json")), key=lambda r: r["size"]
    )
    replace_section(args.doc, START, END, render(results))
    print(f"wrote {args.doc}")


if __name__ == "__main__":
    main()
