"""Export the Whoosh index into static files that the browser search (search.js) reads.

The layout under ``search/`` (format described in docs/search.md)::

    manifest.json        collection statistics, constants of the query rules, shard counts
    dict/<n>.txt         jieba's dictionary with the index's user words, sharded by first character
    t/<n>.json           term dictionary, sharded by FNV-1a hash of the term: per field df and idf,
                         the number of documents, postings and positions (inline or in files)
    p/<id>.bin           the postings of a large term; p/<id>-<k>.bin the same cut in blocks
    q/<id>.bin           the positions of a large term; q/<id>-<k>.bin the same cut in blocks
    d/<n>.json           DOC_BLOCK documents: metadata, title and full text (for snippets)
    filters.json         report runs of document numbers, years, agencies and regions (filters)
    lex/<field>-<len>.json  the field's terms of one length with their frequency (did you mean)

Everything the score needs comes from the Whoosh reader itself: document numbers, the weights
of the postings, the quantized field lengths, ``doc_count_all`` and the average field lengths of
the searcher, and the idf that ``BM25F`` computes. Positions are the analyzer's (the index stores
none: ``phrase=False``), obtained by analysing the stored title and text again with the same
analyzer in index mode.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length, length_to_byte

from archive.index import query as query_language
from archive.index import store
from archive.index.analysis import use_dictionary
from archive.index.schema import SEARCH_FIELDS
from archive.model import Report
from site_builder.search.segdict import write_dictionary
from site_builder.site import section_anchors
from site_builder.urls import report_slug

FORMAT = 1
DOC_BLOCK = 8
BLOCK_POSTINGS = 128
INLINE_BYTES = 384
TERMS_PER_SHARD = 64
DICT_SHARDS = 1024
PARTS = ["", "一", "二", "三", "四", "五", "六"]
KINDS = ["section", "table_row"]
FIELD_BITS = {"title": 1, "text": 2}


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


@dataclass
class Posting:
    docnum: int
    code: int  # part * 2 + kind
    weights: dict[str, float] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)  # length byte of the field
    positions: dict[str, list[int]] = field(default_factory=dict)


def _encode_posting(out: bytearray, previous: int, p: Posting) -> None:
    varint(out, p.docnum - previous - 1)
    flags = sum(bit for name, bit in FIELD_BITS.items() if name in p.weights)
    out.append(flags | (p.code << 2))
    for name in SEARCH_FIELDS:
        if name in p.weights:
            weight = p.weights[name]
            if weight != int(weight) or weight < 0:
                raise ValueError(f"posting weight {weight} is not a whole number")
            varint(out, int(weight))
            out.append(p.lengths[name])


def _encode_positions(out: bytearray, p: Posting) -> None:
    for name in SEARCH_FIELDS:
        if name in p.weights:
            positions = p.positions.get(name, [])
            varint(out, len(positions))
            last = 0
            for pos in positions:
                varint(out, pos - last)  # positions repeat where sub-words share one
                last = pos


def _blocks(postings: list[Posting]) -> Iterator[list[Posting]]:
    for start in range(0, len(postings), BLOCK_POSTINGS):
        yield postings[start : start + BLOCK_POSTINGS]


def _encode_list(postings: list[Posting]) -> tuple[bytes, bytes]:
    pbuf, qbuf = bytearray(), bytearray()
    previous = -1
    for p in postings:
        _encode_posting(pbuf, previous, p)
        _encode_positions(qbuf, p)
        previous = p.docnum
    return bytes(pbuf), bytes(qbuf)


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
            postings = self._postings(reader, docs)
            self._add_positions(postings, docs)
            self._write_terms(searcher, postings)
            self._write_documents(docs)
            self._write_filters(docs)
            self._write_lexicon(reader)
            self._write_manifest(searcher, self._write_segmenter_dictionary())
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
            stored["lengths"] = {f: length_to_byte(reader.doc_field_length(docnum, f, 0)) for f in SEARCH_FIELDS}
            docs[docnum] = stored
        return docs

    def _postings(self, reader: Any, docs: dict[int, dict[str, Any]]) -> dict[str, dict[int, Posting]]:
        terms: dict[str, dict[int, Posting]] = defaultdict(dict)
        for name in SEARCH_FIELDS:
            for btext in reader.lexicon(name):
                term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                plist = terms[term]
                for docnum, weight in reader.postings(name, btext).items_as("weight"):
                    posting = plist.get(docnum)
                    if posting is None:
                        posting = plist[docnum] = Posting(docnum, docs[docnum]["code"])
                    posting.weights[name] = weight
                    posting.lengths[name] = docs[docnum]["lengths"][name]
        return terms

    def _add_positions(self, terms: dict[str, dict[int, Posting]], docs: dict[int, dict[str, Any]]) -> None:
        for docnum, stored in docs.items():
            for name in SEARCH_FIELDS:
                pos = -1
                for word, start, _end in self.segmenter.index_tokens(stored.get(name) or ""):
                    if start >= 0:
                        pos += 1
                    posting = terms.get(word, {}).get(docnum)
                    if posting is not None and name in posting.weights:
                        posting.positions.setdefault(name, []).append(pos)

    # -- terms -----------------------------------------------------------------------------

    def _write_terms(self, searcher: Any, terms: dict[str, dict[int, Posting]]) -> None:
        self.term_shards = max(1, -(-len(terms) // TERMS_PER_SHARD))
        shards: dict[int, dict[str, Any]] = defaultdict(dict)
        next_id = 0
        for term in sorted(terms):
            postings = [terms[term][d] for d in sorted(terms[term])]
            entry: dict[str, Any] = {
                "df": [searcher.doc_frequency(f, term) for f in SEARCH_FIELDS],
                "idf": [searcher.idf(f, term) if searcher.doc_frequency(f, term) else 0 for f in SEARCH_FIELDS],
                "n": len(postings),
            }
            pdata, qdata = _encode_list(postings)
            if len(pdata) + len(qdata) <= INLINE_BYTES:
                entry["p"], entry["q"] = _b64(pdata), _b64(qdata)
            else:
                entry["id"] = next_id
                self.files[f"p/{next_id}.bin"] = pdata
                self.files[f"q/{next_id}.bin"] = qdata
                if len(postings) > BLOCK_POSTINGS:
                    firsts = []
                    for k, block in enumerate(_blocks(postings)):
                        bp, bq = _encode_list(block)
                        self.files[f"p/{next_id}-{k}.bin"] = bp
                        self.files[f"q/{next_id}-{k}.bin"] = bq
                        firsts.append(block[0].docnum)
                    entry["blocks"] = firsts
                next_id += 1
            shards[fnv1a(term) % self.term_shards][term] = entry
        for number in range(self.term_shards):
            self.files[f"t/{number}.json"] = _json(shards.get(number, {}))

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
            anchor = stored.get("anchor") or ""
            block["d"].append([
                docnum, number, stored["id"], stored["kind"], stored.get("part", ""),
                stored.get("title", ""), stored.get("text", ""), anchors[rid].get(anchor, anchor),
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
        self.files["filters.json"] = _json({
            "runs": runs,
            "reports": [x for pair in reports for x in pair],
            "agencies": [list(k) for k in sorted(agencies, key=agencies.__getitem__)],
        })

    # -- dictionary and manifest -----------------------------------------------------------

    def _write_segmenter_dictionary(self) -> dict[str, Any]:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "dict"
            entry = write_dictionary(self.segmenter.tokenizer, out, DICT_SHARDS)
            for path in out.iterdir():
                self.files[f"dict/{path.name}"] = path.read_bytes()
        return entry

    def _write_manifest(self, searcher: Any, dict_entry: dict[str, Any]) -> None:
        self.files["manifest.json"] = _json({
            "format": FORMAT,
            "docCount": searcher.doc_count_all(),
            "fields": list(SEARCH_FIELDS),
            "avgfl": [searcher.avg_field_length(f) or 1 for f in SEARCH_FIELDS],
            "B": 0.75,
            "K1": 1.2,
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
