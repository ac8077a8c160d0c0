"""Search the current generation of an index: filters, ranking (BM25F), snippets, suggestions."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from archive.errors import ArchiveError
from archive.index import array_ranker, store
from archive.index import query as query_language
from archive.index.analysis import Segmenter, dictionary_key, use_dictionary
from archive.index.schema import SEARCH_FIELD, SEARCH_FIELDS, content_of
from archive.index.snippet import Fragment, fragments
from archive.index.vocabulary import Affixes, QuerySegmenter, indexed_words


@dataclass
class Filters:
    agency: str | None = None  # exact name, or a part of it ("温县")
    region: str | None = None  # a province, city or county, or a part of its name ("山东")
    year: int | None = None
    part: str | None = None  # 一 … 六
    kind: str | None = None  # section | table_row

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Hit:
    fields: dict[str, Any]
    score: float
    snippet: list[Fragment]

    def to_dict(self) -> dict[str, Any]:
        from archive.index.snippet import to_html

        f = self.fields
        values = json.loads(f["values"]) if f.get("values") else None
        return {
            "id": f["id"],
            "report_id": f["report_id"],
            "agency": f.get("agency") or None,
            "year": f.get("year"),
            "region": {k: f.get(k) or None for k in ("province", "city", "county")},
            "section": f.get("title", ""),
            "part": f.get("part") or None,
            "kind": f["kind"],
            "score": round(self.score, 4),
            "snippet": to_html(self.snippet),
            "anchor": f.get("anchor") or None,
            "table": f.get("table") or None,
            "row": f.get("row") or None,
            "label": f.get("label") or None,
            "values": values,
            "source": f.get("source"),
        }


@dataclass
class SearchResponse:
    query: str
    filters: Filters
    total: int
    hits: list[Hit] = field(default_factory=list)
    suggestion: str | None = None
    terms: list[str] = field(default_factory=list)
    total_capped: bool = False  # a phrase query had more candidates than were checked

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "filters": self.filters.to_dict(),
            "total": self.total,
            "total_capped": self.total_capped,
            "suggestion": self.suggestion,
            "results": [h.to_dict() for h in self.hits],
        }


class NoIndexError(ArchiveError):
    pass


class ArchiveSearcher:
    """An open index generation; reuse one for many queries (the warm case)."""

    def __init__(self, index_dir: Path, fast: bool = True) -> None:
        generation = store.current_generation(Path(index_dir))
        if generation is None:
            raise NoIndexError(f"{index_dir} 中还没有索引，请先运行 archive ingest。")
        self.generation = generation
        self.manifest = store.read_manifest(generation)
        if self.manifest.get("format") != store.MANIFEST_FORMAT:
            raise NoIndexError(f"{index_dir} 中的索引是旧版本建立的，请重新运行 archive ingest。")
        self._index_dir = Path(index_dir)
        self._index_segmenter: Segmenter | None = None
        self.index = whoosh_index.open_dir(str(generation / store.WHOOSH_DIR))
        self.searcher: Searcher = self.index.searcher(weighting=BM25F())
        self._vocabulary: dict[str, bool] = {}
        self._query_segmenter: QuerySegmenter | None = None
        self._affixes: Affixes | None = None
        self._pairs: dict[int, frozenset[str]] = {}
        self._terms: dict[int, list[tuple[str, float]]] = {}
        self._lexicons: dict[str, list[str]] = {}
        # the same ranking on cached posting arrays (archive/index/array_ranker.py); Whoosh's own search otherwise
        self._ranker = array_ranker.ranker(self.searcher) if fast else None

    def close(self) -> None:
        self.searcher.close()
        self.index.close()

    def __enter__(self) -> ArchiveSearcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _values_matching(self, fieldname: str, text: str) -> list[str]:
        """Indexed values of a field equal to ``text``, else those containing it."""
        if fieldname not in self._lexicons:
            values = self.searcher.lexicon(fieldname)
            self._lexicons[fieldname] = [v.decode("utf-8") if isinstance(v, bytes) else v for v in values]
        values = self._lexicons[fieldname]
        if text in values:
            return [text]
        return [v for v in values if text in v]

    def _filter(self, filters: Filters) -> q.Query | None:
        clauses: list[q.Query] = []
        if filters.agency:
            names = self._values_matching("agency", filters.agency)
            clauses.append(q.Or([q.Term("agency", n) for n in names]) if names else q.NullQuery)
        if filters.region:
            terms = [q.Term(f, v) for f in ("province", "city", "county") for v in self._values_matching(f, filters.region)]
            clauses.append(q.Or(terms) if terms else q.NullQuery)
        if filters.year is not None:
            clauses.append(q.NumericRange("year", filters.year, filters.year))
        if filters.part:
            clauses.append(q.Term("part", filters.part.strip().rstrip("、")))
        if filters.kind:
            clauses.append(q.Term("kind", filters.kind))
        if not clauses:
            return None
        return q.And(clauses) if len(clauses) > 1 else clauses[0]

    @property
    def index_segmenter(self) -> Segmenter:
        """jieba with the index's whole dictionary: loaded when a result's text is segmented again (the
        reranking of copied sentences), not for most queries."""
        if self._index_segmenter is None:
            self._index_segmenter = use_dictionary(self.manifest["words"], self._index_dir)
        return self._index_segmenter

    @property
    def query_segmenter(self) -> QuerySegmenter:
        """jieba on the index's dictionary restricted to its vocabulary (archive.index.vocabulary), as the
        ingest saved it; made here from the index where it did not."""
        if self._query_segmenter is None:
            key = dictionary_key(self.manifest["words"])
            saved = QuerySegmenter.load(self.generation / store.QUERY_DICTIONARY_FILE, key)
            if saved is None:
                vocabulary = [t for name in SEARCH_FIELDS for t, _ in self._lexicon(name)]
                saved = QuerySegmenter.restricted(self.index_segmenter, vocabulary)
            self._query_segmenter = saved
        return self._query_segmenter

    def _lexicon(self, fieldname: str) -> list[tuple[str, float]]:
        """(term, frequency) of a searched field, as the corrections are chosen from."""
        key = SEARCH_FIELDS.index(fieldname)
        if key not in self._terms:
            reader = self.searcher.reader()
            self._terms[key] = [
                (t.decode("utf-8") if isinstance(t, bytes) else t, reader.frequency(fieldname, t))
                for t in reader.lexicon(fieldname)
            ]
        return self._terms[key]

    def _doc_pairs(self, hit: Any) -> frozenset[str]:
        """``check_phrases`` and ``rerank_by_sequence``: the pairs of adjacent words of a result (its title and text as indexed)."""
        pairs = self._pairs.get(hit.docnum)
        if pairs is None:
            if len(self._pairs) > 100_000:
                self._pairs.clear()
            text = content_of(hit.get("title", ""), hit.get("text", ""))
            pairs = self._pairs[hit.docnum] = query_language.adjacent_pairs(text, self.index_segmenter)
        return pairs

    def _doc_terms(self, hit: Any) -> frozenset[str]:
        """The indexed words of a result (``rank_optional_groups``)."""
        key = -1 - hit.docnum
        words = self._pairs.get(key)
        if words is None:
            text = content_of(hit.get("title", ""), hit.get("text", ""))
            words = self._pairs[key] = frozenset(w for w, _, _ in self.index_segmenter.index_tokens(text))
        return words

    @property
    def affixes(self) -> Affixes:
        """The indexed words by their suffixes and prefixes (``expand_cut_edges`` of the query plan)."""
        if self._affixes is None:
            self._affixes = Affixes(lambda: indexed_words(self.searcher.reader(), SEARCH_FIELDS))
        return self._affixes

    def parse(self, text: str) -> query_language.ParsedQuery:
        parsed = query_language.resolve(query_language.parse(text, self.query_segmenter), self._known, self.affixes)
        reader = self.searcher.reader()
        documents = functools.partial(reader.doc_frequency, SEARCH_FIELD)
        query_language.drop_common_neighbours(parsed, documents)
        return query_language.drop_common(parsed, documents, reader.doc_count_all())

    def search(self, text: str, filters: Filters | None = None, limit: int = 10) -> SearchResponse:
        filters = filters or Filters()
        parsed = self.parse(text)
        response = SearchResponse(text, filters, 0, terms=parsed.terms)
        if parsed.empty:
            return response
        filter_query = self._filter(filters)
        if filter_query is q.NullQuery:
            return response
        whoosh_query = query_language.to_whoosh(parsed)
        rerank = bool(parsed.literal_clauses)
        if parsed.phrases:
            # ``check_phrases`` needs each candidate's stored text: the best PHRASE_CHECK_LIMIT candidates are checked
            results, matched = self._top(parsed, whoosh_query, filter_query, query_language.PHRASE_CHECK_LIMIT)
            hits = [h for h in sorted(results, key=_order) if query_language.matches_phrases(parsed, self._doc_pairs(h))]
            response.total = len(hits)
            response.total_capped = len(results) < matched
        else:
            depth = max(limit, query_language.RERANK_DEPTH) if rerank else limit
            hits, response.total = self._top(parsed, whoosh_query, filter_query, depth)
            hits = sorted(hits, key=_order)
        if rerank:
            head = hits[: max(limit, query_language.RERANK_DEPTH)]
            head.sort(key=lambda h: tuple(-rank for rank in query_language.sequence_ranks(
                parsed, self._doc_pairs(h), lambda word: word in self._doc_terms(h)
            )))
            hits = head
        hits = hits[:limit]
        for hit in hits:
            stored = hit.fields()
            snippet = fragments(stored.get("text") or stored.get("title", ""), parsed.terms)
            response.hits.append(Hit(stored, hit.score, snippet))
        if response.total == 0:
            response.suggestion = self.suggest(text)
        return response

    def _top(
        self, parsed: query_language.ParsedQuery, whoosh_query: q.Query, filter_query: q.Query | None, depth: int
    ) -> tuple[list[Any], int]:
        """The best ``depth`` hits (``.score``, ``.get``, ``.fields()``) of ``whoosh_query`` among the documents
        ``filter_query`` allows (the filter does not score), and how many match.

        Whoosh's own search is the reference (``fast=False``), run without its block-max skipping and
        with the filter applied by the collector: in Whoosh 3.54 the skipping can drop a better document
        ("人大代表建议 政协委员提案"), and an optional token ANDed with a filter clause is not always
        scored (``AndMaybeMatcher.skip_to`` moves the optional side to the target, not to the match).
        """
        if self._ranker is not None:
            ranked = self._ranker.rank(parsed, filter_query, depth)
            return array_ranker.hits(self._ranker, ranked), ranked.total
        results = self.searcher.search(whoosh_query, limit=depth, filter=filter_query, optimize=False)
        matching = self.searcher.docs_for_query(whoosh_query)
        if filter_query is not None:
            allowed = set(self.searcher.docs_for_query(filter_query))
            matching = (d for d in matching if d in allowed)
        return list(results), sum(1 for _ in matching)

    def _finds(self, parsed: query_language.ParsedQuery) -> bool:
        if self._ranker is not None:
            return self._ranker.rank(parsed, None, 1).total > 0
        return bool(self.searcher.search(query_language.to_whoosh(parsed), limit=1))

    def _known(self, token: str) -> bool:
        known = self._vocabulary.get(token)
        if known is None:
            reader = self.searcher.reader()
            known = self._vocabulary[token] = any(reader.doc_frequency(f, token) for f in SEARCH_FIELDS)
        return known

    def _close_words(self, word: str) -> list[str]:
        """Indexed words near ``word`` (``close_words`` on each searched field's lexicon)."""
        out: list[str] = []
        for fieldname in SEARCH_FIELDS:
            out.extend(close_words(word, self._lexicon(fieldname)))
        return list(dict.fromkeys(out))[:5]

    def suggest(self, text: str) -> str | None:
        """A corrected query that finds something, where the index can tell one; else None.

        Candidates are the joins of two adjacent tokens (a mistyped "工开" is cut into 工 / 开) and
        the tokens of two or more characters that the index lacks; each is replaced by an indexed
        word of the same length at edit distance 1 (2 for words longer than four characters;
        Latin words may also gain or lose a letter), most frequent first. The first replacement
        with which the query finds results is suggested.
        """
        lowered = text.lower()
        for clause in query_language.parse(text, self.query_segmenter).include:
            tokens = clause.tokens
            candidates = [a + b for a, b in zip(tokens, tokens[1:], strict=False) if 2 <= len(a + b) <= 6]
            candidates += [t for t in tokens if len(t) >= 2]
            for word in dict.fromkeys(candidates):
                if self._known(word) or word not in lowered:
                    continue
                start = lowered.index(word)
                for better in self._close_words(word):
                    corrected = text[:start] + better + text[start + len(word) :]
                    parsed = self.parse(corrected)
                    if not parsed.empty and self._finds(parsed):
                        return corrected
        return None


def _order(hit: Any) -> tuple[int, int]:
    """The tie rule shared with the browser: score rounded to 1e-9, then the lower document number."""
    return (-math.floor(hit.score * 1e9 + 0.5), hit.docnum)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions (optimal string alignment); ``limit + 1``
    when the lengths alone differ by more than ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, rows[i - 2][j - 2] + 1)
            rows[i][j] = value
    return rows[len(a)][len(b)]


def close_words(word: str, lexicon: list[tuple[str, float]]) -> list[str]:
    """The corrections of ``word`` in one field's lexicon (the browser does the same).

    Terms within edit distance 1 (2 for words longer than four characters), the five most frequent
    (then in code-point order); of those, the ones as long as ``word`` — all five for a Latin word
    without any of its length.
    """
    maxdist = 1 if len(word) <= 4 else 2
    options = [
        (term, freq) for term, freq in lexicon
        if term != word and abs(len(term) - len(word)) <= maxdist and edit_distance(word, term, maxdist) <= maxdist
    ]
    options.sort(key=lambda o: (-o[1], o[0]))
    top = [term for term, _ in options[:5]]
    same_length = [t for t in top if len(t) == len(word)]
    return same_length if same_length or not word.isascii() else top
