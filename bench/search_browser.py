"""Benchmark of the browser search against Pagefind, on the same built site of synthetic reports.

For each size: the corpus and index of ``bench/run.py`` (WORKDIR/corpus-N, WORKDIR/index-N; made here
when missing), the site built with ``archive build`` (its search export included), Pagefind 1.5.2
(extended, Chinese segmentation) run over the same report pages; then, in headless chromium on a
local server under /nianbao/, for both:

* bytes as a server sends them gzipped (each file gzipped at level 6) of the first query of a fresh
  page (search code, dictionary, shards, snippets; the HTML page and site.css not counted), over
  ten fresh pages, and of each later query in one page (median, p95);
* time from pressing Enter to the results drawn (median, p95);
* known-item success at 3: 200 sentences (8–20 characters, fixed seed) from sections that are the
  only section holding them; ours counts the section among the first 3 results, Pagefind (which
  indexes pages, not sections) its report page among the first 3 pages;
* total index size (raw and gzipped);
* parity with ``archive search`` on the fixed query set (up to 1000 results each).

Example:
    .venv/bin/python bench/search_browser.py --reports 1000
    .venv/bin/python bench/search_browser.py --sizes 1000,10000 --workdir var/bench --doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from queries import fixed_queries  # noqa: E402
from search_site import CHROMIUM, CHROMIUM_ARGS, PREFIX, cli_results, known_items, run_queries  # noqa: E402

from site_builder.preview import SiteHandler  # noqa: E402

PYTHON = sys.executable
ARCHIVE = str(Path(sys.executable).parent / "archive")
from doc_section import replace_section  # noqa: E402

START, END = "<!-- search-browser-bench:start -->", "<!-- search-browser-bench:end -->"
FIRST_PAGES = 10
BUDGET = {"first_kb": 150, "later_median_kb": 50, "later_p95_kb": 100, "median_ms": 100, "p95_ms": 200, "known": 0.95}

PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><form id="f"><input id="q" name="q" type="search"><button>搜索</button></form><ol id="r"></ol>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
window.__pagefind = pagefind;
document.body.dataset.searchReady = "1";
document.getElementById("f").addEventListener("submit", async (event) => {
  event.preventDefault();
  document.body.dataset.searchState = "busy";
  const search = await pagefind.search(document.getElementById("q").value);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  const list = document.getElementById("r");
  list.replaceChildren(...data.map((d) => {
    const li = document.createElement("li");
    li.textContent = d.meta.title + " " + d.excerpt;
    return li;
  }));
  window.__searchDone = performance.now();
  window.__searchLast = { total: search.results.length };
  document.body.dataset.searchState = "done";
});
</script></body></html>
"""

PAGEFIND_KNOWN_JS = """
async (queries) => {
  const pagefind = window.__pagefind;
  const out = [];
  for (const q of queries) {
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, 3).map((r) => r.data()));
    out.push(data.map((d) => d.url));
  }
  return out;
}
"""

ENTER_TIMER = """
window.addEventListener("keydown", (e) => { if (e.key === "Enter") window.__enterAt = performance.now(); }, true);
"""


class CountingHandler(SiteHandler):
    """Serves the site under /nianbao/ (answering Range, as ``archive serve``) and counts, per
    request, the bytes sent: a range as it is (pack files are compressed already), a whole file
    gzipped (level 6) as a server would send it."""

    log: list[tuple[str, int, int]]
    lock: threading.Lock
    gz_cache: dict[str, int]
    prefix = PREFIX.rstrip("/")

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # every fresh page pays its own bytes
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802
        super().do_GET()
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if not path.is_file():
            return
        ranged = getattr(self, "range_asked", None)
        if ranged is not None:
            with self.lock:
                self.log.append((self.path, ranged, ranged))
            return
        key = str(path)
        with self.lock:
            size = self.gz_cache.get(key)
        if size is None:
            data = path.read_bytes()
            size = len(gzip.compress(data, 6))
            with self.lock:
                self.gz_cache[key] = size
        with self.lock:
            self.log.append((self.path, path.stat().st_size, size))


@contextmanager
def counting_server(root: Path) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    log: list[tuple[str, int, int]] = []
    handler_class = type("Handler", (CountingHandler,), {"log": log, "lock": threading.Lock(), "gz_cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_class, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}", log
    finally:
        server.shutdown()
        server.server_close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def folder_sizes(path: Path) -> tuple[int, int, int]:
    raw = gz = files = 0
    for p in path.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            raw += len(data)
            gz += len(gzip.compress(data, 6))
            files += 1
    return raw, gz, files


def prepare(size: int, workdir: Path, seed: int) -> tuple[Path, Path]:
    """The corpus and index of ``bench/run.py`` for this size; made here when missing."""
    from archive.index import store

    corpus, index = workdir / f"corpus-{size}", workdir / f"index-{size}"
    if not (corpus / "reports").is_dir():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([ARCHIVE, "synth", "--count", str(size), "--out", str(corpus),
                        "--seed", str(seed)], check=True, cwd=ROOT)
    if store.current_generation(index) is None:
        subprocess.run([ARCHIVE, "ingest", str(corpus), "--index", str(index), "--quiet"],
                       cwd=ROOT, check=False)
    return corpus, index


def build_site(corpus: Path, index: Path, out: Path) -> dict[str, float]:
    from site_builder.build import build

    started = time.monotonic()
    build(corpus, out, index_dir=index)
    seconds = time.monotonic() - started
    timings = {"build_seconds": seconds}
    if not (out / "search" / "manifest.json").is_file():  # a build without the search export
        from site_builder.search.site_files import search_files

        started = time.monotonic()
        for path, data in search_files(index).items():
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        timings["export_seconds"] = time.monotonic() - started
    return timings


def run_pagefind(out: Path) -> float:
    shutil.rmtree(out / "pagefind", ignore_errors=True)
    started = time.monotonic()
    subprocess.run([PYTHON, "-m", "pagefind", "--site", str(out), "--output-subdir", "pagefind",
                    "--glob", "reports/*.html", "--quiet"], check=True)
    (out / "pagefind-bench.html").write_text(PAGEFIND_PAGE, "utf-8")
    return time.monotonic() - started


SET_FILTERS_JS = """
(query) => {
  for (const f of ["year", "region", "agency", "part", "kind"]) {
    const box = document.getElementById("search-" + f);
    if (box) box.value = query[f] === undefined ? "" : String(query[f]);
  }
}
"""


def _search_in_page(page: Any, query: dict[str, Any], input_selector: str) -> float:
    page.evaluate("() => { document.body.dataset.searchState = 'idle'; window.__searchDone = 0; }")
    if input_selector == "#search-q":  # ours: the filters too (Pagefind gets the words alone)
        page.evaluate(SET_FILTERS_JS, query)
    page.fill(input_selector, query["q"])
    query = query["q"]
    page.press(input_selector, "Enter")
    page.wait_for_function("() => ['done', 'error'].includes(document.body.dataset.searchState)", timeout=120_000)
    if page.evaluate("document.body.dataset.searchState") == "error":
        raise RuntimeError(f"{query}: {page.text_content('#search-status') if page.locator('#search-status').count() else ''}")
    return page.evaluate("() => window.__searchDone - window.__enterAt")


def _bytes(log: list[tuple[str, int, int]], start: int, prefixes: tuple[str, ...]) -> int:
    return sum(gz for path, _, gz in log[start:] if path.startswith(prefixes))


def _query_details(query: dict[str, Any], log: list[tuple[str, int, int]], start: int, prefixes: tuple[str, ...],
                   size: int, ms: float, *, first: bool) -> dict[str, Any]:
    """One query's bytes by folder (t, p, d, dict, …), its files and its time."""
    folders: dict[str, int] = {}
    for path, _, gz in log[start:]:
        if path.startswith(prefixes):
            key = path.split("/")[-2] if path.count("/") > 2 else path
            folders[key] = folders.get(key, 0) + gz
    return {"query": query, "first": first, "kb": size / 1024, "ms": ms, "requests": len(log) - start,
            "folders_kb": {k: round(v / 1024, 1) for k, v in folders.items()},
            "files": [(path, gz) for path, _, gz in log[start:] if path.startswith(prefixes)]}


def measure_engine(browser: Any, base: str, log: list[tuple[str, int, int]], queries: list[dict[str, Any]], *,
                   page_url: str, input_selector: str, prefixes: tuple[str, ...],
                   details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    first_bytes, first_ms = [], []
    for query in queries[:FIRST_PAGES]:
        context = browser.new_context()
        context.add_init_script(ENTER_TIMER)
        page = context.new_page()
        start = len(log)
        page.goto(base + page_url)
        page.wait_for_function("() => document.body.dataset.searchReady === '1'", timeout=60_000)
        first_ms.append(_search_in_page(page, query, input_selector))
        first_bytes.append(_bytes(log, start, prefixes))
        if details is not None:
            details.append(_query_details(query, log, start, prefixes, first_bytes[-1], first_ms[-1], first=True))
        context.close()
    context = browser.new_context()
    context.add_init_script(ENTER_TIMER)
    page = context.new_page()
    page.goto(base + page_url)
    page.wait_for_function("() => document.body.dataset.searchReady === '1'", timeout=60_000)
    _search_in_page(page, queries[0], input_selector)
    later_bytes, later_ms = [], []
    for query in queries[1:]:
        start = len(log)
        later_ms.append(_search_in_page(page, query, input_selector))
        later_bytes.append(_bytes(log, start, prefixes))
        if details is not None:
            details.append(_query_details(query, log, start, prefixes, later_bytes[-1], later_ms[-1], first=False))
    context.close()
    return {
        "first_kb_median": statistics.median(first_bytes) / 1024, "first_kb_max": max(first_bytes) / 1024,
        "later_kb_median": statistics.median(later_bytes) / 1024, "later_kb_p95": percentile(later_bytes, 0.95) / 1024,
        "ms_median": statistics.median(later_ms + first_ms), "ms_p95": percentile(later_ms + first_ms, 0.95),
        "queries": len(queries),
    }


def bench_size(size: int, workdir: Path, seed: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    corpus, index = prepare(size, workdir, seed)
    out = workdir / f"site-{size}"
    result: dict[str, Any] = {"size": size}
    print(f"[{size}] building the site …", flush=True)
    result.update(build_site(corpus, index, out))
    print(f"[{size}] Pagefind …", flush=True)
    result["pagefind_seconds"] = run_pagefind(out)
    result["ours_size"] = folder_sizes(out / "search")
    result["pagefind_size"] = folder_sizes(out / "pagefind")
    queries = fixed_queries(corpus / "reports", seed)
    items = known_items(index)
    print(f"[{size}] measuring in chromium ({len(queries)} queries, {len(items)} known items) …", flush=True)
    with counting_server(out) as (base, log), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        result["ours"] = measure_engine(browser, base, log, queries, page_url="search.html",
                                        input_selector="#search-q", prefixes=(PREFIX + "static/search/", PREFIX + "search/"))
        result["pagefind"] = measure_engine(browser, base, log, queries, page_url="pagefind-bench.html",
                                            input_selector="#q", prefixes=(PREFIX + "pagefind/",))
        page = browser.new_page()
        page.goto(base + "search.html")
        got = run_queries(page, [{"q": k["q"], "limit": 3} for k in items])
        result["ours"]["known"] = sum(k["id"] in g["ids"] for k, g in zip(items, got, strict=True)) / len(items)
        with_limit = [{**q, "limit": 1000} for q in queries]
        browser_results = run_queries(page, with_limit)
        page.goto(base + "pagefind-bench.html")
        page.wait_for_function("() => document.body.dataset.searchReady === '1'", timeout=60_000)
        urls = page.evaluate(PAGEFIND_KNOWN_JS, [k["q"] for k in items])
        slugs = _report_slugs(index)
        result["pagefind"]["known"] = sum(
            any(u.rstrip("/").endswith(slugs.get(k["report_id"], "?")) for u in found) for k, found in zip(items, urls, strict=True)
        ) / len(items)
        browser.close()
    cli = cli_results(index, with_limit)
    result["parity"] = {
        "queries": len(queries),
        "same_set": sum(set(b["ids"]) == set(c["ids"]) and b["total"] == c["total"] for b, c in zip(browser_results, cli, strict=True)),
        "same_top10": sum(b["ids"][:10] == c["ids"][:10] for b, c in zip(browser_results, cli, strict=True)),
    }
    return result


def bench_existing_site(site: Path, size: int, workdir: Path, seed: int, details_path: Path | None) -> dict[str, Any]:
    """Only our engine's bytes and latency (first and later queries) on a site built earlier (for
    instance with a search/ folder re-exported): no build, no Pagefind, no known-item or parity run."""
    from playwright.sync_api import sync_playwright

    queries = fixed_queries(workdir / f"corpus-{size}" / "reports", seed)
    details: list[dict[str, Any]] = []
    with counting_server(site) as (base, log), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        result = measure_engine(browser, base, log, queries, page_url="search.html", input_selector="#search-q",
                                prefixes=(PREFIX + "static/search/", PREFIX + "search/"), details=details)
        browser.close()
    later = [d for d in details if not d["first"]]
    result["over_100_kb"] = sum(d["kb"] > 100 for d in later)
    result["total_later_kb"] = sum(d["kb"] for d in later)
    if details_path:
        details_path.write_text(json.dumps(details, indent=1, ensure_ascii=False), "utf-8")
    return result


def _report_slugs(index: Path) -> dict[str, str]:
    from archive.index import store
    from site_builder.urls import report_slug

    return {r.id: f"reports/{report_slug(r)}.html" for r in store.read_reports(index)}


def render(results: list[dict[str, Any]], when: str) -> str:
    sizes = [r["size"] for r in results]
    head = " | ".join(f"{s:,} reports: ours | Pagefind" for s in sizes)
    lines = [
        START,
        "## Browser search against Pagefind (issue 5)",
        "",
        f"Measured {when} by `bench/search_browser.py` (also run by `make bench` through `bench/bench_search_browser.py`), "
        "headless chromium on a local server, the site served under `/nianbao/`. Bytes are each file gzipped (level 6) "
        "as a server would send it. First query: a fresh page, from loading the search code to the results drawn, "
        f"median and largest over {FIRST_PAGES} fresh pages; later queries: the fixed query set of `bench/queries.py` "
        "typed one after the other into one page (Pagefind gets the same words without the filters). Known item: "
        "sentences from sections that hold them alone; ours must show the section, Pagefind (page-level) the report page, among the first 3.",
        "",
        f"| | {head} | budget |",
        "|---|" + "---|---|" * len(results) + "---|",
    ]

    def row(label: str, fn: Any, budget: str = "") -> None:
        cells = " | ".join(f"{fn(r['ours'] if k == 0 else r['pagefind'], r, k)}" for r in results for k in (0, 1))
        lines.append(f"| {label} | {cells} | {budget} |")

    row("first query, median / largest (KB)", lambda m, r, k: f"{m['first_kb_median']:.1f} / {m['first_kb_max']:.1f}", "≤ 150")
    row("later queries, median (KB)", lambda m, r, k: f"{m['later_kb_median']:.1f}", "≤ 50")
    row("later queries, p95 (KB)", lambda m, r, k: f"{m['later_kb_p95']:.1f}", "≤ 100")
    row("Enter to results, median (ms)", lambda m, r, k: f"{m['ms_median']:.0f}", "≤ 100")
    row("Enter to results, p95 (ms)", lambda m, r, k: f"{m['ms_p95']:.0f}", "≤ 200")
    row("known item in first 3", lambda m, r, k: f"{100 * m['known']:.1f} %", "≥ 95 %")
    row("index size raw / gzipped (MB)", lambda m, r, k: (lambda s: f"{s[0] / 1e6:.1f} / {s[1] / 1e6:.1f}")(
        r["ours_size"] if k == 0 else r["pagefind_size"]))
    row("index files", lambda m, r, k: f"{(r['ours_size'] if k == 0 else r['pagefind_size'])[2]:,}")
    lines.append("")
    for r in results:
        p = r["parity"]
        build = f"site build {r['build_seconds']:.0f} s" + (f", search export {r['export_seconds']:.0f} s" if "export_seconds" in r else " (search export included)")
        lines.append(
            f"- {r['size']:,} reports: {build}; Pagefind indexing {r['pagefind_seconds']:.0f} s. "
            f"Parity with `archive search` (up to 1000 results): same matching set for {p['same_set']} of {p['queries']} queries, "
            f"same top 10 for {p['same_top10']}."
        )
    lines += ["", END]
    return "\n".join(lines)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=None, help="one corpus size (instead of --sizes)")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--site", type=Path, default=None,
                        help="measure only our engine on this built site (of --reports N's corpus); docs untouched")
    parser.add_argument("--details", type=Path, default=None, help="with --site: each query's bytes, files and time (JSON)")
    args = parser.parse_args()
    if args.site:
        result = bench_existing_site(args.site, args.reports or 1000, args.workdir, args.seed, args.details)
        print(json.dumps(result, ensure_ascii=False))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [args.reports] if args.reports else [int(s) for s in args.sizes.split(",")]
    results = [bench_size(size, args.workdir, args.seed) for size in sizes]
    (args.workdir / "search-browser.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), "utf-8")
    block = render(results, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    replace_section(args.doc, START, END, block)
    print(block)


if __name__ == "__main__":
    main()
