"""How quickly the command line answers from a new process: `archive --help`, and a cold `archive search`.

Each command runs in a new process, as a person at a terminal runs it, through the installed `archive`
entry point. The searches use the benchmark's query set on the indexes `bench/run.py` built in
var/bench (index-SIZE). Targets (issue 16): `archive --help` ≤ 0.3 s, a cold search ≤ 0.6 s at the
median at 10,000 reports.

    .venv/bin/python bench/cold_start.py [--sizes 1000,10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import checked, machine, percentile, timed  # noqa: E402
from bench.doc_section import replace_section  # noqa: E402

START, END = "<!-- cold-start -->", "<!-- /cold-start -->"
ARCHIVE = shutil.which("archive", path=str(Path(sys.executable).parent)) or "archive"


def seconds(command: list[str], runs: int) -> list[float]:
    return [checked(" ".join(command[:3]), timed(command))["seconds"] for _ in range(runs)]


def search_seconds(index: Path, queries: list[dict[str, object]]) -> list[float]:
    out = []
    for query in queries:
        out.append(checked("search", timed([ARCHIVE, "search", str(query["q"]), "--json", "--index", str(index)]))["seconds"])
    return out


def row(label: str, values: list[float], target: str) -> str:
    return f"| {label} | {statistics.median(values):.2f} | {percentile(values, 0.95):.2f} | {len(values)} | {target} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    info = machine()
    rows = [row("`archive --help`", seconds([ARCHIVE, "--help"], args.runs), "≤ 0.3 s")]
    for size in (int(s) for s in args.sizes.split(",")):
        index, queries_file = args.workdir / f"index-{size}", args.workdir / f"queries-{size}.json"
        if not index.is_dir() or not queries_file.is_file():
            print(f"[{size}] no index in {args.workdir}: run bench/run.py --sizes {size} first", file=sys.stderr)
            continue
        queries = json.loads(queries_file.read_text("utf-8"))[: args.runs]
        target = "≤ 0.6 s at the median" if size == 10000 else ""
        rows.append(row(f"cold `archive search`, {size:,} reports", search_seconds(index, queries), target))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = "\n".join(
        [
            START,
            "## Cold start of the command line",
            "",
            f"`bench/cold_start.py`, {when}; {info['nproc']} cores ({info['cpu']}), {info['ram']}, Python "
            f"{info['python']}, load average {info['load']} at the end. Each command is a new process started "
            "through the installed `archive` entry point; the searches are the benchmark's query set on the "
            "indexes of `bench/run.py`.",
            "",
            "| command | median (s) | p95 (s) | runs | target |",
            "|---|---|---|---|---|",
            *rows,
            END,
        ]
    )
    replace_section(args.doc, START, END, block)
    print(block)


if __name__ == "__main__":
    main()
