"""Export the Whoosh index into static files that the browser search (search.js) reads.

The layout under ``search/`` (format described in docs/search.md)::

    manifest.json        collection statistics, constants of the query rules, shard counts
    dict/<n>.txt         jieba's dictionary with the index's user words, sharded by first character
    t/<n>.json           term dictionary, sharded by FNV-1a hash of the term: per field df and idf,
                         the number of documents, postings (inline or in files); the same for
                         each pair "a b" of adjacent words (phrases)
    p/<id>.bin           the postings of a large term; p/<id>-<k>.bin the same cut in blocks
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
import json
import math
from array import array
from collections import defaultdict
from pathlib import Path
from typing import Any

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
    """Reads one index generation and produces the files of ``search/`` as {path: bytes}."""

    def __init__(self, index_dir: Path, reports: list[Report] | None = None,
                 report_paths: dict[str, str] | None = None) -> None:
        generation = store.current_generation(Path(index_dir))
        if generation is None:
            raise FileNotFoundError(f"{index_dir} 中还没有索引")
        self.generation = generation
        self.manifest = store.read_manifest(generation)
        self.segmenter = use_dictionary(self.manifest["words"], Path(index_dir))
        self.index = whoosh_index.open_dir(str(generation / store.WHOOSH_DIR), readonly=True)
        self.reports = {r.id: r for r in (reports if reports is not None else store.read_reports(Path(index_dir)))}
        self.report_paths = report_paths or {}
        self.files: dict[str, bytes] = {}

    def run(self) -> dict[str, bytes]:
        searcher = self.index.searcher(weighting=BM25F())
        try:
            reader = searcher.reader()
            docs = self._documents(reader)
            pairs = self._pairs(docs)
            self._write_terms(searcher, reader, docs, pairs)
            del pairs
            self._write_documents(docs)
            self._write_filters(docs)
            self._write_lexicon(reader)
            self._write_manifest(searcher, self._write_segmenter_dictionary(reader))
        finally:
            searcher.close()
            self.index.close()
        return self.files

    # -- documents -------------------------------------------------------------------------

    def _documents(self, reader: Any) -> dict[int, dict[str, Any]]:
        docs: dict[int, dict[str, Any]] = {}
        for docnum, stored in reader.iter_docs():
            stored = dict(stored)
            stored["code"] = PARTS.index(stored.get("part") or "") * 2 + KINDS.index(stored["kind"])
            stored["lengths"] = [length_to_byte(reader.doc_field_length(docnum, f, 0)) for f in SEARCH_FIELDS]
            docs[docnum] = stored
        return docs

    def _pairs(self, docs: dict[int, dict[str, Any]]) -> dict[str, array]:
        """Each pair of adjacent words ("a b") → the documents it occurs in (rules 5 and 7)."""
        pairs: dict[str, array] = {}
        memo: dict[str, frozenset[str]] = {}
        for docnum in sorted(docs):
            stored = docs[docnum]
            found: set[str] = set()
            for name in SEARCH_FIELDS:
                value = field_text(name, stored)
                got = memo.get(value)
                if got is None:
                    got = query_language.adjacent_pairs(value, self.segmenter)
                    if len(value) <= 400 and len(memo) < 200_000:
                        memo[value] = got
                found |= got
            for pair in found:
                docs_of = pairs.get(pair)
                if docs_of is None:
                    docs_of = pairs[pair] = array("i")
                docs_of.append(docnum)
        return pairs

    # -- terms -----------------------------------------------------------------------------

    def _merged_postings(self, reader: Any, term: str) -> list[tuple[int, dict[str, float]]]:
        by_doc: dict[int, dict[str, float]] = defaultdict(dict)
        for name in SEARCH_FIELDS:
            if reader.doc_frequency(name, term):
                for docnum, weight in reader.postings(name, term).items_as("weight"):
                    by_doc[docnum][name] = weight
        return sorted(by_doc.items())

    def _encode_block(self, postings: list[tuple[int, dict[str, float]]], docs: dict[int, dict[str, Any]]) -> bytes:
        out = bytearray()
        previous = -1
        for docnum, weights in postings:
            out += _varint_bytes(docnum - previous - 1)
            previous = docnum
            stored = docs[docnum]
            flags = sum(1 << i for i, name in enumerate(SEARCH_FIELDS) if name in weights)
            out.append(flags | (stored["code"] << len(SEARCH_FIELDS)))
            for i, name in enumerate(SEARCH_FIELDS):
                weight = weights.get(name)
                if weight is not None:
                    if weight != int(weight) or weight < 0:
                        raise ValueError(f"posting weight {weight} is not a whole number")
                    out += _varint_bytes(int(weight))
                    out.append(stored["lengths"][i])
        return bytes(out)

    def _write_terms(self, searcher: Any, reader: Any, docs: dict[int, dict[str, Any]],
                     pairs: dict[str, array]) -> None:
        self.avgfl = [searcher.avg_field_length(f) or 1 for f in SEARCH_FIELDS]
        vocabulary = sorted({
            (b.decode("utf-8") if isinstance(b, bytes) else b) for name in SEARCH_FIELDS for b in reader.lexicon(name)
        })
        self.term_shards = max(1, -(-(len(vocabulary) + len(pairs)) // TERMS_PER_SHARD))
        shards: dict[int, dict[str, Any]] = defaultdict(dict)
        self.next_id = 0
        for term in vocabulary:
            postings = self._merged_postings(reader, term)
            entry: dict[str, Any] = {
                "df": [searcher.doc_frequency(f, term) for f in SEARCH_FIELDS],
                "idf": [searcher.idf(f, term) if searcher.doc_frequency(f, term) else 0 for f in SEARCH_FIELDS],
            }
            entry = self._store_postings(entry, postings, docs)
            if len(postings) > TOP_POSTINGS:
                entry["top"] = self._store_top(entry, postings, docs)
            shards[fnv1a(term) % self.term_shards][term] = entry
        for pair in sorted(pairs):
            postings = [(d, {}) for d in pairs[pair]]
            shards[fnv1a(pair) % self.term_shards][pair] = self._store_postings({}, postings, docs)
        for number in range(self.term_shards):
            self.files[f"t/{number}.json"] = _json(shards.get(number, {}))

    def _store_postings(self, entry: dict[str, Any], postings: list[tuple[int, dict[str, float]]],
                        docs: dict[int, dict[str, Any]]) -> dict[str, Any]:
        """Postings inline (base64) when small, else in p/<id>.bin and, past one block, p/<id>-<k>.bin."""
        entry["n"] = len(postings)
        blocks, firsts = [], []
        for start in range(0, len(postings), BLOCK_POSTINGS):
            block = postings[start : start + BLOCK_POSTINGS]
            blocks.append(self._encode_block(block, docs))
            firsts.append(block[0][0])
        data = b"".join(blocks)
        if len(data) <= INLINE_BYTES:
            entry["p"] = _b64(data)
            return entry
        entry["id"] = self.next_id
        self.files[f"p/{self.next_id}.bin"] = data
        if len(blocks) > 1:
            for k, block_data in enumerate(blocks):
                self.files[f"p/{self.next_id}-{k}.bin"] = block_data
            entry["blocks"] = firsts
        self.next_id += 1
        return entry

    def _store_top(self, entry: dict[str, Any], postings: list[tuple[int, dict[str, float]]],
                   docs: dict[int, dict[str, Any]]) -> int:
        """The term's TOP_POSTINGS best documents for a query of this one term, best first (the
        browser's order: BM25F as search.js computes it, rounded to 1e-9, then document number),
        each posting encoded alone; in p/<id>-top.bin. A one-word query reads only this."""
        def score(posting: tuple[int, dict[str, float]]) -> float:
            docnum, weights = posting
            total = 0.0
            for i, name in enumerate(SEARCH_FIELDS):
                if name in weights:
                    tf = weights[name]
                    fl = byte_to_length(docs[docnum]["lengths"][i])
                    total += entry["idf"][i] * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * fl) / self.avgfl[i])))
            return total

        ranked = sorted(postings, key=lambda p: (-math.floor(score(p) * 1e9 + 0.5), p[0]))[:TOP_POSTINGS]
        self.files[f"p/{entry['id']}-top.bin"] = b"".join(self._encode_block([p], docs) for p in ranked)
        return TOP_POSTINGS

    def _write_lexicon(self, reader: Any) -> None:
        by_length: dict[tuple[str, int], list[list[Any]]] = defaultdict(list)
        for name in SEARCH_FIELDS:
            for btext in reader.lexicon(name):
                term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                by_length[(name, len(term))].append([term, reader.frequency(name, btext)])
        self.lexicon = sorted({f"{n}-{k}" for n, k in by_length})
        for (name, length), items in by_length.items():
            self.files[f"lex/{name}-{length}.json"] = _json(items)

    # -- documents and filters -------------------------------------------------------------

    def _anchor_map(self, report: Report) -> dict[str, str]:
        """The documents' anchor (archive.index.documents) → the anchor of the report page."""
        page = section_anchors(report)
        out: dict[str, str] = {}
        for index, (_, section) in enumerate(report.all_sections()):
            out.setdefault(section.anchor or f"s{index}", page[id(section)])
        return out

    @staticmethod
    def _page_anchor(stored: dict[str, Any], anchors: dict[str, str]) -> str:
        """Where the document is on its report page: the section, or the table row's first cell."""
        if stored["kind"] == "table_row" and stored.get("table") and stored.get("row"):
            columns = schema.column_keys(stored["table"], stored["row"])
            if columns:
                return cell_id(stored["table"], stored["row"], columns[0])
            return table_id(stored["table"])
        anchor = stored.get("anchor") or ""
        return anchors.get(anchor, anchor)

    def _write_documents(self, docs: dict[int, dict[str, Any]]) -> None:
        self.report_numbers: dict[str, int] = {}
        anchors: dict[str, dict[str, str]] = {}
        blocks: dict[int, dict[str, Any]] = defaultdict(lambda: {"r": {}, "d": []})
        for docnum in sorted(docs):
            stored = docs[docnum]
            rid = stored["report_id"]
            number = self.report_numbers.setdefault(rid, len(self.report_numbers))
            report = self.reports.get(rid)
            if rid not in anchors:
                anchors[rid] = self._anchor_map(report) if report else {}
            block = blocks[docnum // DOC_BLOCK]
            if str(number) not in block["r"]:
                path = self.report_paths.get(rid) or (f"reports/{report_slug(report)}.html" if report else "")
                block["r"][str(number)] = [
                    rid, stored.get("agency", ""), stored.get("year"),
                    stored.get("province", ""), stored.get("city", ""), stored.get("county", ""), path,
                ]
            anchor = self._page_anchor(stored, anchors[rid])
            block["d"].append([
                docnum, number, stored["id"], stored["kind"], stored.get("part", ""),
                stored.get("title", ""), stored.get("text", ""), anchor,
                stored.get("label") or "", stored.get("values") or "",
            ])
        for number, block in blocks.items():
            self.files[f"d/{number}.json"] = _json(block)

    def _write_filters(self, docs: dict[int, dict[str, Any]]) -> None:
        """Runs of consecutive document numbers of one report, and each report's year and agency."""
        agencies: dict[tuple[str, str, str, str], int] = {}
        reports: list[list[int]] = [[0, 0] for _ in self.report_numbers]
        runs: list[int] = []  # flat: start gap, length, report number, …
        last_end, current, run_start = 0, None, 0
        for docnum in sorted(docs):
            stored = docs[docnum]
            number = self.report_numbers[stored["report_id"]]
            key = (stored.get("agency", ""), stored.get("province", ""), stored.get("city", ""), stored.get("county", ""))
            reports[number] = [agencies.setdefault(key, len(agencies)), stored.get("year") or 0]
            if current is not None and (number != current[0] or docnum != current[1] + 1):
                runs += [run_start - last_end, current[1] + 1 - run_start, current[0]]
                last_end = current[1] + 1
                current = None
            if current is None:
                run_start = docnum
            current = (number, docnum)
        if current is not None:
            runs += [run_start - last_end, current[1] + 1 - run_start, current[0]]
        self.files["filters/reports.json"] = _json({"runs": runs, "reports": [x for pair in reports for x in pair]})
        self.files["filters/agencies.json"] = _json([list(k) for k in sorted(agencies, key=agencies.__getitem__)])

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
                self.files[f"dict/{path.name}"] = path.read_bytes()
        return entry

    def _write_manifest(self, searcher: Any, dict_entry: dict[str, Any]) -> None:
        self.files["manifest.json"] = _json({
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
            "dict": dict_entry,
            "lexicon": self.lexicon,
            "parts": PARTS,
            "kinds": KINDS,
            "years": sorted({y for y in (r.year for r in self.reports.values()) if y}, reverse=True),
            "rules": {
                "optionalEdgesFrom": query_language.OPTIONAL_EDGES_FROM,
                "rerankDepth": query_language.RERANK_DEPTH,
                "phraseCheckLimit": getattr(query_language, "PHRASE_CHECK_LIMIT", 1000),
                "maxCutWord": query_language.MAX_CUT_WORD,
                "longQuery": query_language.LONG_QUERY,
                "trailing": query_language.TRAILING_PUNCTUATION,
            },
        })


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def export_files(index_dir: Path, reports: list[Report] | None = None,
                 report_paths: dict[str, str] | None = None, prefix: str = "search/") -> dict[str, bytes]:
    """The search files of the index in ``index_dir`` as {site path: bytes}."""
    files = Exporter(index_dir, reports, report_paths).run()
    return {prefix + path: data for path, data in files.items()}


def write_export(index_dir: Path, out_dir: Path, reports: list[Report] | None = None) -> dict[str, int]:
    """Write the export into ``out_dir`` (a site's ``search/`` folder); sizes raw and gzipped."""
    files = Exporter(index_dir, reports).run()
    raw = gz = 0
    for path, data in files.items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        raw += len(data)
        gz += len(gzip.compress(data, 6))
    return {"files": len(files), "bytes": raw, "gzip_bytes": gz}
