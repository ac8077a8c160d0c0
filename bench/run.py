"""Benchmark of the index and the command-line search on synthetic corpora (``make bench``).

For each size: generate the corpus (``archive synth``), then measure in this one run

* full ingest (a fresh index): seconds, reports per second, peak memory of the ingest and its workers;
* the segmentation floor: jieba alone on the same text (``bench/floor.py``), and ingest ÷ floor;
* index size on disk against corpus size;
* re-ingest of the unchanged corpus; re-ingest after one report changed;
* query latency over a fixed set of ≥ 50 queries: cold (``archive search --json``, a new
  process per query: start-up, opening the index and loading the dictionary included) and warm
  (one process, index open; every query run ``--rounds`` times after a first pass).

Every step runs in its own process; its peak memory is that process's and its children's
(``wait4`` rusage, the same figure ``resource.getrusage(RUSAGE_CHILDREN)`` accumulates).
The figures are written to ``docs/benchmarks.md`` between markers (the rest of the file is kept).
Then every ``bench/bench_*.py`` runs with ``--sizes --workdir --doc`` (same corpora and indexes).

Example:
    .venv/bin/python bench/run.py --sizes 1000          # quick
    .venv/bin/python bench/run.py                        # 1,000 and 10,000 (make bench)
    .venv/bin/python bench/run.py --queries-only         # only the queries, on the indexes already built
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
from common import INGEST, PYTHON, SEARCH, SYNTH, checked, machine, mb, percentile, timed  # noqa: E402
from doc_section import replace_section  # noqa: E402

START, END = "<!-- index-bench:start -->", "<!-- index-bench:end -->"
TARGETS = {
    "ratio": 3.0,  # ingest within 3× the segmentation floor
    "ingest_10000_seconds": 600.0,
    "changed_seconds": 5.0,
    "warm_p95_ms": 100.0,
    "memory_mb": 2048.0,
}


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_size(size: int, workdir: Path, seed: int, rounds: int, cold_limit: int) -> dict[str, Any]:
    corpus = workdir / f"corpus-{size}"
    marker = corpus / ".synth"
    if not marker.exists() or marker.read_text() != f"{size} {seed}":
        shutil.rmtree(corpus, ignore_errors=True)
        checked("synth", timed([*SYNTH, "--count", str(size), "--out", str(corpus), "--seed", str(seed)]))
        marker.write_text(f"{size} {seed}")
    if not (corpus / "themes.toml").exists():  # the shipped themes list: the ingest tags with it, as in the archive
        shutil.copy(ROOT / "content" / "themes.toml", corpus / "themes.toml")
    index = workdir / f"index-{size}"
    shutil.rmtree(index, ignore_errors=True)
    out: dict[str, Any] = {"size": size}
    print(f"[{size}] full ingest …", flush=True)
    full = checked("ingest", timed([*INGEST, str(corpus), "--index", str(index), "--quiet"]), (0, 3))
    out["ingest"] = full
    print(f"[{size}] segmentation floor …", flush=True)
    floor = checked("floor", timed([PYTHON, str(ROOT / "bench" / "floor.py"), str(index)]))
    out["floor"] = {**json.loads(floor["stdout"]), "peak_mb": floor["peak_mb"], "cpu_seconds": floor["cpu_seconds"]}
    from archive.index import store

    generation = store.current_generation(index)
    assert generation is not None
    manifest = store.read_manifest(generation)
    out["reports"] = len(manifest["files"])
    out["skipped"] = len(manifest["skipped"])
    out["documents"] = manifest["documents"]
    out["corpus_bytes"] = folder_bytes(corpus / "reports")
    out["index_bytes"] = folder_bytes(generation / store.WHOOSH_DIR)
    out["stored_reports_bytes"] = folder_bytes(generation / store.REPORTS_DIR)
    print(f"[{size}] unchanged re-ingest …", flush=True)
    out["unchanged"] = checked("re-ingest", timed([*INGEST, str(corpus), "--index", str(index)]), (0, 3))
    print(f"[{size}] one changed report …", flush=True)
    victim = sorted((corpus / "reports").glob("*.txt"))[size // 2]
    original = victim.read_bytes()
    try:
        victim.write_text(original.decode("utf-8") + "\n本报告经复核后补充说明一处数据口径。\n", "utf-8")
        out["changed"] = checked("changed", timed([*INGEST, str(corpus), "--index", str(index)]), (0, 3))
    finally:
        victim.write_bytes(original)
    # put the index back in step with the corpus (not measured)
    checked("restore", timed([*INGEST, str(corpus), "--index", str(index), "--quiet"]), (0, 3))

    sys.path.insert(0, str(ROOT / "bench"))
    from queries import fixed_queries

    queries = fixed_queries(corpus / "reports", seed)
    queries_file = workdir / f"queries-{size}.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    out.update(measure_queries(size, index, queries_file, rounds, cold_limit))
    out["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return out


def measure_queries(size: int, index: Path, queries_file: Path, rounds: int, cold_limit: int) -> dict[str, Any]:
    """Warm and cold latency of the fixed query set on an existing index."""
    queries = json.loads(queries_file.read_text("utf-8"))
    out: dict[str, Any] = {"queries": len(queries)}
    print(f"[{size}] warm queries …", flush=True)
    warm = checked("warm", timed([PYTHON, str(ROOT / "bench" / "queries.py"), str(index), str(queries_file), str(rounds)]))
    out["warm"] = {**json.loads(warm["stdout"]), "peak_mb": warm["peak_mb"]}
    print(f"[{size}] cold queries …", flush=True)
    cold = []
    for query in queries[:cold_limit]:
        args = [*SEARCH, query["q"], "--json", "--index", str(index)]
        for key, option in (("agency", "--agency"), ("region", "--region"), ("year", "--year"), ("part", "--section"), ("kind", "--kind")):
            if key in query:
                args += [option, str(query[key])]
        cold.append(checked("search", timed(args))["seconds"])
    out["cold_seconds"] = cold
    return out


def summary(r: dict[str, Any]) -> dict[str, float]:
    warm_ms = [s * 1000 for s in r["warm"]["warm_seconds"]]
    first_ms = [s * 1000 for s in r["warm"]["first_seconds"]]
    cold_ms = [s * 1000 for s in r["cold_seconds"]]
    ingest_s = r["ingest"]["seconds"]
    return {
        "ingest_s": ingest_s,
        "reports_per_s": r["reports"] / ingest_s,
        "floor_s": r["floor"]["jieba_seconds"],
        "analyzer_s": r["floor"]["analyzer_seconds"],
        "ratio": ingest_s / r["floor"]["jieba_seconds"],
        "unchanged_s": r["unchanged"]["seconds"],
        "changed_s": r["changed"]["seconds"],
        "warm_median_ms": statistics.median(warm_ms),
        "warm_p95_ms": percentile(warm_ms, 0.95),
        "first_median_ms": statistics.median(first_ms),
        "first_p95_ms": percentile(first_ms, 0.95),
        "cold_median_ms": statistics.median(cold_ms),
        "cold_p95_ms": percentile(cold_ms, 0.95),
        "ingest_peak_mb": r["ingest"]["peak_mb"],
        "peak_mb": max(r["ingest"]["peak_mb"], r["unchanged"]["peak_mb"], r["changed"]["peak_mb"], r["warm"]["peak_mb"]),
    }


def _cpu_ratio(r: dict[str, Any]) -> float | None:
    ingest, floor = r["ingest"].get("cpu_seconds"), r["floor"].get("jieba_cpu_seconds")
    return ingest / floor / 2 if ingest and floor else None


def _or_dash(value: float | None, form: str) -> str:
    return "—" if value is None else form.format(value)


def render(results: list[dict[str, Any]], info: dict[str, str], when: str) -> str:
    runs = "; ".join(
        f"{r['size']:,} reports: {r['when']}, load average {r['machine']['load']}"
        + (
            f" (queries re-measured {r['queries_when']}, load average {r['queries_machine']['load']})"
            if "queries_when" in r
            else ""
        )
        for r in results
    )
    lines = [
        START,
        "## Index and command-line search",
        "",
        f"Measured by `bench/run.py` (`make bench`) on {info['nproc']} cores ({info['cpu']}), "
        f"{info['ram']} RAM, Python {info['python']} ({runs} at the start; the machine is shared, "
        "other jobs ran at the same time, so wall times are pessimistic).",
        "",
        "Corpora from `archive synth --seed 0`. Ingest: `archive ingest CORPUS --index DIR --quiet` on a fresh "
        "index. Floor: jieba alone (`Tokenizer.cut(text, HMM=False)` with the index's dictionary, one process) "
        "on the title and text of every indexed document; the ratio divides the ingest's wall time by it. "
        "Cold query: `archive search --json`, a new process each (interpreter start, index and dictionary "
        "loading included). Warm: one process with the index open, each query run once, then timed over "
        "further rounds. Memory: peak resident size of a step's process and its worker processes.",
        "",
        "| | " + " | ".join(f"{r['size']:,} reports" for r in results) + " | target |",
        "|---|" + "---|" * len(results) + "---|",
    ]
    sums = [summary(r) for r in results]

    def row(label: str, cells: list[str], target: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    row("reports indexed (skipped)", [f"{r['reports']:,} ({r['skipped']})" for r in results])
    row("documents (sections + table rows)", [f"{r['documents']:,}" for r in results])
    row("full ingest", [f"{s['ingest_s']:.1f} s" for s in sums], "10,000 in < 600 s")
    row("reports per second", [f"{s['reports_per_s']:.1f}" for s in sums])
    row("segmentation floor (jieba alone)", [f"{s['floor_s']:.1f} s" for s in sums])
    row("our analyzer alone (jieba + sub-words)", [f"{s['analyzer_s']:.1f} s" for s in sums])
    row("ingest ÷ floor (wall time)", [f"{s['ratio']:.2f}×" for s in sums], "≤ 3×")
    row("ingest CPU time, all processes", [_or_dash(r["ingest"].get("cpu_seconds"), "{:.1f} s") for r in results])
    row("floor CPU time (jieba alone)", [_or_dash(r["floor"].get("jieba_cpu_seconds"), "{:.1f} s") for r in results])
    row(
        "ingest CPU ÷ floor CPU ÷ 2 cores",
        [_or_dash(_cpu_ratio(r), "{:.2f}×") for r in results],
        "the ratio on an idle machine",
    )
    row("text segmented", [f"{r['floor']['chars'] / 1e6:.1f} M characters" for r in results])
    row("corpus size", [mb(r["corpus_bytes"]) for r in results])
    row("index size (Whoosh)", [mb(r["index_bytes"]) for r in results])
    row("index ÷ corpus", [f"{r['index_bytes'] / r['corpus_bytes']:.2f}" for r in results])
    row("stored reports (JSON)", [mb(r["stored_reports_bytes"]) for r in results])
    row("re-ingest, nothing changed", [f"{s['unchanged_s']:.2f} s" for s in sums])
    row("re-ingest, one report changed", [f"{s['changed_s']:.2f} s" for s in sums], "< 5 s")
    row("queries in the fixed set", [str(r["queries"]) for r in results], "≥ 50")
    row("cold query, median / p95", [f"{s['cold_median_ms']:.0f} / {s['cold_p95_ms']:.0f} ms" for s in sums])
    row("first run in a warm process, median / p95", [f"{s['first_median_ms']:.1f} / {s['first_p95_ms']:.1f} ms" for s in sums])
    row("warm query, median / p95", [f"{s['warm_median_ms']:.1f} / {s['warm_p95_ms']:.1f} ms" for s in sums], "p95 < 100 ms")
    row("peak memory, ingest", [f"{s['ingest_peak_mb']:.0f} MB" for s in sums])
    row("peak memory, any step", [f"{s['peak_mb']:.0f} MB" for s in sums], "< 2,048 MB")
    lines += ["", END]
    return "\n".join(lines)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes [1000,10000]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds over the query set [3]")
    parser.add_argument("--cold", type=int, default=50, help="how many queries to run cold [50]")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--only-index", action="store_true", help="skip the other bench/bench_*.py benchmarks")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--render-only", action="store_true", help="rewrite the table from var/bench/result-*.json")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="re-measure only the queries on the existing WORKDIR/index-N and queries-N.json (keeps the other figures)",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    for size in args.sizes.split(",") if args.queries_only and not args.render_only else []:
        result_file = args.workdir / f"result-{int(size)}.json"
        result = json.loads(result_file.read_text("utf-8"))
        index, queries_file = args.workdir / f"index-{int(size)}", args.workdir / f"queries-{int(size)}.json"
        result.update(measure_queries(int(size), index, queries_file, args.rounds, args.cold))
        result["queries_machine"], result["queries_when"] = machine(), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        result_file.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    for size in [] if args.render_only or args.queries_only else args.sizes.split(","):
        result = bench_size(int(size), args.workdir, args.seed, args.rounds, args.cold)
        result["machine"], result["when"] = info, when
        for step in ("ingest", "unchanged", "changed"):
            result[step].pop("stdout", None)
        (args.workdir / f"result-{int(size)}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    # every size measured in this work folder, the latest run of each (a later --sizes 10000 keeps the 1000 column)
    results = sorted(
        (json.loads(p.read_text("utf-8")) for p in args.workdir.glob("result-*.json")), key=lambda r: r["size"]
    )
    block = render(results, info, when)
    replace_section(args.doc, START, END, block)
    print(block)
    # other benchmarks (e.g. the browser search against Pagefind) live in bench/bench_*.py and get the
    # same corpora: WORKDIR/corpus-N (content folders) and WORKDIR/index-N (their indexes)
    failed = []
    for extra in [] if args.only_index or args.queries_only or args.render_only else sorted((ROOT / "bench").glob("bench_*.py")):
        print(f"running {extra.name} …", flush=True)
        command = [PYTHON, str(extra), "--sizes", args.sizes, "--workdir", str(args.workdir), "--doc", str(args.doc)]
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            failed.append(extra.name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)} (the index figures above were written)")


if __name__ == "__main__":
    main()
