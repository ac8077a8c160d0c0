"""The array ranking (archive/index/array_ranker.py) answers exactly as Whoosh's own search does.

The samples are indexed in two ingests (three files, then all of them with one of the three
changed), then one report's documents are deleted without merging, so the index has several
segments and deleted documents. Every query of a varied set
(terms, table labels, phrases, exclusions, copied sentences cut mid-word, unknown words, every
filter) is run on a searcher using the array ranker and on one using Whoosh's search; totals,
``total_capped``, suggestions, ids, order and scores (as floats, bit for bit) must be equal.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from whoosh.index import open_dir
from whoosh.scoring import TF_IDF

from archive.index import array_ranker, store
from archive.index.ingest import ingest
from archive.index.search import ArchiveSearcher, Filters

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "reports"
SENTENCE = re.compile(r"[^。；！？\n“”\"]{14,40}")
QUERIES = [
    "依申请公开", "政务新媒体", "政策解读", "行政复议", "政府信息公开", "信息公开指南", "保密审查",
    "政务新媒体 监督", "依申请公开 答复", "培训 考核", "主动公开 目录", "政务公开 -新媒体",
    "政府信息 -依申请公开 -行政复议", "不予公开 国家秘密", "本年新收政府信息公开申请数量",
    "本机关不掌握相关政府信息", "予以公开", "行政处罚", '"政策解读"', '"依申请公开工作"', '"信息公开"',
    '"政府信息" 公开', '"主动公开" -微博', "中华人民共和国政府信息公开条例", "依申请公",
    "xyzzy", "政府信息公开工开", "2023", "公开 的 了",
]
FILTERS = [
    Filters(),
    Filters(kind="table_row"),
    Filters(kind="section"),
    Filters(part="一"),
    Filters(part="五"),
    Filters(year=2023),
    Filters(region="河南"),
    Filters(kind="section", part="二"),
]


def copied_fragments() -> list[str]:
    """Sentences from the samples, cut at both ends in the middle of words (optional edge tokens)."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        for sentence in SENTENCE.findall(path.read_text("utf-8"))[:12]:
            out.append(sentence.strip()[1:-1])
    return out


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("content")
    reports = content / "reports"
    reports.mkdir()
    samples = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    for path in samples[:3]:
        shutil.copy(path, reports / path.name)
    index_dir = tmp_path_factory.mktemp("index") / "index"
    assert ingest(content, index_dir).exit_code == 0
    for path in samples[3:]:
        shutil.copy(path, reports / path.name)
    changed = reports / samples[0].name
    changed.write_text(changed.read_text("utf-8") + "\n本报告经复核后补充说明一处数据口径。\n", "utf-8")
    assert ingest(content, index_dir).exit_code == 0
    # ingest merges small segments (purging deleted documents): delete one report's documents without merging
    generation = store.current_generation(index_dir)
    report_id = sorted(entry["report_id"] for entry in store.read_manifest(generation)["files"].values())[1]
    whoosh_index = open_dir(str(generation / store.WHOOSH_DIR))
    writer = whoosh_index.writer()
    writer.delete_by_term("report_id", report_id)
    writer.commit(merge=False)
    whoosh_index.close()
    return index_dir


@pytest.fixture(scope="module")
def searchers(index_dir: Path):
    with ArchiveSearcher(index_dir) as fast, ArchiveSearcher(index_dir, fast=False) as whoosh:
        yield fast, whoosh


def answer(searcher: ArchiveSearcher, text: str, filters: Filters, limit: int) -> dict:
    response = searcher.search(text, filters, limit)
    return {
        "total": response.total,
        "capped": response.total_capped,
        "suggestion": response.suggestion,
        "hits": [(h.fields["id"], h.score, [t for t, _ in h.snippet]) for h in response.hits],
    }


def test_the_index_has_several_segments_and_deletions(searchers: tuple[ArchiveSearcher, ArchiveSearcher]) -> None:
    fast, _ = searchers
    assert fast._ranker is not None, "numpy is installed: the array ranker is in use"
    readers = [s.reader() for s, _ in fast.searcher.leaf_searchers()]
    assert len(readers) >= 2
    assert any(r.has_deletions() for r in readers)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.to_dict()) or "none")
def test_array_ranker_answers_exactly_as_whoosh(
    searchers: tuple[ArchiveSearcher, ArchiveSearcher], filters: Filters
) -> None:
    fast, whoosh = searchers
    queries = QUERIES + (copied_fragments() if not filters.to_dict() else [])
    for text in queries:
        for limit in (10, 60):
            assert answer(fast, text, filters, limit) == answer(whoosh, text, filters, limit), (text, limit)


def test_the_set_covers_every_kind_of_clause(searchers: tuple[ArchiveSearcher, ArchiveSearcher]) -> None:
    fast, _ = searchers
    parsed = [fast.parse(text) for text in QUERIES + copied_fragments()]
    optional = [{t for c in p.include for t in c.optional} for p in parsed]
    assert any(len(o) >= 3 for o in optional), "an OR of three or more tokens (summed left to right in small segments)"
    assert any(p.exclude for p in parsed)
    assert any(p.phrases for p in parsed)


def test_a_filter_does_not_change_scores(searchers: tuple[ArchiveSearcher, ArchiveSearcher]) -> None:
    fast, _ = searchers
    for text in ("依申请公开", "本机关不掌握相关政府信息"):
        plain = {h.fields["id"]: h.score for h in fast.search(text, limit=1000).hits}
        filtered = fast.search(text, Filters(year=2023), limit=1000).hits
        assert filtered and all(h.score == plain[h.fields["id"]] for h in filtered)


def test_another_weighting_is_left_to_whoosh_and_said_in_the_log(
    searchers: tuple[ArchiveSearcher, ArchiveSearcher], caplog: pytest.LogCaptureFixture
) -> None:
    fast, _ = searchers
    assert array_ranker.ranker(fast.searcher) is not None
    assert caplog.records == []
    other = fast.index.searcher(weighting=TF_IDF())
    try:
        with caplog.at_level("WARNING", logger="archive.index.array_ranker"):
            assert array_ranker.ranker(other) is None
        assert "Whoosh's own search is used" in caplog.text
    finally:
        other.close()
