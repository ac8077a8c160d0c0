"""The browser search finds what `archive search` finds: same documents, same top 10 (issue 5).

At least 100 queries (phrases from sections, quoted phrases, table labels, agency names, two words,
exclusions, filters, typos) run with the library function of ``archive search --json --limit 1000``
and with the site's search code in headless chromium, on the samples and on a synthetic corpus:
in the engine's exact mode (every candidate scored and counted) the set of documents and the count
are the command line's; in its default mode (the best results by impact tiers, forced here on
every query it applies to, with an estimated count) the top 10 are the command line's, in order.
Scores are equal up to the order of float additions; both sides order by the score rounded to
1e-9, then by document number (the tie rule of docs/search.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from archive_command import ARCHIVE
from search_site import browser, build_site, cli_results, parity_queries, serve

from archive.index.ingest import ingest
from site_builder.build import build

ROOT = Path(__file__).resolve().parent.parent

# The queries with the site's engine in one mode: exact (every candidate) or top-k from the impact
# tiers, here forced wherever it applies (also for rare words and long queries, without budget).
RUN_JS = """
async ([queries, exact]) => {
  const { SearchEngine } = await import(new URL("static/search/engine.js", document.baseURI).href);
  const engine = new SearchEngine(new URL("search/", document.baseURI).href);
  engine.exact = exact;
  engine.topkForce = !exact;
  const out = [];
  for (const query of queries) {
    const filters = {};
    for (const f of ["year", "region", "agency", "part", "kind"]) if (query[f]) filters[f] = query[f];
    const r = await engine.search(query.q, filters, query.limit);
    const docs = await engine.documents(r.hits.map((h) => h.doc));
    out.push({ total: r.total, estimated: r.totalEstimated, topK: Boolean(r.topK), ids: r.hits.map((h) => docs.get(h.doc).id),
               scores: r.hits.map((h) => h.score), suggestion: r.suggestion });
  }
  return out;
}
"""


def _compare(site: Path, index: Path) -> None:
    queries = parity_queries(index)
    assert len(queries) >= 100
    shown = [{**q, "limit": 10} for q in queries]
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(base + "search.html")
        exact = page.evaluate(RUN_JS, [queries, True])
        default = page.evaluate(RUN_JS, [shown, False])
    expected = cli_results(index, queries)
    expected_shown = cli_results(index, shown)
    problems = []
    for query, ours, cli in zip(queries, exact, expected, strict=True):
        if ours["total"] != cli["total"] or set(ours["ids"]) != set(cli["ids"]):
            problems.append(f"{query}: {ours['total']} results in the browser, {cli['total']} on the command line")
        elif ours["ids"][:10] != cli["ids"][:10]:
            problems.append(f"{query}: top 10 differ: {ours['ids'][:10]} vs {cli['ids'][:10]}")
        elif ours["suggestion"] != cli["suggestion"]:
            problems.append(f"{query}: suggestion {ours['suggestion']!r} vs {cli['suggestion']!r}")
        for a, b in zip(ours["scores"], cli["scores"], strict=False):
            assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (query, a, b)
    top_k = 0
    for query, ours, cli in zip(shown, default, expected_shown, strict=True):
        if ours["ids"] != cli["ids"]:
            problems.append(f"{query} (default mode): top 10 differ: {ours['ids']} vs {cli['ids']}")
        top_k += ours["topK"]
        if ours["estimated"]:
            assert ours["topK"] and ours["total"] >= len(ours["ids"])
        elif ours["total"] != cli["total"]:
            problems.append(f"{query} (default mode): {ours['total']} results, {cli['total']} on the command line")
        for a, b in zip(ours["scores"], cli["scores"], strict=False):
            assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (query, a, b)
    assert not problems, "\n".join(problems)
    assert sum(1 for r in expected if r["total"]) >= 80  # the set is not made of empty queries
    assert top_k >= 20  # the top-k path was taken


def test_samples(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = build_site(content, tmp_path / "index", tmp_path / "site")
    _compare(site, tmp_path / "index")


def test_samples_cut_in_small_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 16 postings (full segments of 32), raw lists of 4, tiers from 32 postings, inline
    directories of 2 blocks: the paths that read some blocks of a word (its directory first, or its
    slim list when the candidates span too many), full segments of a filtered word and tiers agree;
    and ``drop_common_words`` with words common in the samples (one document in five) left out of copied text."""
    from site_builder.search import export, postings

    for name, value in (("BLOCK_POSTINGS", 16), ("SEGMENT_BLOCKS", 2), ("SEGMENT_POSTINGS", 32), ("RAW_POSTINGS", 4),
                        ("INLINE_BYTES", 16), ("INLINE_BLOCKS", 2), ("TIER_FROM", 32), ("TIER_ENDS", (16, 64, 256))):
        monkeypatch.setattr(postings, name, value)
    monkeypatch.setattr(export, "BLOCK_POSTINGS", 16)
    monkeypatch.setattr(export, "SEGMENT_BLOCKS", 2)
    monkeypatch.setattr(export, "RAW_POSTINGS", 4)
    from archive.index import query as query_language

    # ``drop_common_words`` with lower thresholds than a small archive needs (the manifest carries them to the browser)
    monkeypatch.setattr(query_language, "COMMON_SHARE", 0.2)
    monkeypatch.setattr(query_language, "COMMON_MIN", 0)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = build_site(content, tmp_path / "index", tmp_path / "site")
    # the build exports in a process of its own, which the settings above do not reach: export here
    shutil.rmtree(site / "search")
    export.write_export(tmp_path / "index", site / "search")
    from site_builder.search.reader import Export

    exported = Export(site / "search")
    (unit,) = exported.manifest["units"]
    entries = [e for _, e in exported.entries(unit)]
    assert any("d" in e for e in entries), "no term has its block directory in the pack"
    assert any("t" in e for e in entries), "no term has impact tiers"
    _compare(site, tmp_path / "index")


def test_after_one_report_changed(tmp_path: Path) -> None:
    """An ingest that changes one report deletes its documents from their segment and adds a
    segment: the rebuild keeps the unit of the unchanged segments (its files untouched), writes the
    new segment as a second unit, lists the deleted documents; the browser finds what archive
    search finds (the document frequencies of both units added, the deleted documents left out)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = build_site(content, tmp_path / "index", tmp_path / "site")
    before = json.loads((site / "search" / "manifest.json").read_text("utf-8"))
    files = {p: p.stat().st_ino for p in (site / "search").rglob("*.pack")}
    report = content / "reports" / "wenxian-xianzhengfu-ban-2023.txt"
    report.write_text(report.read_text("utf-8") + "\n本报告另附说明一则：依申请公开工作平稳有序。\n", "utf-8")
    assert ingest(content, tmp_path / "index").exit_code == 0
    build(content, site, index_dir=tmp_path / "index")
    after = json.loads((site / "search" / "manifest.json").read_text("utf-8"))
    assert len(after["units"]) == 2
    kept, added = after["units"]
    assert kept["key"] == before["units"][0]["key"] and kept["deleted"]
    assert added["first"] == kept["first"] + kept["count"] and not added["deleted"]
    unchanged = [p for p in files if p.is_file() and p.stat().st_ino == files[p]]
    assert unchanged and all(p.parent.name == kept["dir"].rstrip("/") for p in unchanged)
    assert {p for p in files if p.parent.name == kept["dir"].rstrip("/")} == set(unchanged)
    rewritten = [p for p in (site / "search").rglob("*") if p.is_file() and p not in set(unchanged)]
    assert len(rewritten) <= 10, rewritten
    _compare(site, tmp_path / "index")


@pytest.mark.slow
def test_synthetic_corpus(tmp_path: Path) -> None:
    content = tmp_path / "synth"
    subprocess.run([ARCHIVE, "synth", "--count", "30", "--out", str(content), "--seed", "3"],
                   check=True, capture_output=True)
    site = build_site(content, tmp_path / "index", tmp_path / "site")
    _compare(site, tmp_path / "index")


def test_query_dictionary_segments_the_corpus_as_the_index(tmp_path: Path) -> None:
    """jieba restricted to the index's vocabulary (what queries and the browser use) cuts every
    indexed title and text of the samples exactly as the full dictionary does."""
    from archive.index.ingest import ingest
    from archive.index.schema import content_of
    from archive.index.search import ArchiveSearcher

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert ingest(content, tmp_path / "index").exit_code == 0
    with ArchiveSearcher(tmp_path / "index") as searcher:
        full = searcher.index_segmenter
        restricted = searcher.query_segmenter
        assert len(restricted.tokenizer.FREQ) < len(full.tokenizer.FREQ) / 10
        documents = [dict(f) for _, f in searcher.searcher.reader().iter_docs()]
        assert len(documents) > 100
        for doc in documents:
            text = content_of(doc.get("title", ""), doc.get("text", ""))
            assert list(restricted.cut(text)) == list(full.cut(text)), doc["id"]
