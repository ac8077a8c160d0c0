"""For each paragraph of parts 一 and 五, the most similar paragraphs in other agencies' reports.

Similarity is the Jaccard index of the two paragraphs' sets of words (jieba's words of two
characters or more; words with a digit are left out, so a paragraph that only updates its figures
and years is the same text). Two units describing the same work in their own words share a third
to a half of their words (加强组织领导、成立领导小组: 0.36 between two real reports); a copied
paragraph shares nearly all. It is computed exactly for the pairs that are shown; finding the pairs
is not an all-pairs comparison:

1. paragraphs with the same set of words are one text (boilerplate repeated in hundreds of reports
   is compared once);
2. each text gets a MinHash of its words (``datasketch``), and an LSH Forest gives each text its
   ``CANDIDATES`` nearest texts by the MinHash estimate;
3. the exact similarity is computed for the best ``EXACT`` of them.

The cost grows with the number of distinct texts times a constant. A paragraph's matches come from
agencies other than its own (``agency_of``: the same agency in another year is no other unit), at
most one paragraph per agency, best first.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSHForest

PARTS = ("一", "五")
MIN_WORDS = 6
"""A paragraph with fewer distinct words than this (a heading-like line) is not compared."""
SIMILAR_MIN = 0.25
"""Matches below this similarity are not shown."""
COPY_MIN = 0.8
"""At or above this similarity a paragraph counts as the same text, copied."""
PER_PARAGRAPH = 3
NUM_PERM = 64
TREES = 8
CANDIDATES = 12
EXACT = 6
_WITH_DIGIT = re.compile(r"\S*\d\S*")


@dataclass(frozen=True)
class Passage:
    """Paragraph ``number`` of the section with ``anchor`` (in part ``part``) of a report, with its words
    (space-separated)."""

    report_id: str
    part: str
    anchor: str
    number: int
    words: str
    hashes: bytes | None = None
    """``text_hashes(words)`` made ahead (kept with the report's other texts between builds), or None."""


@dataclass(frozen=True)
class Match:
    """Paragraph ``number`` of ``anchor`` is like paragraph ``other_number`` of ``other_anchor`` in ``other_report``."""

    anchor: str
    number: int
    other_report: str
    other_part: str
    other_anchor: str
    other_number: int
    similarity: float
    same_text_elsewhere: int
    """How many paragraphs of other agencies have exactly this text (the same words), the match among them."""

    @property
    def copied(self) -> bool:
        return self.similarity >= COPY_MIN


def without_digits(words: str) -> str:
    """The words without those that have a digit (years, figures)."""
    return " ".join(_WITH_DIGIT.sub("", words).split())


def word_set(words: str) -> np.ndarray:
    """The sorted distinct hashes (CRC-32) of the words of two characters or more of ``without_digits(words)``."""
    hashes = {zlib.crc32(w.encode()) for w in without_digits(words).split(" ") if len(w) > 1}
    return np.array(sorted(hashes), dtype=np.uint32)


def text_hashes(words: str) -> bytes:
    """The bytes of ``word_set(words)``: paragraphs with equal bytes are one text."""
    return word_set(words).tobytes()


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)


class _Texts:
    """The distinct texts (sets of words) and the passages that have each."""

    def __init__(self, passages: Iterable[Passage]) -> None:
        self.sets: list[np.ndarray] = []
        self.members: list[list[Passage]] = []
        index: dict[bytes, int] = {}
        known: dict[str, bytes] = {}  # the same words: the same text, without hashing them again
        for passage in passages:
            key = passage.hashes
            if key is None:
                key = known.get(passage.words)
                if key is None:
                    key = known[passage.words] = text_hashes(passage.words)
            if len(key) < MIN_WORDS * 4:  # four bytes a word
                continue
            number = index.get(key)
            if number is None:
                number = index[key] = len(self.sets)
                self.sets.append(np.frombuffer(key, dtype=np.uint32))
                self.members.append([])
            self.members[number].append(passage)


def find_similar(
    passages: Iterable[Passage],
    agency_of: Callable[[str], str],
    per_paragraph: int = PER_PARAGRAPH,
    workers: int | None = None,
) -> dict[str, list[Match]]:
    """Report id → the matches of its paragraphs, in the order of its paragraphs.

    ``workers``: processes that look up the neighbours (None: one per core from ``PARALLEL_MIN`` distinct
    texts on, else one); any number gives the same matches."""
    texts = _Texts(sorted(passages, key=lambda p: (p.report_id, p.anchor, p.number)))
    if not texts.sets:
        return {}
    # datasketch (and scipy with it) loaded only when passages are compared: a rebuild takes them from its cache
    from datasketch import MinHashLSHForest

    hashes = _minhashes(texts.sets)
    forest = MinHashLSHForest(num_perm=NUM_PERM, l=TREES)
    for number, minhash in enumerate(hashes):
        forest.add(number, minhash)
    forest.index()
    signatures = np.vstack([m.hashvalues for m in hashes])
    if workers is None:
        workers = min(len(os.sched_getaffinity(0)), 8) if len(texts.sets) >= PARALLEL_MIN else 1
    neighbours = _all_neighbours(forest, hashes, signatures, texts.sets, workers)
    out: dict[str, list[Match]] = defaultdict(list)
    for number, members in enumerate(texts.members):
        ranked = [(1.0, number), *neighbours[number]]
        agencies = Counter(agency_of(p.report_id) for p in members)
        for passage in members:
            own = agency_of(passage.report_id)
            elsewhere = len(members) - agencies[own]
            for similarity, other, other_number in _best(passage, own, ranked, texts.members, agency_of, per_paragraph):
                out[passage.report_id].append(
                    Match(passage.anchor, passage.number, other.report_id, other.part, other.anchor, other.number,
                          round(similarity, 4), elsewhere if other_number == number else 0)
                )
    return dict(out)


def _minhashes(pairs: list[np.ndarray]) -> list[MinHash]:
    from datasketch import MinHash

    identity: Callable[[int], int] = int
    return MinHash.bulk([p.tolist() for p in pairs], num_perm=NUM_PERM, hashfunc=identity)


PARALLEL_MIN = 5000
"""From this many distinct texts on, their neighbours are looked up by a worker per core (forked: the
forest is shared, not copied); the results are the same."""
_SHARED: tuple[MinHashLSHForest, list[MinHash], np.ndarray, list[np.ndarray]] | None = None


def _all_neighbours(
    forest: MinHashLSHForest, hashes: list[MinHash], signatures: np.ndarray, pairs: list[np.ndarray], workers: int
) -> list[list[tuple[float, int]]]:
    """``_neighbours`` of every text, in text order."""
    global _SHARED
    if workers < 2:
        return [_neighbours(n, forest, hashes, signatures, pairs) for n in range(len(pairs))]
    _SHARED = (forest, hashes, signatures, pairs)
    try:
        size = max(1, min(CHUNK, len(pairs) // workers))
        chunks = [range(start, min(start + size, len(pairs))) for start in range(0, len(pairs), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [found for part in pool.imap(_neighbours_of, chunks) for found in part]
    finally:
        _SHARED = None


CHUNK = 2000


def _neighbours_of(numbers: range) -> list[list[tuple[float, int]]]:
    assert _SHARED is not None
    forest, hashes, signatures, pairs = _SHARED
    return [_neighbours(n, forest, hashes, signatures, pairs) for n in numbers]


def _neighbours(
    number: int, forest: MinHashLSHForest, hashes: list[MinHash], signatures: np.ndarray, pairs: list[np.ndarray]
) -> list[tuple[float, int]]:
    """The other texts most like text ``number``, with their exact similarity, best first (ties: earlier text)."""
    found = sorted(key for key in forest.query(hashes[number], CANDIDATES) if key != number)
    if not found:
        return []
    estimates = (signatures[found] == signatures[number]).mean(axis=1)
    best = [found[i] for i in np.argsort(-estimates, kind="stable")[:EXACT]]
    exact = [(jaccard(pairs[number], pairs[other]), other) for other in best]
    return sorted(((s, o) for s, o in exact if s >= SIMILAR_MIN), key=lambda item: (-item[0], item[1]))


def _best(
    passage: Passage,
    own: str,
    ranked: list[tuple[float, int]],
    members: list[list[Passage]],
    agency_of: Callable[[str], str],
    limit: int,
) -> list[tuple[float, Passage, int]]:
    """Up to ``limit`` paragraphs of other agencies, one per agency, from the ranked texts."""
    out: list[tuple[float, Passage, int]] = []
    seen = {own}
    for similarity, number in ranked:
        for other in members[number]:
            agency = agency_of(other.report_id)
            if agency in seen:
                continue
            seen.add(agency)
            out.append((similarity, other, number))
            if len(out) >= limit:
                return out
    return out
