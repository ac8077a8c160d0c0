"""Search the current generation of an index: filters, ranking (BM25F), snippets, suggestions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from archive.errors import ArchiveError
from archive.index import query as query_language
from archive.index import store
from archive.index.analysis import use_dictionary
from archive.index.schema import SEARCH_FIELDS
from archive.index.snippet import Fragment, fragments

KINDS = ("section", "table_row")


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

    def __init__(self, index_dir: Path) -> None:
        generation = store.current_generation(Path(index_dir))
        if generation is None:
            raise NoIndexError(f"{index_dir} 中还没有索引，请先运行 archive ingest。")
        self.generation = generation
        self.manifest = store.read_manifest(generation)
        if self.manifest.get("format") != store.MANIFEST_FORMAT:
            raise NoIndexError(f"{index_dir} 中的索引是旧版本建立的，请重新运行 archive ingest。")
        use_dictionary(self.manifest["words"], Path(index_dir))
        self.index = whoosh_index.open_dir(str(generation / store.WHOOSH_DIR))
        self.searcher: Searcher = self.index.searcher(weighting=BM25F())
        self._vocabulary: dict[str, bool] = {}
        self._lexicons: dict[str, list[str]] = {}

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

    def parse(self, text: str) -> query_language.ParsedQuery:
        return query_language.resolve(query_language.parse(text), self._known)

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
        if filter_query is not None:
            # a required clause that scores nothing: the matcher skips to the few documents the
            # filter allows, instead of scoring every match and checking each against a filter set
            whoosh_query = q.And([whoosh_query, q.ConstantScoreQuery(filter_query, 0.0)])
        rerank = bool(parsed.literal_clauses)
        if parsed.phrases:
            # rule 5 needs each candidate's stored text: the best PHRASE_CHECK_LIMIT candidates are checked
            results = self.searcher.search(whoosh_query, limit=query_language.PHRASE_CHECK_LIMIT)
            hits = [
                h for h in results if query_language.matches_phrases(parsed, h.get("title", ""), h.get("text", ""))
            ]
            response.total = len(hits)
            response.total_capped = results.scored_length() < len(results)
        else:
            depth = max(limit, query_language.RERANK_DEPTH) if rerank else limit
            results = self.searcher.search(whoosh_query, limit=depth)
            response.total = len(results)
            hits = list(results)
        if rerank:
            head = hits[: max(limit, query_language.RERANK_DEPTH)]
            head.sort(key=lambda h: -query_language.literal_count(parsed, h.get("title", ""), h.get("text", "")))
            hits = head
        hits = hits[:limit]
        for hit in hits:
            stored = hit.fields()
            snippet = fragments(stored.get("text") or stored.get("title", ""), parsed.terms)
            response.hits.append(Hit(stored, hit.score, snippet))
        if response.total == 0:
            response.suggestion = self.suggest(text)
        return response

    def _known(self, token: str) -> bool:
        known = self._vocabulary.get(token)
        if known is None:
            reader = self.searcher.reader()
            known = self._vocabulary[token] = any(reader.doc_frequency(f, token) for f in SEARCH_FIELDS)
        return known

    def _close_words(self, word: str) -> list[str]:
        maxdist = 1 if len(word) <= 4 else 2
        out: list[str] = []
        for fieldname in SEARCH_FIELDS:
            options = [o for o in self.searcher.corrector(fieldname).suggest(word, limit=5, maxdist=maxdist) if o != word]
            same_length = [o for o in options if len(o) == len(word)]
            out.extend(same_length if same_length or not word.isascii() else options)
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
        for clause in query_language.parse(text).include:
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
                    if not parsed.empty and self.searcher.search(query_language.to_whoosh(parsed), limit=1):
                        return corrected
        return None
