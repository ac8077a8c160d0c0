"""A Whoosh segment's posting lists and length bytes as numpy arrays.

Read through attributes of whoosh3's codec (3.54, the pinned version): a posting list block by
block, the field-length column as its bytes. Used by the array ranker (``array_ranker``) and by the
browser search's export (``site_builder/search``). Deleted documents are included: the caller
leaves them out (Whoosh counts them in its statistics until the segment is merged).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher


class Unsupported(Exception):
    """The index or the weighting is not one these arrays reproduce exactly (another codec, another
    column layout, another scoring): the array ranker leaves the query to Whoosh."""


def length_bytes(segment: Any, fieldname: str) -> np.ndarray:
    """Every document's encoded length of ``fieldname`` in a ``SegmentReader`` (Whoosh's length
    byte, 0 for none; ``byte_to_length`` decodes it)."""
    perdoc = segment._perdoc
    count = segment.doc_count_all()
    column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    encoded = np.zeros(count, dtype=np.uint8)
    if column is not None:
        if getattr(column, "_fixedlen", None) != 1:
            raise Unsupported("length column")
        n = min(column._count, count)
        encoded[:n] = np.frombuffer(column._dbfile.get(column._basepos, n), dtype=np.uint8)
    return encoded


def raw_postings(segment: Any, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of a term in a ``SegmentReader``, deleted documents included."""
    try:
        terms = segment._terms
        if (fieldname, btext) not in terms:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        matcher = terms.matcher(fieldname, btext, segment.schema[fieldname].format)
    except AttributeError as exc:
        raise Unsupported("segment reader") from exc
    return matcher_arrays(matcher)


def matcher_arrays(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of what a Whoosh matcher of one term in one segment yields."""
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        return _read_blocks(matcher)
    pairs = list(_step(matcher))
    return (np.array([d for d, _ in pairs], dtype=np.int64), np.array([w for _, w in pairs], dtype=np.float64))


def _step(matcher: Any) -> Iterator[tuple[int, float]]:
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()


def _read_blocks(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """A W3 posting list block by block (each block's ids are delta-coded from 0)."""
    id_parts, weight_parts = [], []
    while matcher.is_active():
        matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids = np.cumsum(np.asarray(raw_ids, dtype=np.int64))
        if raw_weights is None:
            weights = np.ones(count)
        elif isinstance(raw_weights, float):
            weights = np.full(count, raw_weights)
        else:
            weights = np.asarray(raw_weights).astype(np.float64)
        id_parts.append(ids)
        weight_parts.append(weights)
        matcher._next_block()
    if not id_parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    return np.concatenate(id_parts), np.concatenate(weight_parts)


def stored_documents(segment: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(document number, stored fields) of every document of a ``SegmentReader``, deleted ones
    included. Whoosh reads the stored column from a copy of it in memory: the copy is let go after
    the last document (a tenth of the index's size)."""
    perdoc = segment._perdoc
    try:
        for local in range(segment.doc_count_all()):
            yield local, perdoc.stored_fields(local) or {}
    finally:
        perdoc._readers.pop("_stored", None)
        column = perdoc._colfiles.pop("_stored", None)
        if column is not None:
            column[0].close()
