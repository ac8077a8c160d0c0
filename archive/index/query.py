"""The query language: plain words are ANDed, "quotes" make a phrase, -word excludes.

Each word or phrase is segmented with the index's analyzer in query mode and matched in the
``title`` and ``text`` fields (BM25F over both). A word that jieba cuts into several tokens
("依申请公开答复" → 依申请公开 / 答复) requires every token, in any order; a quoted phrase
requires them next to each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from archive.index.analysis import segmenter
from archive.index.schema import SEARCH_FIELDS

_CLAUSE = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


@dataclass
class ParsedQuery:
    include: list[list[str]] = field(default_factory=list)  # each clause: its tokens
    phrases: list[bool] = field(default_factory=list)  # per include clause: quoted
    exclude: list[list[str]] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Every token the results must contain (what snippets highlight)."""
        return [t for clause in self.include for t in clause]

    @property
    def empty(self) -> bool:
        return not self.include


def parse(text: str) -> ParsedQuery:
    """Split the query into clauses and segment each one."""
    parsed = ParsedQuery()
    seg = segmenter()
    for match in _CLAUSE.finditer(text.replace("“", '"').replace("”", '"')):
        negate = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        body = match.group(2) if quoted else match.group(4)
        tokens = seg.query_tokens(body or "")
        if not tokens:
            continue
        if negate:
            parsed.exclude.append(tokens)
        else:
            parsed.include.append(tokens)
            parsed.phrases.append(quoted)
    return parsed


def _any_field(token: str) -> q.Query:
    return q.Or([q.Term(f, token) for f in SEARCH_FIELDS])


def _phrase_any_field(tokens: list[str]) -> q.Query:
    if len(tokens) == 1:
        return _any_field(tokens[0])
    return q.Or([q.Phrase(f, tokens) for f in SEARCH_FIELDS])


def to_whoosh(parsed: ParsedQuery) -> q.Query:
    clauses: list[q.Query] = []
    for tokens, quoted in zip(parsed.include, parsed.phrases, strict=True):
        if quoted:
            clauses.append(_phrase_any_field(tokens))
        else:
            clauses.extend(_any_field(t) for t in tokens)
    positive: q.Query = q.And(clauses) if len(clauses) > 1 else clauses[0]
    if parsed.exclude:
        return q.AndNot(positive, q.Or([_phrase_any_field(tokens) for tokens in parsed.exclude]))
    return positive
