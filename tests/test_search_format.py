"""The export's file format (docs/search-format.md) against the Whoosh index it was made from,
read back by the Python reader and by the browser's own code (node): every word's postings,
weights, codes and length bytes; the slim lists, blocks, block directories, full segments and
impact tiers (whose frontier bounds every posting after them); every pair of adjacent words; every
document. Once with the export's sizes, once with blocks of 4 postings so that every path of the
format is taken on the samples."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.util.numeric import byte_to_length

from archive.index import query as query_language
from archive.index.ingest import ingest
from archive.index.postings import length_bytes, raw_postings
from archive.index.schema import SEARCH_FIELD, content_of
from archive.index.search import ArchiveSearcher
from site_builder.search import postings
from site_builder.search.export import export_files, write_export
from site_builder.search.reader import Export

ROOT = Path(__file__).resolve().parent.parent
ENGINE_JS = ROOT / "site_builder" / "static" / "search" / "engine.js"
HARNESS = ROOT / "tests" / "js" / "postings_harness.mjs"
PARTS = ["", "一", "二", "三", "四", "五", "六"]
KINDS = ["section", "table_row"]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("format")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    assert ingest(content, tmp / "index").exit_code in (0, 3)
    return tmp / "index"


def _export(index: Path, out: Path) -> Export:
    write_export(index, out)
    return Export(out)


def _whoosh(index: Path) -> dict[str, object]:
    """Every word's (docs, weights), every document's code, length byte and pairs, from the index."""
    with ArchiveSearcher(index) as searcher:
        reader = searcher.searcher.reader()
        words: dict[str, tuple[list[int], list[int]]] = {}
        codes, lengths, pairs, stored = [], [], [], []
        for segreader, offset in reader.leaf_readers():
            lengths += length_bytes(segreader, SEARCH_FIELD).tolist()
            for local in range(segreader.doc_count_all()):
                fields = segreader._perdoc.stored_fields(local)
                codes.append(PARTS.index(fields.get("part") or "") * 2 + KINDS.index(fields["kind"]))
                text = content_of(fields.get("title") or "", fields.get("text") or "")
                pairs.append(query_language.adjacent_pairs(text, searcher.index_segmenter))
                stored.append(fields)
            for btext in segreader.lexicon(SEARCH_FIELD):
                ids, weights = raw_postings(segreader, SEARCH_FIELD, btext)
                docs, ws = words.setdefault(btext.decode("utf-8"), ([], []))
                docs += (ids + offset).tolist()
                ws += weights.astype(int).tolist()
        avgfl = searcher.searcher.avg_field_length(SEARCH_FIELD)
    return {"words": words, "codes": codes, "lengths": lengths, "pairs": pairs, "stored": stored, "avgfl": avgfl}


def _score(weight: int, length: int, avgfl: float) -> float:
    fl = byte_to_length(length)
    return (weight * (postings.K1 + 1)) / (weight + postings.K1 * ((1 - postings.B) + postings.B * fl / avgfl))


def _check(export: Export, truth: dict[str, object], tmp: Path) -> None:
    words, codes, lengths = truth["words"], truth["codes"], truth["lengths"]
    (unit,) = export.manifest["units"]
    seen_words, pair_docs = set(), {}
    kinds_seen = set()
    entries = dict(export.entries(unit))
    for term, entry in entries.items():
        decoded = export.postings(unit, term, entry)
        if " " in term:
            pair_docs[term] = decoded.docs
            kinds_seen.add("pair " + ("inline" if "p" in entry else "blocked" if ("d" in entry or "b" in entry) else "whole"))
            if entry.get("x"):
                kinds_seen.add("pair exceptions")
                first, second = term.split(" ")
                both = set(words[first][0]) & set(words[second][0])
                assert set(decoded.docs) <= both and len(decoded.docs) == entry["e"]
                pair_docs[term] = sorted(both - set(decoded.docs))
                assert len(pair_docs[term]) == entry["n"]
            if "d" in entry or "b" in entry:
                assert [d for b in export.blocks(unit, term, entry) for d in b.docs] == decoded.docs
            continue
        seen_words.add(term)
        docs, weights = words[term]
        assert decoded.docs == docs and decoded.weights == weights, term
        assert decoded.codes == [codes[d] for d in docs] and decoded.lengths == [lengths[d] for d in docs], term
        if "s" in entry:
            kinds_seen.add("word slim")
            slim = export.slim(unit, entry)
            assert (slim.docs, slim.weights) == (docs, weights), term
            blocks = export.blocks(unit, term, entry)
            assert [d for b in blocks for d in b.docs] == docs
            firsts, _, segments = export.directory(unit, entry)
            assert firsts == docs[:: postings.BLOCK_POSTINGS]
            assert len(segments) == -(-len(docs) // postings.SEGMENT_POSTINGS)
        for i, tier in enumerate(export.tiers(unit, entry)):
            kinds_seen.add("tiers")
            before = {d for t in export.tiers(unit, entry)[: i + 1] for d in t.docs}
            frontier = entry["t"][i][2]
            bound = max((_score(w, b, truth["avgfl"]) for w, b in frontier), default=0.0)
            rest = [(w, b) for d, w, b in zip(docs, weights, (lengths[d] for d in docs), strict=True) if d not in before]
            assert all(_score(w, b, truth["avgfl"]) <= bound for w, b in rest), term
            assert all(pair in rest for pair in map(tuple, frontier)), term
            assert tier.docs == sorted(tier.docs)
    assert seen_words == set(words)
    for doc, pairs in enumerate(truth["pairs"]):
        assert {p for p in pairs} == {p for p, docs in pair_docs.items() if doc in set(docs)}, doc
    chunk = unit["docChunk"]
    for c in range(-(-unit["count"] // chunk)):
        data = export.chunk(unit, c)
        for i, record in enumerate(data["d"]):
            fields = truth["stored"][c * chunk + i]
            assert f"{data['r'][str(record[0])][0]}:{record[1]}" == fields["id"]
            assert record[5] == (fields.get("text") or "")
    # the browser's decoders read the same
    names = sorted(entries)
    path = tmp / "terms.json"
    path.write_text(json.dumps(names, ensure_ascii=False), "utf-8")
    result = subprocess.run(["node", str(HARNESS), str(ENGINE_JS), str(export.folder), str(path)],
                            capture_output=True, text=True, check=True, timeout=600)
    browser = json.loads(result.stdout)
    for term in names:
        row = browser[term]
        want = export.postings(unit, term, entries[term])
        assert row["full"]["docs"] == want.docs, term
        if " " not in term:
            assert row["full"]["weights"] == want.weights and row["full"]["lengths"] == want.lengths, term
            assert row["full"]["codes"] == want.codes, term
            if "slim" in row:
                assert row["slim"]["docs"] == want.docs and row["slim"]["weights"] == want.weights, term
            if "segments" in row:
                assert [d for s in row["segments"] for d in s["docs"]] == want.docs, term
                assert [b for s in row["segments"] for b in s["lengths"]] == want.lengths, term
        if "blocks" in row:
            assert [d for b in row["blocks"] for d in b["docs"]] == want.docs, term
            assert row["starts"][1:] == want.docs[:: postings.BLOCK_POSTINGS][1:], term
        for tier, got in zip(export.tiers(unit, entries[term]), row["tiers"], strict=True):
            assert got[0]["docs"] == tier.docs and got[0]["lengths"] == tier.lengths, term
    documents = browser["\u0000documents"]
    assert [d[0] if d else None for d in documents] == [f["id"] for f in truth["stored"]]
    return kinds_seen


def test_export_reads_back_as_the_index(index: Path, tmp_path: Path) -> None:
    kinds = _check(_export(index, tmp_path / "search"), _whoosh(index), tmp_path)
    assert {"pair inline", "pair whole"} <= kinds  # the samples have no list of more than 1,024


def test_every_path_of_the_format(index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 4 postings, full segments of 8, raw lists of 2, tiers from 8 postings (3, 7, 15), an
    inline directory of at most 2 blocks: every list of the samples is cut every way."""
    for name, value in (("BLOCK_POSTINGS", 4), ("SEGMENT_BLOCKS", 2), ("SEGMENT_POSTINGS", 8), ("RAW_POSTINGS", 2),
                        ("INLINE_BYTES", 8), ("INLINE_BLOCKS", 2), ("TIER_FROM", 8), ("TIER_ENDS", (3, 7, 15))):
        monkeypatch.setattr(postings, name, value)
    from site_builder.search import export

    monkeypatch.setattr(export, "BLOCK_POSTINGS", 4)
    monkeypatch.setattr(export, "SEGMENT_BLOCKS", 2)
    monkeypatch.setattr(export, "RAW_POSTINGS", 2)
    kinds = _check(_export(index, tmp_path / "search"), _whoosh(index), tmp_path)
    assert {"pair inline", "pair whole", "pair blocked", "pair exceptions", "word slim", "tiers"} <= kinds


EXPORT_DIGEST = """
import hashlib, sys
from pathlib import Path
from site_builder.search.export import stream_export
digests = {}
stream_export(Path(sys.argv[1]), lambda path, data: digests.__setitem__(path, hashlib.sha256(data).hexdigest()))
print(sorted(digests.items()))
"""


def test_the_same_index_exports_the_same_bytes_under_any_hash_seed(index: Path) -> None:
    """Two builds of one index publish the same files (a rebuild rewrites nothing, a killed build's
    next run matches a fresh one), whatever order Python's string hashing gives sets."""
    outputs = [
        subprocess.run([sys.executable, "-c", EXPORT_DIGEST, str(index)], check=True, capture_output=True, text=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] and "meta.pack" in outputs[0]


def test_an_export_names_the_published_units_it_keeps_instead_of_copying_them(index: Path, tmp_path: Path) -> None:
    """Exported again beside a site that has this export, every unit is kept: its files are named in
    ``kept`` (a build hard-links them), not written again, and read back as the published bytes."""
    site = tmp_path / "site"
    write_export(index, site / "search")
    published = {f"search/{p.relative_to(site / 'search').as_posix()}" for p in (site / "search").rglob("*.pack")}
    units = {p for p in published if p.startswith("search/u")}
    again = export_files(index, published=site)
    try:
        assert units and again.kept == units
        assert not any(again.folder.glob("u*")), "a kept unit's files were written again"
        assert all(again[p] == (site / p).read_bytes() for p in units)
        assert set(again) == published | {"search/manifest.json"}
    finally:
        again.close()
