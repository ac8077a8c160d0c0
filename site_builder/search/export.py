"""Export the Whoosh index into static files that the browser search (search.js) reads.

The layout under ``search/`` (format described in docs/search.md)::

    manifest.json        collection statistics, constants of the query rules, shard counts
    dict/<n>.txt         jieba's dictionary with the index's user words, sharded by first character
    t/<n>.json           term dictionary, sharded by FNV-1a hash of the term: per field df and idf,
                         the number of documents, postings (inline or in files); the same for
                         each pair "a b" of adjacent words (phrases)
    p/<id>.bin           the postings of a large term; p/<id>-<k>.bin the same cut in blocks;
                         p/<id>-t<i>.bin its impact tiers (best scores first, for the top-k);
                         p/<id>-s.bin the whole list without length bytes and codes (slim)
    d/<n>.json           DOC_BLOCK documents: metadata, title and full text (for snippets)
    filters/reports.json runs of document numbers of one report, each report's agency and year
    filters/agencies.json  each agency's name, province, city and county (agency and region filters)
    lex/<field>-<len>.json  the field's terms of one length with their frequency (did you mean)

Everything the score needs comes from the Whoosh reader itself: document numbers, the weights
of the postings, the quantized field lengths, ``doc_count_all`` and the average field lengths of
the searcher, and the idf that ``BM25F`` computes. The pairs of adjacent words (for phrases) are
the analyzer's, in index mode, on the stored title and text (the index stores no positions).
"""

from __future__ import annotations

import base64
import gzip
import heapq
import json
import math
import shutil
import struct
import tempfile
import weakref
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from whoosh import index as whoosh_index
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length, length_to_byte

from archive import schema
from archive.index import query as query_language
from archive.index import store
from archive.index.analysis import use_dictionary
from archive.index.schema import SEARCH_FIELDS
from archive.index.vocabulary import restricted_tokenizer
from archive.model import Report
from site_builder.search.affixes import write_affixes
from site_builder.search.segdict import write_dictionary
from site_builder.site import section_anchors
from site_builder.tables import cell_id, table_id
from site_builder.urls import report_slug

FORMAT = 1
DOC_BLOCK = 4
BLOCK_POSTINGS = 128
INLINE_BYTES = 96
TERMS_PER_SHARD = 16
DICT_SHARDS = 1024
TOP_POSTINGS = 100
INLINE_STARTS = 8  # a term of more blocks has their first document numbers in p/<id>-b.bin, read when needed
SLIM_WEIGHTS = 8  # slim lists: varint(gap * 8 + min(weight, 8) - 1), then varint(weight - 8) when weight >= 8
TIER_ENDS = (128, 512, 2048, 8192)  # impact tiers: ranks [0, 128), [128, 512), … by the term's score
MEMO_TEXTS = 2_000  # texts whose pairs are remembered (reports repeat sections word for word)
CHUNK_PAIRS = 150_000  # distinct pairs gathered before a run file of pairs is written
CHUNK_POSTINGS = 2_000_000
MERGE_FAN_IN = 64  # run files merged at once (more are first merged into larger runs)
SHARDS_PER_GROUP = 4096  # t/ shards gathered in memory at once when they are written
B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, which archive.index.search uses
PARTS = ["", "一", "二", "三", "四", "五", "六"]
KINDS = ["section", "table_row"]


def fnv1a(text: str) -> int:
    """FNV-1a (32 bits) of the UTF-8 bytes: the term's shard, the same in search.js."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


_VARINTS = [bytes([n]) if n < 0x80 else bytes([(n & 0x7F) | 0x80, n >> 7]) for n in range(0x4000)]


def _varint_bytes(n: int) -> bytes:
    if n < 0x4000:
        return _VARINTS[n]
    out = bytearray()
    varint(out, n)
    return bytes(out)


def field_text(name: str, stored: dict[str, Any]) -> str:
    """The text the index analysed for field ``name`` of a document (from its stored fields)."""
    if name == "content":
        from archive.index.schema import content_of

        return content_of(stored.get("title") or "", stored.get("text") or "")
    return stored.get(name) or ""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class Exporter:
    """Reads one index generation and hands each file of ``search/`` to ``emit(path, data)`` as soon
    as it is complete. Memory stays bounded by the largest term's postings, one chunk of pairs
    (spilled to sorted run files in ``spill_dir`` and merged) and a few bytes per document."""

    def __init__(self, index_dir: Path, reports: list[Report] | None = None,
                 report_paths: dict[str, str] | None = None) -> None:
        generation = store.current_generation(Path(index_dir))
        if generation is None:
            raise FileNotFoundError(f"{index_dir} 中还没有索引")
        self.generation = generation
        self.manifest = store.read_manifest(generation)
        self.segmenter = use_dictionary(self.manifest["words"], Path(index_dir))
        self.index = whoosh_index.open_dir(str(generation / store.WHOOSH_DIR), readonly=True)
        if reports is None:  # the summaries the site build gives (full reports would take gigabytes)
            from site_builder.sources import IndexStore

            reports = IndexStore(Path(index_dir)).summaries
        self.reports = {r.id: r for r in reports}
        self.report_paths = report_paths or {}

    def run(self, emit: Callable[[str, bytes], None], spill_dir: Path) -> None:
        self.emit = emit
        searcher = self.index.searcher(weighting=BM25F())
        try:
            reader = searcher.reader()
            runs = self._documents(reader, spill_dir)
            pair_count = sum(1 for _ in _merged_runs(runs))
            self._write_terms(searcher, reader, runs, pair_count, spill_dir)
            self._write_lexicon(reader)
            self.affixes = write_affixes(reader, self.emit)
            self._write_manifest(searcher, self._write_segmenter_dictionary(reader))
        finally:
            searcher.close()
            self.index.close()

    # -- documents -------------------------------------------------------------------------

    def _documents(self, reader: Any, spill_dir: Path) -> list[Path]:
        """One pass over the stored documents, read one at a time: each document's part-and-kind
        code and length bytes (kept, a few bytes each), its block of d/ (written), the filters'
        data, and its pairs of adjacent words, spilled to sorted run files (returned)."""
        size = reader.doc_count_all()
        self.codes = bytearray(size)
        self.lengths = [bytearray(size) for _ in SEARCH_FIELDS]
        documents = _DocumentWriter(self)
        pairs = _PairSpiller(self.segmenter, spill_dir)
        for docnum, stored in reader.iter_docs():
            self.codes[docnum] = PARTS.index(stored.get("part") or "") * 2 + KINDS.index(stored["kind"])
            for i, name in enumerate(SEARCH_FIELDS):
                self.lengths[i][docnum] = length_to_byte(reader.doc_field_length(docnum, name, 0))
            documents.add(docnum, stored)
            pairs.add(docnum, stored)
        documents.finish()
        return pairs.finish()

    # -- terms -----------------------------------------------------------------------------

    def _merged_postings(self, reader: Any, term: str) -> list[tuple[int, dict[str, float]]]:
        by_doc: dict[int, dict[str, float]] = defaultdict(dict)
        for name in SEARCH_FIELDS:
            if reader.doc_frequency(name, term):
                for docnum, weight in reader.postings(name, term).items_as("weight"):
                    by_doc[docnum][name] = weight
        return sorted(by_doc.items())

    def _encode_block(self, postings: list[tuple[int, dict[str, float]]]) -> bytes:
        out = bytearray()
        previous = -1
        for docnum, weights in postings:
            out += _varint_bytes(docnum - previous - 1)
            previous = docnum
            flags = sum(1 << i for i, name in enumerate(SEARCH_FIELDS) if name in weights)
            out.append(flags | (self.codes[docnum] << len(SEARCH_FIELDS)))
            for i, name in enumerate(SEARCH_FIELDS):
                weight = weights.get(name)
                if weight is not None:
                    if weight != int(weight) or weight < 0:
                        raise ValueError(f"posting weight {weight} is not a whole number")
                    out += _varint_bytes(int(weight))
                    out.append(self.lengths[i][docnum])
        return bytes(out)

    def _write_terms(self, searcher: Any, reader: Any, runs: list[Path], pair_count: int, spill_dir: Path) -> None:
        """Terms (sorted), then pairs (sorted): their postings files are written at once, their
        dictionary entries go to the shard spill and the t/ shards are written at the end."""
        self.avgfl = [searcher.avg_field_length(f) or 1 for f in SEARCH_FIELDS]
        vocabulary = sorted({
            (b.decode("utf-8") if isinstance(b, bytes) else b) for name in SEARCH_FIELDS for b in reader.lexicon(name)
        })
        self.term_shards = max(1, -(-(len(vocabulary) + pair_count) // TERMS_PER_SHARD))
        shards = _ShardSpiller(self.term_shards, spill_dir)
        self.next_id = 0
        for term in vocabulary:
            postings = self._merged_postings(reader, term)
            entry: dict[str, Any] = {
                "df": [searcher.doc_frequency(f, term) for f in SEARCH_FIELDS],
                "idf": [searcher.idf(f, term) if searcher.doc_frequency(f, term) else 0 for f in SEARCH_FIELDS],
            }
            entry = self._store_postings(entry, postings)
            if len(postings) > TOP_POSTINGS:
                entry["top"] = self._store_top(entry, postings)
            if len(postings) > BLOCK_POSTINGS:
                entry["tiers"] = self._store_tiers(entry, postings)
                if len(SEARCH_FIELDS) == 1:
                    entry["s"] = self._store_slim(entry, postings)
            shards.add(term, entry)
        no_weights: dict[str, float] = {}  # shared by every pair posting (read only)
        for key, docnums in _merged_runs(runs):
            pair = key.decode("utf-8")
            shards.add(pair, self._store_postings({}, [(d, no_weights) for d in docnums]))
        for path in runs:
            path.unlink()
        shards.finish(self.emit)

    def _store_postings(self, entry: dict[str, Any], postings: list[tuple[int, dict[str, float]]]) -> dict[str, Any]:
        """Postings inline (base64) when small, else in p/<id>.bin and, past one block, p/<id>-<k>.bin."""
        entry["n"] = len(postings)
        blocks, firsts = [], []
        for start in range(0, len(postings), BLOCK_POSTINGS):
            block = postings[start : start + BLOCK_POSTINGS]
            blocks.append(self._encode_block(block))
            firsts.append(block[0][0])
        data = b"".join(blocks)
        if len(data) <= INLINE_BYTES:
            entry["p"] = _b64(data)
            return entry
        entry["id"] = self.next_id
        self.emit(f"p/{self.next_id}.bin", data)
        if len(blocks) > 1:
            for k, block_data in enumerate(blocks):
                self.emit(f"p/{self.next_id}-{k}.bin", block_data)
            if len(firsts) <= INLINE_STARTS:
                entry["blocks"] = firsts
            else:  # read only by a query that reads some of the blocks (15–53 KB of a heavy query's t/)
                entry["nb"] = len(firsts)
                starts = bytearray()
                for previous, first in zip([-1, *firsts], firsts, strict=False):
                    starts += _varint_bytes(first - previous - 1)
                self.emit(f"p/{self.next_id}-b.bin", bytes(starts))
        self.next_id += 1
        return entry

    def _score(self, entry: dict[str, Any], posting: tuple[int, dict[str, float]]) -> float:
        """The posting's BM25F score for a query of this one term, computed as search.js does."""
        docnum, weights = posting
        total = 0.0
        for i, name in enumerate(SEARCH_FIELDS):
            if name in weights:
                tf = weights[name]
                fl = byte_to_length(self.lengths[i][docnum])
                total += entry["idf"][i] * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * fl) / self.avgfl[i])))
        return total

    def _store_top(self, entry: dict[str, Any], postings: list[tuple[int, dict[str, float]]]) -> int:
        """The term's TOP_POSTINGS best documents for a query of this one term, best first (the
        browser's order: BM25F as search.js computes it, rounded to 1e-9, then document number),
        each posting encoded alone; in p/<id>-top.bin. A one-word query reads only this."""
        ranked = sorted(postings, key=lambda p: (-math.floor(self._score(entry, p) * 1e9 + 0.5), p[0]))[:TOP_POSTINGS]
        self.emit(f"p/{entry['id']}-top.bin", b"".join(self._encode_block([p]) for p in ranked))
        return TOP_POSTINGS

    def _store_tiers(self, entry: dict[str, Any], postings: list[tuple[int, dict[str, float]]]) -> list[list[Any]]:
        """Impact tiers: the postings ranked by the term's score (exact, not rounded; then document
        number), cut at TIER_ENDS; each tier in document order as one block, p/<id>-t<i>.bin.
        Returns [[count, lowest score], …] per tier (the browser recomputes the scores it reads)."""
        scored = sorted(((self._score(entry, p), p) for p in postings), key=lambda sp: (-sp[0], sp[1][0]))
        tiers: list[list[Any]] = []
        start = 0
        for end in TIER_ENDS:
            tier = scored[start:end]
            if not tier:
                break
            self.emit(f"p/{entry['id']}-t{len(tiers)}.bin", self._encode_block(sorted(p for _, p in tier)))
            tiers.append([len(tier), tier[-1][0]])
            start = end
        return tiers

    def _store_slim(self, entry: dict[str, Any], postings: list[tuple[int, dict[str, float]]]) -> int:
        """The whole list without what the document's other postings give (its length byte, part and
        kind), in p/<id>-s.bin (a single field only): per posting varint(docnum gap * SLIM_WEIGHTS +
        min(weight, SLIM_WEIGHTS) - 1), then varint(weight - SLIM_WEIGHTS) when weight >= SLIM_WEIGHTS
        (most weights are small: 16 % smaller gzipped than gap and weight apart). About 3 times smaller
        gzipped than p/<id>.bin; read for a word that is not the one the candidates come from."""
        (name,) = SEARCH_FIELDS
        out = bytearray()
        previous = -1
        for docnum, weights in postings:
            weight = int(weights[name])
            if weight < 1:
                raise ValueError(f"posting weight {weight} is below 1")
            out += _varint_bytes((docnum - previous - 1) * SLIM_WEIGHTS + min(weight, SLIM_WEIGHTS) - 1)
            if weight >= SLIM_WEIGHTS:
                out += _varint_bytes(weight - SLIM_WEIGHTS)
            previous = docnum
        self.emit(f"p/{entry['id']}-s.bin", bytes(out))
        return 1

    def _write_lexicon(self, reader: Any) -> None:
        by_length: dict[tuple[str, int], list[list[Any]]] = defaultdict(list)
        for name in SEARCH_FIELDS:
            for btext in reader.lexicon(name):
                term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                by_length[(name, len(term))].append([term, reader.frequency(name, btext)])
        self.lexicon = sorted({f"{n}-{k}" for n, k in by_length})
        for (name, length), items in by_length.items():
            self.emit(f"lex/{name}-{length}.json", _json(items))

    # -- dictionary and manifest -----------------------------------------------------------

    def _write_segmenter_dictionary(self, reader: Any) -> dict[str, Any]:
        """jieba's dictionary restricted to the index's vocabulary (archive.index.vocabulary)."""
        import tempfile

        vocabulary = {
            (b.decode("utf-8") if isinstance(b, bytes) else b) for name in SEARCH_FIELDS for b in reader.lexicon(name)
        }
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "dict"
            entry = write_dictionary(restricted_tokenizer(self.segmenter.tokenizer, vocabulary), out, DICT_SHARDS)
            for path in out.iterdir():
                self.emit(f"dict/{path.name}", path.read_bytes())
        return entry

    def _write_manifest(self, searcher: Any, dict_entry: dict[str, Any]) -> None:
        self.emit("manifest.json", _json({
            "format": FORMAT,
            "docCount": searcher.doc_count_all(),
            "fields": list(SEARCH_FIELDS),
            "avgfl": self.avgfl,
            "B": B,
            "K1": K1,
            "lengths": [byte_to_length(b) for b in range(256)],
            "termShards": self.term_shards,
            "docBlock": DOC_BLOCK,
            "blockPostings": BLOCK_POSTINGS,
            "slimWeights": SLIM_WEIGHTS,
            "dict": dict_entry,
            "lexicon": self.lexicon,
            "affixes": self.affixes,
            "parts": PARTS,
            "kinds": KINDS,
            "years": sorted({y for y in (r.year for r in self.reports.values()) if y}, reverse=True),
            "rules": {
                "optionalEdgesFrom": query_language.OPTIONAL_EDGES_FROM,
                "rerankDepth": query_language.RERANK_DEPTH,
                "commonShare": query_language.COMMON_SHARE,
                "commonMin": query_language.COMMON_MIN,
                "phraseCheckLimit": getattr(query_language, "PHRASE_CHECK_LIMIT", 1000),
                "maxCutWord": query_language.MAX_CUT_WORD,
                "longQuery": query_language.LONG_QUERY,
                "trailing": query_language.TRAILING_PUNCTUATION,
            },
        }))


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _DocumentWriter:
    """d/<n>.json, a block as soon as its last document is read, and the filters' data."""

    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter
        self.report_numbers: dict[str, int] = {}
        self.anchors: dict[str, dict[str, str]] = {}
        self.block_number = -1
        self.block: dict[str, Any] = {"r": {}, "d": []}
        self.agencies: dict[tuple[str, str, str, str], int] = {}
        self.report_filters: dict[int, list[int]] = {}
        self.runs: list[int] = []  # flat: start gap, length, report number, …
        self.last_end, self.run_start = 0, 0
        self.current: tuple[int, int] | None = None

    def add(self, docnum: int, stored: dict[str, Any]) -> None:
        rid = stored["report_id"]
        number = self.report_numbers.setdefault(rid, len(self.report_numbers))
        if docnum // DOC_BLOCK != self.block_number:
            self._flush_block()
            self.block_number = docnum // DOC_BLOCK
        report = self.exporter.reports.get(rid)
        anchors = self.anchors.get(rid)
        if anchors is None:
            if len(self.anchors) >= 64:
                self.anchors.clear()
            anchors = self.anchors[rid] = _anchor_map(report) if report else {}
        if str(number) not in self.block["r"]:
            path = self.exporter.report_paths.get(rid) or (f"reports/{report_slug(report)}.html" if report else "")
            self.block["r"][str(number)] = [
                rid, stored.get("agency", ""), stored.get("year"),
                stored.get("province", ""), stored.get("city", ""), stored.get("county", ""), path,
            ]
        self.block["d"].append([
            docnum, number, stored["id"], stored["kind"], stored.get("part", ""),
            stored.get("title", ""), stored.get("text", ""), _page_anchor(stored, anchors),
            stored.get("label") or "", stored.get("values") or "",
        ])
        self._add_to_filters(docnum, number, stored)

    def _flush_block(self) -> None:
        if self.block["d"]:
            self.exporter.emit(f"d/{self.block_number}.json", _json(self.block))
        self.block = {"r": {}, "d": []}

    def _add_to_filters(self, docnum: int, number: int, stored: dict[str, Any]) -> None:
        """Runs of consecutive document numbers of one report, and each report's year and agency."""
        key = (stored.get("agency", ""), stored.get("province", ""), stored.get("city", ""), stored.get("county", ""))
        self.report_filters[number] = [self.agencies.setdefault(key, len(self.agencies)), stored.get("year") or 0]
        current = self.current
        if current is not None and (number != current[0] or docnum != current[1] + 1):
            self.runs += [self.run_start - self.last_end, current[1] + 1 - self.run_start, current[0]]
            self.last_end = current[1] + 1
            current = None
        if current is None:
            self.run_start = docnum
        self.current = (number, docnum)

    def finish(self) -> None:
        self._flush_block()
        if self.current is not None:
            self.runs += [self.run_start - self.last_end, self.current[1] + 1 - self.run_start, self.current[0]]
        reports = [self.report_filters.get(n, [0, 0]) for n in range(len(self.report_numbers))]
        emit = self.exporter.emit
        emit("filters/reports.json", _json({"runs": self.runs, "reports": [x for pair in reports for x in pair]}))
        emit("filters/agencies.json", _json([list(k) for k in sorted(self.agencies, key=self.agencies.__getitem__)]))


def _anchor_map(report: Report) -> dict[str, str]:
    """The documents' anchor (archive.index.documents) → the anchor of the report page."""
    page = section_anchors(report)
    out: dict[str, str] = {}
    for index, (_, section) in enumerate(report.all_sections()):
        out.setdefault(section.anchor or f"s{index}", page[id(section)])
    return out


def _page_anchor(stored: dict[str, Any], anchors: dict[str, str]) -> str:
    """Where the document is on its report page: the section, or the table row's first cell."""
    if stored["kind"] == "table_row" and stored.get("table") and stored.get("row"):
        columns = schema.column_keys(stored["table"], stored["row"])
        if columns:
            return cell_id(stored["table"], stored["row"], columns[0])
        return table_id(stored["table"])
    anchor = stored.get("anchor") or ""
    return anchors.get(anchor, anchor)


class _PairSpiller:
    """Each pair of adjacent words ("a b", rules 5 and 7) → its documents, gathered for a chunk of
    documents at a time and written as a run file sorted by the pair's UTF-8 bytes (the order of
    ``sorted`` on the strings); ``_merged_runs`` merges the runs."""

    def __init__(self, segmenter: Any, spill_dir: Path) -> None:
        self.segmenter = segmenter
        self.spill_dir = spill_dir
        self.memo: dict[str, frozenset[str]] = {}
        self.chunk: dict[str, array] = {}
        self.postings = 0
        self.runs: list[Path] = []

    def add(self, docnum: int, stored: dict[str, Any]) -> None:
        found: set[str] = set()
        for name in SEARCH_FIELDS:
            value = field_text(name, stored)
            got = self.memo.get(value)
            if got is None:
                got = query_language.adjacent_pairs(value, self.segmenter)
                if len(value) <= 400 and len(self.memo) < MEMO_TEXTS:
                    self.memo[value] = got
            found |= got
        chunk = self.chunk
        for pair in found:
            docs_of = chunk.get(pair)
            if docs_of is None:
                docs_of = chunk[pair] = array("i")
            docs_of.append(docnum)
        self.postings += len(found)
        if len(chunk) >= CHUNK_PAIRS or self.postings >= CHUNK_POSTINGS:
            self._spill()

    def _spill(self) -> None:
        path = self.spill_dir / f"pairs-{len(self.runs)}.run"
        with open(path, "wb", buffering=1 << 20) as handle:
            for key, docs in sorted((pair.encode("utf-8"), docs) for pair, docs in self.chunk.items()):
                _write_record(handle, key, docs)
        self.runs.append(path)
        self.chunk = {}
        self.postings = 0

    def finish(self) -> list[Path]:
        if self.chunk or not self.runs:
            self._spill()
        self.memo = {}
        runs = self.runs
        while len(runs) > MERGE_FAN_IN:
            merged = []
            for start in range(0, len(runs), MERGE_FAN_IN):
                group = runs[start : start + MERGE_FAN_IN]
                path = self.spill_dir / f"pairs-{len(self.runs)}.run"
                self.runs.append(path)
                with open(path, "wb", buffering=1 << 20) as handle:
                    for key, docs in _merged_runs(group):
                        _write_record(handle, key, docs)
                for used in group:
                    used.unlink()
                merged.append(path)
            runs = merged
        return runs


_RUN_HEAD = struct.Struct("<II")


def _write_record(handle: BinaryIO, key: bytes, docs: array) -> None:
    handle.write(_RUN_HEAD.pack(len(key), len(docs)))
    handle.write(key)
    handle.write(docs.tobytes())


def _read_run(path: Path) -> Iterator[tuple[bytes, array]]:
    with open(path, "rb", buffering=1 << 18) as handle:
        while head := handle.read(_RUN_HEAD.size):
            length, count = _RUN_HEAD.unpack(head)
            key = handle.read(length)
            docs = array("i")
            docs.frombytes(handle.read(4 * count))
            yield key, docs


def _merged_runs(runs: list[Path]) -> Iterator[tuple[bytes, array]]:
    """Each pair once, in sorted order, with its documents in order (the runs follow the documents)."""
    key: bytes | None = None
    docs = array("i")
    for next_key, next_docs in heapq.merge(*(_read_run(p) for p in runs), key=itemgetter(0)):
        if next_key != key:
            if key is not None:
                yield key, docs
            key, docs = next_key, array("i")
        docs.extend(next_docs)
    if key is not None:
        yield key, docs


class _ShardSpiller:
    """The term dictionary's entries, appended as they come to one of a few group files (a range
    of shards each), then written shard by shard (t/<n>.json) one group at a time."""

    def __init__(self, shards: int, spill_dir: Path) -> None:
        self.shards = shards
        self.groups = max(1, -(-shards // SHARDS_PER_GROUP))
        self.paths = [spill_dir / f"terms-{g}.spill" for g in range(self.groups)]
        self.handles = [open(p, "wb", buffering=1 << 16) for p in self.paths]  # noqa: SIM115

    def add(self, term: str, entry: dict[str, Any]) -> None:
        shard = fnv1a(term) % self.shards
        item = _json(term) + b":" + _json(entry)
        handle = self.handles[shard // SHARDS_PER_GROUP]
        handle.write(_RUN_HEAD.pack(shard, len(item)))
        handle.write(item)

    def finish(self, emit: Callable[[str, bytes], None]) -> None:
        for handle in self.handles:
            handle.close()
        for group, path in enumerate(self.paths):
            items: dict[int, list[bytes]] = defaultdict(list)
            with open(path, "rb", buffering=1 << 20) as handle:
                while head := handle.read(_RUN_HEAD.size):
                    shard, length = _RUN_HEAD.unpack(head)
                    items[shard].append(handle.read(length))
            first = group * SHARDS_PER_GROUP
            for shard in range(first, min(first + SHARDS_PER_GROUP, self.shards)):
                emit(f"t/{shard}.json", b"{" + b",".join(items.get(shard, ())) + b"}")
            del items
            path.unlink()


class ExportedFiles(Mapping[str, bytes]):
    """The export's files, written to a temporary folder and read back one at a time; the folder
    goes when the mapping does (or on ``close``)."""

    def __init__(self, folder: Path, paths: list[str], prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self.paths = {prefix + p: p for p in paths}
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, True)

    def __getitem__(self, path: str) -> bytes:
        return (self.folder / self.paths[path]).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def close(self) -> None:
        self._cleanup()


def stream_export(index_dir: Path, emit: Callable[[str, bytes], None], reports: list[Report] | None = None,
                  report_paths: dict[str, str] | None = None) -> None:
    """Hand each file of the export to ``emit(path, data)`` as soon as it is made."""
    with tempfile.TemporaryDirectory(prefix="search-export-") as spill:
        Exporter(index_dir, reports, report_paths).run(emit, Path(spill))


def export_files(index_dir: Path, reports: list[Report] | None = None,
                 report_paths: dict[str, str] | None = None, prefix: str = "search/") -> ExportedFiles:
    """The search files of the index in ``index_dir`` as a mapping {site path: bytes}, kept on disk."""
    folder = Path(tempfile.mkdtemp(prefix="search-files-"))
    paths: list[str] = []

    def keep(path: str, data: bytes) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        paths.append(path)

    try:
        stream_export(index_dir, keep, reports, report_paths)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ExportedFiles(folder, paths, prefix)


def write_export(index_dir: Path, out_dir: Path, reports: list[Report] | None = None) -> dict[str, int]:
    """Write the export into ``out_dir`` (a site's ``search/`` folder); sizes raw and gzipped."""
    sizes = {"files": 0, "bytes": 0, "gzip_bytes": 0}

    def write(path: str, data: bytes) -> None:
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        sizes["files"] += 1
        sizes["bytes"] += len(data)
        sizes["gzip_bytes"] += len(gzip.compress(data, 6))

    stream_export(index_dir, write, reports)
    return sizes
