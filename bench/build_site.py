"""Benchmark of the static site build (``make bench``, after ``bench/run.py``).

For each size: a synthetic corpus (``archive synth``; the one ``bench/run.py`` made is copied when
it exists), ingested into an index of its own, then in separate processes:

* a full build into an empty folder: wall time and peak memory (``wait4`` rusage of the build
  process, the figure ``resource.getrusage(RUSAGE_CHILDREN)`` accumulates);
* a rebuild with nothing changed, and a rebuild after one report changed (re-ingested first):
  wall time, and how many files were rewritten (new inode or modification time);
* the site's size and its heaviest pages; any page over 150 KB that is not a data download is flagged.

The figures go to ``docs/benchmarks.md`` between markers, under "## Site build"; the other
sections of that file are kept.

Example:
    .venv/bin/python bench/build_site.py --sizes 1000          # quick
    .venv/bin/python bench/build_site.py                        # 1,000 and 10,000 (make bench)
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

from common import BUILD, INGEST, SYNTH, checked, machine, mb, timed  # noqa: E402
from doc_section import replace_section  # noqa: E402

from site_builder.build_cache import cache_dir  # noqa: E402

START, END = "<!-- site-bench:start -->", "<!-- site-bench:end -->"
PAGE_LIMIT = 150 * 1024
DOWNLOADS = (".csv", ".json", ".bin", ".txt", ".pdf", ".docx", ".xml")
"""Files that are data, not pages: exempt from the page-weight limit (the search index is data too)."""


def corpus_for(size: int, seed: int, workdir: Path, shared: Path) -> Path:
    """WORKDIR/corpus-N: a copy of bench/run.py's corpus of the same size and seed, or a new one."""
    corpus = workdir / f"corpus-{size}"
    marker = corpus / ".synth"
    wanted = f"{size} {seed}"
    if marker.exists() and marker.read_text() == wanted:
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    theirs = shared / f"corpus-{size}"
    if (theirs / ".synth").exists() and (theirs / ".synth").read_text() == wanted:
        shutil.copytree(theirs, corpus)
    else:
        checked("synth", timed([*SYNTH, "--count", str(size), "--out", str(corpus), "--seed", str(seed)]))
        marker.write_text(wanted)
    if not (corpus / "themes.toml").exists():  # the shipped themes list: the ingest tags with it, as in the archive
        shutil.copy(ROOT / "content" / "themes.toml", corpus / "themes.toml")
    return corpus


def index_for(size: int, corpus: Path, workdir: Path, shared: Path) -> Path:
    """WORKDIR/index-N, brought up to date with the corpus (seeded from bench/run.py's index when there is one)."""
    index = workdir / f"index-{size}"
    theirs = shared / f"index-{size}"
    if not (index / "CURRENT").exists() and (theirs / "CURRENT").exists():
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(theirs, index, ignore=shutil.ignore_patterns("*.lock"))
    checked("ingest", timed([*INGEST, str(corpus), "--index", str(index), "--quiet"]), (0, 3))
    return index


def snapshot(site: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            info = path.stat()
            out[path.relative_to(site).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return out


def rewritten(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """Files new or rewritten (another inode or modification time) between two snapshots."""
    return sorted(p for p, stamp in after.items() if before.get(p) != stamp)


def page_weights(site: Path) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages}
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])
    by_kind: dict[str, tuple[str, int]] = {}
    for path, size in heaviest:
        by_kind.setdefault(page_kind(path), (path, size))
    over = [(p, s) for p, s in heaviest if s > PAGE_LIMIT]
    data = [p for p in files if p.suffix in DOWNLOADS or "search/" in p.relative_to(site).as_posix()]
    return {
        "files": len(files),
        "pages": len(pages),
        "bytes": sum(p.stat().st_size for p in files),
        "page_bytes": sum(sizes.values()),
        "search_bytes": sum(p.stat().st_size for p in files if p.relative_to(site).parts[0] == "search"),
        "search_files": sum(1 for p in files if p.relative_to(site).parts[0] == "search"),
        "data_bytes": sum(p.stat().st_size for p in data),
        "heaviest": heaviest[:5],
        "by_kind": by_kind,
        "over_limit": over,
    }


def page_kind(path: str) -> str:
    top = path.split("/")[0]
    if path.endswith("-problems.html") or "-problems-" in path:
        return "问题与改进"
    if "/" not in path:
        return {"index.html": "home", "search.html": "search", "404.html": "404"}.get(path, path)
    return {
        "reports": "report",
        "agencies": "agency",
        "compare": "compare",
        "regions": "region",
        "pages": "hand-written",
        "data": "data",
        "themes": "theme",
    }.get(top, path)


def kind_of_change(path: str) -> str:
    if path.startswith("search/"):
        return "search/"
    return path.split("/")[0] if "/" in path else path


def bench_size(size: int, seed: int, workdir: Path, shared: Path, rebuilds: bool = True) -> dict[str, Any]:
    print(f"[{size}] corpus and index …", flush=True)
    corpus = corpus_for(size, seed, workdir, shared)
    index = index_for(size, corpus, workdir, shared)
    site = workdir / f"site-{size}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(cache_dir(site), ignore_errors=True)  # a full build starts with nothing kept from another
    build = [*BUILD, "--content", str(corpus), "--index", str(index), "--out", str(site)]
    out: dict[str, Any] = {"size": size}
    print(f"[{size}] full build …", flush=True)
    out["full"] = checked("build", timed(build))
    out["weights"] = page_weights(site)
    out["cache_bytes"] = sum(p.stat().st_size for p in cache_dir(site).rglob("*") if p.is_file())
    out["full"].pop("stderr", None)
    if not rebuilds:
        return out
    print(f"[{size}] rebuild, nothing changed …", flush=True)
    before = snapshot(site)
    out["unchanged"] = checked("rebuild", timed(build))
    out["unchanged"]["rewritten"] = rewritten(before, snapshot(site))
    print(f"[{size}] rebuild after one report changed …", flush=True)
    victim = sorted((corpus / "reports").glob("*.txt"))[size // 2]
    original = victim.read_bytes()
    try:
        text = original.decode("utf-8")
        victim.write_text(text + "\n本报告经复核后补充说明一处数据口径。\n", "utf-8")
        out["reingest"] = checked("ingest", timed([*INGEST, str(corpus), "--index", str(index), "--quiet"]), (0, 3))
        before = snapshot(site)
        out["changed"] = checked("rebuild", timed(build))
        out["changed"]["rewritten"] = rewritten(before, snapshot(site))
    finally:
        victim.write_bytes(original)
        checked("ingest", timed([*INGEST, str(corpus), "--index", str(index), "--quiet"]), (0, 3))
    for step in ("unchanged", "changed"):
        out[step].pop("stderr", None)
    out["reingest"].pop("stdout", None)
    out["reingest"].pop("stderr", None)
    return out


def kb(n: float) -> str:
    return f"{n / 1024:.0f} KB"


def render(results: list[dict[str, Any]], info: dict[str, str]) -> str:
    runs = "; ".join(f"{r['size']:,} reports: {r['when']}, load average {r['machine']['load']}" for r in results)
    lines = [
        START,
        "## Site build",
        "",
        f"Measured by `bench/build_site.py` (`make bench`) on {info['nproc']} cores ({info['cpu']}), "
        f"{info['ram']} RAM, Python {info['python']} ({runs} at the start; the machine is shared, "
        "other jobs ran at the same time, so wall times are pessimistic).",
        "",
        "Corpora from `archive synth --seed 0`, ingested with `archive ingest`; each build is "
        "`archive build --content CORPUS --index INDEX --out SITE` in its own process. Peak memory is the "
        "largest sum, sampled every half second, of the proportional set sizes (`Pss`) of the build and its "
        "children (the export of the browser search's index, the similar passages' workers): forked processes "
        "share pages, which each one's resident size would count whole; the largest single resident size "
        "(`wait4`) is given beside it. Rewritten files are those with a new inode or "
        "modification time after the rebuild (a portal's sync copies only those). The one changed report "
        "gets a sentence added to its text and is re-ingested before the rebuild. Rebuilds take what did not "
        "change from the build cache beside the site (`site_builder/build_cache.py`); the full build starts "
        "without one.",
        "",
        "| | " + " | ".join(f"{r['size']:,} reports" for r in results) + " | target |",
        "|---|" + "---|" * len(results) + "---|",
    ]

    def row(label: str, cells: list[str], target: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    row("full build", [f"{r['full']['seconds']:.1f} s ({r['full']['cpu_seconds']:.0f} s CPU)" for r in results],
        "10,000 in ≤ 300 s")
    row("peak memory, full build (build and its children together, Pss)",
        [f"{r['full'].get('tree_peak_mb', r['full']['peak_mb']):.0f} MB" for r in results], "≤ 2,048 MB")
    row("largest single process, full build (resident)", [f"{r['full']['peak_mb']:.0f} MB" for r in results])
    row("rebuild, nothing changed", [_if_rebuilt(r, lambda r: f"{r['unchanged']['seconds']:.1f} s") for r in results])
    row("files rewritten, nothing changed",
        [_if_rebuilt(r, lambda r: str(len(r["unchanged"]["rewritten"]))) for r in results], "0")
    row("rebuild, one report changed",
        [_if_rebuilt(r, lambda r: f"{r['changed']['seconds']:.1f} s") for r in results], "≤ 30 s")
    row(
        "files rewritten, one report changed",
        [_if_rebuilt(r, lambda r: _changed_summary(r["changed"]["rewritten"])) for r in results],
        "only the pages that show it; search/ ≤ 50",
    )
    row("peak memory, rebuilds", [_if_rebuilt(r, lambda r: (
        f"{max(r['unchanged'].get('tree_peak_mb', 0), r['changed'].get('tree_peak_mb', 0), r['changed']['peak_mb']):.0f} MB"
    )) for r in results])
    row("build cache beside the site (`.site.cache/`, not published)",
        [mb(r["cache_bytes"]) if "cache_bytes" in r else "–" for r in results])
    row("files in the site", [f"{r['weights']['files']:,}" for r in results])
    row("files per report (all files ÷ reports)", [f"{r['weights']['files'] / r['size']:.2f}" for r in results], "≤ 6")
    row("of which search index files (`search/`)", [f"{r['weights'].get('search_files', 0):,}" for r in results])
    row("HTML pages", [f"{r['weights']['pages']:,}" for r in results])
    row("site size", [mb(r["weights"]["bytes"]) for r in results])
    row("of which HTML pages", [mb(r["weights"]["page_bytes"]) for r in results])
    row("of which search index (`search/`)", [mb(r["weights"]["search_bytes"]) for r in results])
    kinds = sorted({k for r in results for k in r["weights"]["by_kind"]})
    for kind in kinds:
        cells = []
        for r in results:
            found = r["weights"]["by_kind"].get(kind)
            cells.append(f"{kb(found[1])} (`{found[0]}`)" if found else "–")
        row(f"heaviest {kind} page", cells, "≤ 150 KB")
    row(
        "pages over 150 KB (data downloads excepted)",
        [", ".join(f"`{p}` {kb(s)}" for p, s in r["weights"]["over_limit"]) or "none" for r in results],
        "none",
    )
    lines += ["", END]
    return "\n".join(lines)


def _if_rebuilt(result: dict[str, Any], cell: Any) -> str:
    """A rebuild's figure, or a dash for a size measured by its full build alone (``--full-only``)."""
    return cell(result) if "changed" in result else "– (full build only)"


def _changed_summary(paths: list[str]) -> str:
    counts: dict[str, int] = {}
    for path in paths:
        counts[kind_of_change(path)] = counts.get(kind_of_change(path), 0) + 1
    detail = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items()))
    return f"{len(paths)} ({detail})"



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes [1000,10000]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument(
        "--shared", type=Path, default=ROOT / "var" / "bench", help="bench/run.py's folder, whose corpora are reused"
    )
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--render-only", action="store_true", help="rewrite the table from WORKDIR/site-result-*.json, measure nothing"
    )
    parser.add_argument(
        "--full-only", default="", help="comma-separated sizes measured by their full build alone (no rebuilds)"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sizes = [] if args.render_only else [int(s) for s in args.sizes.split(",")]
    if args.render_only:
        results = sorted(
            (json.loads(p.read_text("utf-8")) for p in args.workdir.glob("site-result-*.json")), key=lambda r: r["size"]
        )
        replace_section(args.doc, START, END, render(results, results[0]["machine"] if results else info))
    for size in sizes:
        full_only = {int(s) for s in args.full_only.split(",") if s}
        result = bench_size(size, args.seed, args.workdir, args.shared, rebuilds=size not in full_only)
        result["machine"], result["when"] = info, when
        (args.workdir / f"site-result-{size}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
        # after each size, every size measured in this work folder (the latest run of each)
        results = sorted(
            (json.loads(p.read_text("utf-8")) for p in args.workdir.glob("site-result-*.json")), key=lambda r: r["size"]
        )
        block = render(results, info)
        replace_section(args.doc, START, END, block)
        print(block, flush=True)


if __name__ == "__main__":
    main()
