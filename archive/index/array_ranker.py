"""The query plan evaluated on the Whoosh index's postings with array operations.

Whoosh steps through posting lists one document at a time in pure Python: a table label or a
copied sentence ANDs terms that occur in tens of thousands of documents, and counting the total
walks them again. Here each term's postings are read from the same Whoosh index block by block
(docnums and term frequencies), scored once with the same BM25F formula and kept in an LRU cache
of sorted arrays; a query is then a few array intersections.

The answer is the one Whoosh's ``Searcher.search`` gives, bit for bit, when run without block-max
skipping and with the filter applied by the collector (``ArchiveSearcher(fast=False)``, the
reference of ``tests/test_array_ranker.py``):

* the matches are those of ``query.to_whoosh`` (required tokens ANDed, optional tokens adding to
  the score, excluding clauses removing) among the documents the filter query matches (a filter
  adds nothing to the score);
* a term's score is ``whoosh.scoring.bm25`` itself, called on arrays, with the top searcher's idf
  and average field length and the document's encoded field length;
* scores are added in the order Whoosh's matcher tree adds them, which depends on the segment
  (a huffman-like tree on each segment's document frequencies for AND and OR, a left-to-right sum
  for an OR of three or more terms in a segment of 5,000 documents or fewer), so floating-point
  sums are identical;
* order is by score, then by document number (Whoosh's top-N collector keeps the lower one on a tie).

Only the Whoosh index is read: nothing is stored besides it. Posting blocks and the field-length
column are read through attributes of whoosh3's codec (3.54, the pinned version); a matcher of
another kind is stepped through one posting at a time, and an index or weighting this module does
not reproduce raises ``Unsupported`` (``ranker`` then returns None and Whoosh searches).
"""

from __future__ import annotations

import bisect
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as q
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F, bm25
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from archive.index import query as query_language
from archive.index.postings import Unsupported, length_bytes, matcher_arrays
from archive.index.schema import SEARCH_FIELD

log = logging.getLogger(__name__)

# whoosh.query.compound.Or._matcher: an OR of two terms, or of three or more in a segment of more than
# 5,000 documents, is a tree of UnionMatchers; otherwise its scores are summed left to right
_PRELOADED_OR_MAX_DOCS = 5000
_POSTINGS_BUDGET = 12_000_000  # cached postings (16 bytes each: docnum and score), about 200 MB
_FILTERS_KEPT = 64

Tree = Any  # a token (a leaf) or a pair of trees


def _weighted_tree(leaves: list[tuple[int, str]]) -> Tree:
    """``whoosh.util.make_weighted_tree`` on (weight, token): stable on equal weights, as Whoosh's is."""
    items = sorted(leaves, key=lambda item: item[0])
    weights = [w for w, _ in items]
    trees: list[Tree] = [t for _, t in items]
    while len(trees) > 1:
        wa, wb = weights.pop(0), weights.pop(0)
        ta, tb = trees.pop(0), trees.pop(0)
        weight = wa + wb
        at = bisect.bisect_right(weights, weight)
        weights.insert(at, weight)
        trees.insert(at, (ta, tb))
    return trees[0]


def length_table() -> np.ndarray:
    """A field's length by its encoded byte (``whoosh.util.numeric.byte_to_length``); byte 0 has no
    length (Whoosh returns None: no document with the field has it), NaN here."""
    return np.array([np.nan] + [float(byte_to_length(b)) for b in range(1, 256)])


@dataclass
class Ranked:
    """The best ``docnums`` (global Whoosh document numbers) with their ``scores``, and how many matched."""

    docnums: list[int]
    scores: list[float]
    total: int


class _Segment:
    def __init__(self, searcher: Searcher, offset: int, fieldname: str) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.doc_count = self.reader.doc_count_all()
        deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        self.deleted = np.array(sorted(deleted), dtype=np.int64)
        self.fieldname = fieldname
        self._lengths: np.ndarray | None = None

    def lengths(self) -> np.ndarray:
        """Every document's encoded length of the searched field, decoded (what ``doc_field_length`` gives)."""
        if self._lengths is None:
            encoded = length_bytes(self.reader, self.fieldname)
            self._lengths = length_table()[encoded]
        return self._lengths

    def doc_frequency(self, token: bytes) -> int:
        return self.reader.doc_frequency(self.fieldname, token)

    def postings(self, fieldname: str, token: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, term frequencies) of a term in this segment, deleted documents left out."""
        if (fieldname, token) not in self.reader:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        matcher = self.reader.postings(fieldname, token)
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        ids, weights = matcher_arrays(matcher)
        if len(self.deleted):
            keep = ~np.isin(ids, self.deleted)
            ids, weights = ids[keep], weights[keep]
        return ids, weights


def _contains(sorted_ids: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``docs``: whether it is in ``sorted_ids``, and where."""
    at = np.searchsorted(sorted_ids, docs)
    found = np.zeros(len(docs), dtype=bool)
    inside = at < len(sorted_ids)
    found[inside] = sorted_ids[at[inside]] == docs[inside]
    return found, at


class ArrayRanker:
    """Ranks documents for a parsed query on an open Whoosh searcher, as ``Searcher.search`` would."""

    def __init__(self, searcher: Searcher, fieldname: str = SEARCH_FIELD) -> None:
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise Unsupported("weighting")
        self.searcher = searcher
        self.fieldname = fieldname
        self.B = weighting._field_B.get(fieldname, weighting.B)
        self.K1 = weighting.K1
        self.avgfl = searcher.avg_field_length(fieldname) or 1
        self.segments = [_Segment(s, offset, fieldname) for s, offset in searcher.leaf_searchers()]
        self._offsets = [segment.offset for segment in self.segments]
        for segment in self.segments:
            segment.lengths()  # a few hundred kilobytes; raises Unsupported now rather than mid-query
        self._field_names = frozenset(searcher.schema.names())
        # token -> per segment (sorted docnums, BM25F scores)
        self._terms: OrderedDict[str, list[tuple[np.ndarray, np.ndarray]]] = OrderedDict()
        self._cached_postings = 0
        self._filters: OrderedDict[str, list[np.ndarray]] = OrderedDict()

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        """What ``Searcher.stored_fields`` gives, read from the segment directly (the phrase check reads 1,000)."""
        segment = self.segments[bisect.bisect_right(self._offsets, docnum) - 1]
        stored = segment.reader._perdoc.stored_fields(docnum - segment.offset)
        return {k: v for k, v in stored.items() if k in self._field_names}

    # postings

    def _to_bytes(self, fieldname: str, text: Any) -> bytes:
        return self.searcher.schema[fieldname].to_bytes(text)

    def _term(self, token: str) -> list[tuple[np.ndarray, np.ndarray]]:
        cached = self._terms.get(token)
        if cached is not None:
            self._terms.move_to_end(token)
            return cached
        btext = self._to_bytes(self.fieldname, token)
        idf = self.searcher.idf(self.fieldname, btext)
        B, K1, avgfl = self.B, self.K1, self.avgfl
        per_segment = []
        for segment in self.segments:
            ids, tf = segment.postings(self.fieldname, btext)
            fl = segment.lengths()[ids]
            scores = bm25(idf, tf, fl, avgfl, B, K1)  # Whoosh's own function, on arrays
            per_segment.append((ids, scores))
        self._terms[token] = per_segment
        self._cached_postings += sum(len(ids) for ids, _ in per_segment)
        while self._cached_postings > _POSTINGS_BUDGET and len(self._terms) > 1:
            _, evicted = self._terms.popitem(last=False)
            self._cached_postings -= sum(len(ids) for ids, _ in evicted)
        return per_segment

    def _filter_docs(self, filter_query: q.Query) -> list[np.ndarray]:
        key = repr(filter_query)
        cached = self._filters.get(key)
        if cached is None:
            cached = [self._query_docs(filter_query, segment) for segment in self.segments]
            self._filters[key] = cached
            if len(self._filters) > _FILTERS_KEPT:
                self._filters.popitem(last=False)
        self._filters.move_to_end(key)
        return cached

    def _query_docs(self, query: q.Query, segment: _Segment) -> np.ndarray:
        """The sorted docnums in ``segment`` that a (filter) query matches."""
        if isinstance(query, q.Term):
            try:
                btext = self._to_bytes(query.fieldname, query.text)
            except ValueError:
                return np.empty(0, dtype=np.int64)
            return segment.postings(query.fieldname, btext)[0]
        if isinstance(query, q.Or) and query.subqueries:
            parts = [self._query_docs(sub, segment) for sub in query.subqueries]
            return np.unique(np.concatenate(parts))
        if isinstance(query, q.And) and query.subqueries:
            docs = self._query_docs(query.subqueries[0], segment)
            for sub in query.subqueries[1:]:
                docs = np.intersect1d(docs, self._query_docs(sub, segment), assume_unique=True)
            return docs
        return np.fromiter(query.docs(segment.searcher), dtype=np.int64)

    # ranking

    def rank(self, parsed: query_language.ParsedQuery, filter_query: q.Query | None, limit: int) -> Ranked:
        """The best ``limit`` documents for ``to_whoosh(parsed)`` ANDed with ``filter_query``, and the total."""
        required = list(dict.fromkeys(t for c in parsed.include for t in c.required))
        optional = list(dict.fromkeys(t for c in parsed.include for t in c.optional if t not in required))
        excluded = query_language.exclusion_groups(parsed)
        if not required and not optional:
            return Ranked([], [], 0)
        filters = self._filter_docs(filter_query) if filter_query is not None else None
        all_docs, all_scores = [], []
        for i, segment in enumerate(self.segments):
            docs, scores = self._segment_matches(
                segment, i, required, optional, excluded, filters[i] if filters is not None else None
            )
            all_docs.append(docs + segment.offset)
            all_scores.append(scores)
        docs, scores = np.concatenate(all_docs), np.concatenate(all_scores)
        if not len(docs):
            return Ranked([], [], 0)
        order = np.lexsort((docs, -scores))[:limit]
        return Ranked(docs[order].tolist(), scores[order].tolist(), len(docs))

    def _segment_matches(
        self,
        segment: _Segment,
        index: int,
        required: list[str],
        optional: list[str],
        excluded: list[list[str]],
        allowed: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        empty = np.empty(0, dtype=np.int64), np.empty(0)
        postings = {t: self._term(t)[index] for t in [*required, *optional]}
        if required:
            lists = sorted((postings[t][0] for t in required), key=len)
            docs = lists[0]
            for ids in lists[1:]:
                if not len(docs):
                    break
                docs = docs[_contains(ids, docs)[0]]
        else:
            docs = np.unique(np.concatenate([postings[t][0] for t in optional]))
        if allowed is not None and len(docs):
            docs = docs[_contains(allowed, docs)[0]]
        for clause in excluded:
            if not len(docs):
                break
            hit = np.ones(len(docs), dtype=bool)
            for token in clause:
                hit &= _contains(self._term(token)[index][0], docs)[0]
            docs = docs[~hit]
        if not len(docs):
            return empty

        def leaf(token: str) -> np.ndarray:
            ids, scores = postings[token]
            found, at = _contains(ids, docs)
            values = np.zeros(len(docs))
            values[found] = scores[at[found]]
            return values

        def total(tree: Tree) -> np.ndarray:
            if isinstance(tree, str):
                return leaf(tree)
            return total(tree[0]) + total(tree[1])

        score = None
        if required:
            score = total(_weighted_tree([(0 - segment.doc_frequency(self._btext(t)), t) for t in required]))
        if optional:
            tree_of_unions = len(optional) < q.Or.TOO_MANY_CLAUSES and (
                len(optional) <= 2 or segment.doc_count > _PRELOADED_OR_MAX_DOCS
            )
            if not tree_of_unions:
                extra = np.zeros(len(docs))
                for token in optional:
                    extra = extra + leaf(token)
            else:
                extra = total(_weighted_tree([(segment.doc_frequency(self._btext(t)), t) for t in optional]))
            score = extra if score is None else score + extra
        return docs, score

    def _btext(self, token: str) -> bytes:
        return self._to_bytes(self.fieldname, token)


class RankedHit:
    """One ranked document, its stored fields read on first use (like ``whoosh.searching.Hit``)."""

    __slots__ = ("ranker", "docnum", "score", "_fields")

    def __init__(self, ranker: ArrayRanker, docnum: int, score: float) -> None:
        self.ranker = ranker
        self.docnum = docnum
        self.score = score
        self._fields: dict[str, Any] | None = None

    def fields(self) -> dict[str, Any]:
        if self._fields is None:
            self._fields = self.ranker.stored_fields(self.docnum)
        return self._fields

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields().get(key, default)


def hits(ranker: ArrayRanker, ranked: Ranked) -> list[RankedHit]:
    return [RankedHit(ranker, d, s) for d, s in zip(ranked.docnums, ranked.scores, strict=True)]


def ranker(searcher: Searcher) -> ArrayRanker | None:
    """A ranker for this searcher, or None where this module cannot reproduce Whoosh exactly (another
    weighting than the archive's BM25F, an index without the length column): said in the log, since
    Whoosh's own search is then used, with the same results, slower. A Whoosh whose internals this
    module does not know fails here, loudly."""
    try:
        return ArrayRanker(searcher)
    except Unsupported as exc:
        log.warning("archive search: the array ranker cannot rank this index (%s); Whoosh's own search is used", exc)
        return None
