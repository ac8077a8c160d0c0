"""One unit of the export (``units.Unit``): its documents, filters, posting lists and term dictionary.

Files, under ``u<key>/``: ``p-<n>.pack`` (posting lists), ``t-<n>.pack`` (term dictionary shards),
``d-<n>.pack`` (document chunks), ``meta.pack`` (the dictionary primer, the document primer, the
filters). Document numbers in them are the unit's own (from 0); the manifest gives the unit's first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from whoosh.util.numeric import byte_to_length

from archive.index.postings import length_bytes, raw_postings
from archive.index.schema import SEARCH_FIELD
from archive.model import Report
from site_builder.search.codec import PackWriter, PrimedStream
from site_builder.search.documents import CHUNKS_PER_PACK, DOC_CHUNK, DocumentWriter
from site_builder.search.filters import FilterWriter
from site_builder.search.pairs import PairCollector
from site_builder.search.postings import Lists, ListWriter
from site_builder.search.terms import TermDictionary
from site_builder.search.units import Unit

PACK_BYTES = 256 * 1024  # a pack file's size (a server that ignores Range sends it whole)
PARTS = ["", "一", "二", "三", "四", "五", "六"]
KINDS = ["section", "table_row"]
LENGTHS = np.array([float(byte_to_length(b)) for b in range(256)])


def export_unit(unit: Unit, segmenter: Any, reports: dict[str, Report], report_paths: dict[str, str],
                avgfl: float, spill_dir: Path) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """The unit's manifest entry and files."""
    size = unit.count
    codes = np.zeros(size, dtype=np.uint8)
    documents = DocumentWriter(reports, report_paths, spill_dir / f"{unit.key}-docs.spill", size)
    filters = FilterWriter()
    pairs = PairCollector(segmenter, spill_dir, unit.key)
    base = 0
    for segment in unit.segments:
        perdoc = segment.reader._perdoc
        for local in range(segment.count):
            stored = perdoc.stored_fields(local) or {}
            doc = base + local
            codes[doc] = PARTS.index(stored.get("part") or "") * 2 + KINDS.index(stored.get("kind") or "section")
            documents.add(doc, stored)
            filters.add(doc, documents.report_number(stored["report_id"]), stored)
            pairs.add(doc, stored)
        base += segment.count
    lengths = np.concatenate([length_bytes(s.reader, SEARCH_FIELD) for s in unit.segments])

    packs = PackWriter(f"{unit.folder}p-", PACK_BYTES)
    lists = ListWriter(packs, avgfl, LENGTHS)
    entries: list[tuple[str, dict[str, Any]]] = []
    for word in _vocabulary(unit):
        btext = word.encode("utf-8")
        parts, df, offset = [], 0, 0
        weights_parts = []
        for segment in unit.segments:
            ids, weights = raw_postings(segment.reader, SEARCH_FIELD, btext)
            parts.append(ids + offset)
            weights_parts.append(weights)
            df += segment.reader.doc_frequency(SEARCH_FIELD, btext)
            offset += segment.count
        docs = np.concatenate(parts)
        weights = np.concatenate(weights_parts)
        if len(weights) and (np.any(weights != np.round(weights)) or np.any(weights < 1)):
            raise ValueError(f"posting weights of {word!r} are not whole numbers")
        entries.append((word, lists.word(Lists(docs, weights.astype(np.int64), codes[docs], lengths[docs]), df)))
    for pair, docs in pairs.finish():
        entries.append((pair, lists.pair(docs)))

    dictionary = TermDictionary(len(entries))
    for term, entry in entries:
        dictionary.add(term, entry)
    del entries
    term_primer, shards = dictionary.finish(f"{unit.folder}t-", PACK_BYTES)
    doc_primer, doc_packs = documents.finish(f"{unit.folder}d-")
    filter_blob = filters.finish(len(documents.report_numbers))

    meta = bytearray()
    located = {}
    for name, blob in (("termPrimer", PrimedStream(term_primer).head), ("docPrimer", PrimedStream(doc_primer).head),
                       ("filters", filter_blob)):
        located[name] = [len(meta), len(blob)]
        meta += blob
    entry = {
        "key": unit.key,
        "dir": unit.folder,
        "segments": [s.name for s in unit.segments],
        "first": unit.first,
        "count": size,
        "terms": shards.directory(),
        "termPrimer": [*located["termPrimer"], len(term_primer)],
        "docPrimer": [*located["docPrimer"], len(doc_primer)],
        "filters": located["filters"],
        "docChunk": DOC_CHUNK,
        "chunksPerPack": CHUNKS_PER_PACK,
    }
    return entry, [*packs.paths(), *shards.paths(), *doc_packs, (f"{unit.folder}meta.pack", bytes(meta))]


def _vocabulary(unit: Unit) -> list[str]:
    words: set[str] = set()
    for segment in unit.segments:
        for btext in segment.reader.lexicon(SEARCH_FIELD):
            words.add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
    return sorted(words)
