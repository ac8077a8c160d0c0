"""One unit of the export (``units.Unit``): its documents, filters, posting lists and term dictionary.

Files, under ``u<key>/``: ``p-<n>.pack`` (posting lists), ``t-<n>.pack`` (term dictionary shards),
``d-<n>.pack`` (document chunks), ``meta.pack`` (the dictionary primer, the document primer, the
chunks' slots, the filters). Document numbers in them are the unit's own (from 0); the manifest
gives the unit's first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.util.numeric import byte_to_length

from archive.index.postings import length_bytes, raw_postings, stored_documents
from archive.index.schema import SEARCH_FIELD
from site_builder.search.codec import PackWriter, PrimedStream
from site_builder.search.documents import CHUNKS_PER_PACK, DOC_CHUNK, DocumentWriter, ReportPlaces
from site_builder.search.filters import FilterWriter
from site_builder.search.pairs import PairCollector
from site_builder.search.postings import RAW_POSTINGS, Lists, ListWriter
from site_builder.search.terms import TermDictionary
from site_builder.search.units import Unit

PACK_BYTES = 256 * 1024  # a pack file's size (a server that ignores Range sends it whole)
PARTS = ["", "一", "二", "三", "四", "五", "六"]
KINDS = ["section", "table_row"]
LENGTHS = np.array([float(byte_to_length(b)) for b in range(256)])


def export_unit(unit: Unit, segmenter: Any, places: ReportPlaces, avgfl: float, spill_dir: Path,
                emit: Callable[[str, bytes], None]) -> dict[str, Any]:
    """Hand the unit's files to ``emit`` as they are made; return its manifest entry."""
    size = unit.count
    codes = np.zeros(size, dtype=np.uint8)
    documents = DocumentWriter(places, spill_dir / f"{unit.key}-docs.spill", size)
    filters = FilterWriter()
    pairs = PairCollector(segmenter, spill_dir, unit.key)
    base = 0
    for segment in unit.segments:
        for local, stored in stored_documents(segment.reader):
            doc = base + local
            codes[doc] = PARTS.index(stored.get("part") or "") * 2 + KINDS.index(stored.get("kind") or "section")
            documents.add(doc, stored)
            filters.add(doc, documents.report_number(stored["report_id"]), stored)
            pairs.add(doc, stored)
        base += segment.count
    lengths = np.concatenate([length_bytes(s.reader, SEARCH_FIELD) for s in unit.segments])
    doc_primer, doc_packs, doc_slots = documents.finish(f"{unit.folder}d-")
    for path, data in doc_packs:
        emit(path, data)
    del doc_packs

    vocabulary = _vocabulary(unit)
    dictionary = TermDictionary(len(vocabulary) + pairs.count)
    packs = PackWriter(f"{unit.folder}p-", PACK_BYTES, emit)
    lists = ListWriter(packs, avgfl, LENGTHS)
    word_docs: dict[str, np.ndarray] = {}  # the words' documents, for the pairs (lists of more than RAW_POSTINGS)
    for word in vocabulary:
        btext = word.encode("utf-8")
        parts, weight_parts, df, offset = [], [], 0, 0
        for segment in unit.segments:
            ids, weights = raw_postings(segment.reader, SEARCH_FIELD, btext)
            parts.append(ids + offset)
            weight_parts.append(weights)
            df += segment.reader.doc_frequency(SEARCH_FIELD, btext)
            offset += segment.count
        docs = np.concatenate(parts)
        weights = np.concatenate(weight_parts)
        if len(weights) and (np.any(weights != np.round(weights)) or np.any(weights < 1)):
            raise ValueError(f"posting weights of {word!r} are not whole numbers")
        if len(docs) > RAW_POSTINGS:
            word_docs[word] = docs.astype(np.int32)
        dictionary.add(word, lists.word(Lists(docs, weights.astype(np.int64), codes[docs], lengths[docs]), df))
    for pair, docs in pairs.finish():
        first, second = pair.split(" ")
        dictionary.add(pair, lists.pair(docs, word_docs.get(first), word_docs.get(second)))
    del word_docs
    packs.finish()
    term_primer, shards = dictionary.finish(f"{unit.folder}t-", PACK_BYTES)
    for path, data in shards.paths():
        emit(path, data)
    filter_blob, agencies_blob = filters.finish(len(documents.report_numbers))

    meta = bytearray()
    located = {}
    for name, blob in (("termPrimer", PrimedStream(term_primer).head), ("docPrimer", PrimedStream(doc_primer).head),
                       ("docSlots", doc_slots), ("filters", filter_blob), ("agencies", agencies_blob)):
        located[name] = [len(meta), len(blob)]
        meta += blob
    emit(f"{unit.folder}meta.pack", bytes(meta))
    return {
        "key": unit.key,
        "dir": unit.folder,
        "segments": [s.name for s in unit.segments],
        "first": unit.first,
        "count": size,
        "terms": shards.directory(),
        "termPrimer": [*located["termPrimer"], len(term_primer)],
        "docPrimer": [*located["docPrimer"], len(doc_primer)],
        "docSlots": located["docSlots"],
        "filters": located["filters"],
        "agencies": located["agencies"],
        "docChunk": DOC_CHUNK,
        "chunksPerPack": CHUNKS_PER_PACK,
    }


def _vocabulary(unit: Unit) -> list[str]:
    words: set[str] = set()
    for segment in unit.segments:
        for btext in segment.reader.lexicon(SEARCH_FIELD):
            words.add(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
    return sorted(words)
