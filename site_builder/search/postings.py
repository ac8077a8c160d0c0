"""Posting lists of one unit of the export: how a word's or a pair's documents are written.

A word's postings (``docs``, unit-local document numbers, ascending; ``weights``; the documents'
``codes`` — part * 2 + kind — and length bytes) are written, one after the other in a pack:

* the **full list**: segments of ``SEGMENT_POSTINGS`` postings, each ``varint(count)``, the
  document gaps (varints, the first from -1), the codes (a byte each), the weights (varints), the
  length bytes (a byte each); compressed as one stream cut at every segment (``SegmentedStream``).
  Read whole (the word the candidates come from) or by segments (the documents a filter allows).
* the **slim list** (more than one block): blocks of ``BLOCK_POSTINGS`` postings, each
  ``varint(count)`` then per posting ``varint(gap * K + min(weight, K) - 1)`` and, when the
  weight is K or more, ``varint(weight - K)`` (K = ``SLIM_WEIGHTS``); one stream cut at every
  block. What a word that is not the candidates' source is read as: whole, or the blocks that
  hold the candidates (their length bytes come from the source's full list).
* the **block directory** (more than ``INLINE_BLOCKS`` blocks; otherwise inline in the entry):
  ``varint(blocks)``, per block ``varint(first document gap)`` and ``varint(compressed size)``,
  per segment ``varint(compressed size)``; deflated.
* the **impact tiers** (more than ``TIER_FROM`` postings): the postings ranked by the word's own
  BM25F score, cut at ``TIER_ENDS``, each tier one full segment in document order, compressed
  alone. Each tier's entry gives, for what comes after it, the Pareto frontier of
  (weight, length byte): the browser's bound for every posting not read yet, computed with the
  statistics of the day (an unchanged unit keeps its tiers when other units change).

A pair's postings are document numbers only: blocks of ``varint(count)`` and gaps, one stream cut
at every block; the whole list is all of them.

A list whose full encoding (or a pair's block) takes at most ``INLINE_BYTES`` is inline in the
entry, base64, uncompressed.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from site_builder.search.codec import SegmentedStream, varints

BLOCK_POSTINGS = 256  # a block of a long list (slim list of a word, list of a pair)
SEGMENT_BLOCKS = 4  # a full segment holds the postings of this many blocks
SEGMENT_POSTINGS = BLOCK_POSTINGS * SEGMENT_BLOCKS  # a list of at most this many is read whole only
RAW_POSTINGS = 128  # a list of at most this many is not compressed (deflate would add to it)
INLINE_BYTES = 96
INLINE_BLOCKS = 8
SLIM_WEIGHTS = 8
TIER_FROM = 1024  # a word of more postings has impact tiers
TIER_ENDS = (128, 1024, 4096)
EXCEPTIONS_AT_MOST = 2  # a pair is written as its words' common documents less the exceptions when
# these are fewer than 1 in this many of its documents
B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, which archive.index.search uses


@dataclass
class Lists:
    """A word's postings in one unit (arrays of the same length)."""

    docs: np.ndarray  # int64, ascending, unit-local
    weights: np.ndarray  # int64, ≥ 1
    codes: np.ndarray  # uint8
    lengths: np.ndarray  # uint8, Whoosh's length byte


def _gaps(docs: np.ndarray) -> np.ndarray:
    if not len(docs):
        return docs
    return np.diff(docs, prepend=-1) - 1


def full_segment(lists: Lists, start: int, end: int) -> bytes:
    docs = lists.docs[start:end]
    return (varints([len(docs)]) + varints(_gaps(docs)) + lists.codes[start:end].astype(np.uint8).tobytes()
            + varints(lists.weights[start:end]) + lists.lengths[start:end].astype(np.uint8).tobytes())


def slim_block(docs: np.ndarray, weights: np.ndarray) -> bytes:
    k = SLIM_WEIGHTS
    values = _gaps(docs) * k + np.minimum(weights, k) - 1
    big = np.nonzero(weights >= k)[0]
    if len(big):  # each weight of K or more: its remainder right after its value
        values = np.insert(values, big + 1, weights[big] - k)
    return varints([len(docs)]) + varints(values)


def pair_block(docs: np.ndarray) -> bytes:
    return varints([len(docs)]) + varints(_gaps(docs))


def bm25(idf: float, weights: np.ndarray, lengths: np.ndarray, avgfl: float, table: np.ndarray) -> np.ndarray:
    """Whoosh's BM25F of one field, operation for operation as the browser computes it."""
    fl = table[lengths]
    return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + (B * fl) / avgfl)))


def frontier(weights: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    """The (weight, length byte) pairs that no other pair beats on both (a higher weight and a
    shorter length each raise the score): the most any of these postings can score is the best
    score of these pairs, whatever the statistics."""
    if not len(weights):
        return []
    pairs = sorted(set(zip(weights.tolist(), lengths.tolist(), strict=True)), key=lambda p: (-p[0], p[1]))
    out: list[list[int]] = []
    shortest = math.inf
    for weight, length in pairs:
        if length < shortest:
            out.append([weight, length])
            shortest = length
    return out


def _directory(firsts: list[int], block_bytes: list[int], segment_bytes: list[int]) -> bytes:
    gaps = np.diff(np.array(firsts, dtype=np.int64), prepend=-1) - 1
    interleaved = np.empty(2 * len(firsts), dtype=np.int64)
    interleaved[0::2] = gaps
    interleaved[1::2] = block_bytes
    return SegmentedStream().add(varints([len(firsts)]) + varints(interleaved) + varints(segment_bytes))


class ListWriter:
    """Writes the lists of one unit into its postings packs (``packs.add(region)`` → (pack, offset))
    and returns each list's dictionary entry."""

    def __init__(self, packs: Any, avgfl: float, lengths_table: np.ndarray) -> None:
        self.packs = packs
        self.avgfl = avgfl
        self.table = lengths_table

    def word(self, lists: Lists, df: int) -> dict[str, Any]:
        n = len(lists.docs)
        entry: dict[str, Any] = {"n": n, "df": df}
        if n <= RAW_POSTINGS:
            whole = full_segment(lists, 0, n)
            if len(whole) <= INLINE_BYTES:
                entry["p"] = base64.b64encode(whole).decode("ascii")
                return entry
            region = bytearray(whole)
            entry["f"] = len(region)
            entry["at"] = list(self.packs.add(bytes(region)))
            return entry
        stream = SegmentedStream()
        segments = [stream.add(full_segment(lists, s, min(n, s + SEGMENT_POSTINGS))) for s in range(0, n, SEGMENT_POSTINGS)]
        region = bytearray(b"".join(segments))
        entry["f"] = len(region)
        if n > SEGMENT_POSTINGS:  # a list read whole costs little without its slim form
            slim = SegmentedStream()
            blocks = [slim.add(slim_block(lists.docs[s : s + BLOCK_POSTINGS], lists.weights[s : s + BLOCK_POSTINGS]))
                      for s in range(0, n, BLOCK_POSTINGS)]
            region += b"".join(blocks)
            entry["s"] = sum(len(b) for b in blocks)
            self._blocks(entry, region, lists.docs, [len(b) for b in blocks], [len(s) for s in segments])
        if n > TIER_FROM:
            entry["t"] = self._tiers(region, lists)
        entry["at"] = list(self.packs.add(bytes(region)))
        return entry

    def pair(self, docs: np.ndarray, first: np.ndarray | None = None, second: np.ndarray | None = None) -> dict[str, Any]:
        """A pair's documents; with its words' documents (``first``, ``second``), when the pair stands
        in nearly every document that holds both words, the documents that hold both but not the
        pair instead (``x``; ``e`` of them): the browser checks the words and these exceptions."""
        n = len(docs)
        entry: dict[str, Any] = {"n": n}
        if n > RAW_POSTINGS and first is not None and second is not None:
            small, big = (first, second) if len(first) <= len(second) else (second, first)
            at = np.searchsorted(big, small)
            inside = at < len(big)
            both = small[inside][big[at[inside]] == small[inside]]
            at = np.searchsorted(docs, both)
            inside = at < n
            standing = np.zeros(len(both), dtype=bool)
            standing[inside] = docs[at[inside]] == both[inside]
            exceptions = both[~standing].astype(np.int64)
            if len(exceptions) * EXCEPTIONS_AT_MOST < n:
                entry["x"] = 1
                entry["e"] = len(exceptions)
                docs, n = exceptions, len(exceptions)
        if n <= RAW_POSTINGS:
            data = pair_block(docs)
            if len(data) <= INLINE_BYTES:
                entry["p"] = base64.b64encode(data).decode("ascii")
                return entry
            region = bytearray(data)
        elif n <= SEGMENT_POSTINGS:
            region = bytearray(SegmentedStream().add(pair_block(docs)))
        else:
            stream = SegmentedStream()
            blocks = [stream.add(pair_block(docs[s : s + BLOCK_POSTINGS])) for s in range(0, n, BLOCK_POSTINGS)]
            region = bytearray(b"".join(blocks))
        entry["f"] = len(region)
        if n > SEGMENT_POSTINGS:
            self._blocks(entry, region, docs, [len(b) for b in blocks], [])
        entry["at"] = list(self.packs.add(bytes(region)))
        return entry

    def _blocks(self, entry: dict[str, Any], region: bytearray, docs: np.ndarray, block_bytes: list[int],
                segment_bytes: list[int]) -> None:
        """Where each block (and full segment) starts: inline for a few blocks, else after them."""
        firsts = docs[::BLOCK_POSTINGS].tolist()
        if len(firsts) <= INLINE_BLOCKS:
            entry["b"] = [firsts, block_bytes, segment_bytes]
            return
        directory = _directory(firsts, block_bytes, segment_bytes)
        region += directory
        entry["d"] = len(directory)

    def _tiers(self, region: bytearray, lists: Lists) -> list[list[Any]]:
        scores = bm25(1.0, lists.weights.astype(np.float64), lists.lengths, self.avgfl, self.table)
        order = np.lexsort((lists.docs, -scores))
        tiers: list[list[Any]] = []
        start = 0
        for end in TIER_ENDS:
            if start >= len(order):
                break
            chosen = np.sort(order[start:end])
            tier = Lists(lists.docs[chosen], lists.weights[chosen], lists.codes[chosen], lists.lengths[chosen])
            data = SegmentedStream().add(full_segment(tier, 0, len(chosen)))
            region += data
            rest = order[end:]
            tiers.append([len(data), len(chosen), frontier(lists.weights[rest], lists.lengths[rest])])
            start = end
        return tiers
