"""The query language: plain words are ANDed, "quotes" make a phrase, -word excludes.

The rules (the browser search, issue 5, implements the same):

1. The query is split into clauses at spaces; ``"…"`` is one clause (a phrase); a clause
   starting with ``-`` excludes. Curly quotes count as quotes.
2. Each clause is segmented with the index's analyzer in query mode (jieba precise mode).
3. A token the index does not have is replaced by the longest indexed words it is made of,
   left to right (中华人民共和国政府 → 中华人民共和国, 政府); characters no indexed word
   covers are dropped; a token with no indexed piece at all is kept (and matches nothing).
4. Every token is required (in the ``content`` field: title and text), except at the edges of a query of three
   or more tokens (all its including clauses together): text copied from a report often starts
   or ends in the middle of a word, whose pieces are not the tokens the text was indexed with.
   There the query's first and last token are optional if they have one character, and so
   are the tokens within the query's longest ending (2 to 8 characters) that is only the
   beginning of a dictionary word (in jieba's prefix dictionary with frequency 0: "依申请公" of
   依申请公开). In a query of five or more tokens (copied text rather than typed terms) the
   first and the last token are optional whatever their length, as the text around them may
   have joined them into other words. Optional tokens add to the score where they occur.
5. A phrase must also occur literally (ignoring case and spaces) in the title or the text. This
   is checked on the stored text of the best ``PHRASE_CHECK_LIMIT`` documents by score that
   match rule 4; when more match, the rest are not considered (and ``total_capped`` is true).
6. An excluding clause removes the documents that contain all of its tokens.
7. Order: by BM25F score, except that when a clause has three or more tokens (a phrase typed
   or copied without quotes), the first ``RERANK_DEPTH`` results are ordered first by how many
   such clauses occur literally in them (ignoring case and spaces), then by score; so a
   sentence copied from a section finds that section first.

Ranking is Whoosh's ``BM25F`` (B=0.75, K1=1.2) on the one field ``content`` (title + text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as q

from archive.index.analysis import segmenter
from archive.index.schema import SEARCH_FIELD

_CLAUSE = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
OPTIONAL_EDGES_FROM = 3
RERANK_DEPTH = 50
PHRASE_CHECK_LIMIT = 1000
MAX_CUT_WORD = 8
LONG_QUERY = 5
TRAILING_PUNCTUATION = "，。；、：！？,.;:!?）)”」"


@dataclass
class Clause:
    text: str  # as typed, without quotes or minus
    tokens: list[str]
    quoted: bool = False
    negated: bool = False
    edges: set[int] = field(default_factory=set)  # positions of tokens that may be cut pieces
    offsets: list[int] = field(default_factory=list)  # where each token starts in ``text``
    required: list[str] = field(default_factory=list)  # after rule 3 and 4
    optional: list[str] = field(default_factory=list)


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def include(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def exclude(self) -> list[Clause]:
        return [c for c in self.clauses if c.negated]

    @property
    def terms(self) -> list[str]:
        """The tokens a result may contain (what snippets highlight)."""
        return [t for c in self.include for t in [*c.required, *c.optional]] or [
            t for c in self.include for t in c.tokens
        ]

    @property
    def phrases(self) -> list[str]:
        return [normalise(c.text) for c in self.include if c.quoted and len(c.tokens) > 1]

    @property
    def literal_clauses(self) -> list[str]:
        """Rule 7: the clauses whose literal occurrence lifts a result."""
        return [normalise(c.text) for c in self.include if len(c.tokens) >= OPTIONAL_EDGES_FROM]

    @property
    def empty(self) -> bool:
        return not self.include


def normalise(text: str) -> str:
    """Lowercase, without whitespace: how phrases are compared with the stored text."""
    return "".join(text.lower().split())


def parse(text: str) -> ParsedQuery:
    """Rules 1, 2 and 4: split the query into clauses, segment each one, mark the cut edges."""
    parsed = ParsedQuery()
    seg = segmenter()
    for match in _CLAUSE.finditer(text.replace("“", '"').replace("”", '"')):
        negated = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        body = (match.group(2) if quoted else match.group(4)) or ""
        cut = list(seg.cut(body))
        if cut:
            clause = Clause(body, [t for t, _ in cut], quoted, negated)
            clause.offsets = [offset for _, offset in cut]
            parsed.clauses.append(clause)
    mark_cut_edges(parsed, seg.freq)
    return parsed


def mark_cut_edges(parsed: ParsedQuery, freq: dict[str, int]) -> None:
    """Rule 4: mark the tokens at the query's edges that may be pieces of a cut word."""
    clauses = parsed.include
    count = sum(len(c.tokens) for c in clauses)
    if count < OPTIONAL_EDGES_FROM:
        return
    first, last = clauses[0], clauses[-1]
    if len(first.tokens[0]) == 1 or count >= LONG_QUERY:
        first.edges.add(0)
    if len(last.tokens[-1]) == 1 or count >= LONG_QUERY:
        last.edges.add(len(last.tokens) - 1)
    ending = last.text.rstrip().rstrip(TRAILING_PUNCTUATION)
    for size in range(min(MAX_CUT_WORD, len(ending)), 1, -1):
        if freq.get(ending[-size:]) == 0:
            start = len(ending) - size
            last.edges |= {i for i, offset in enumerate(last.offsets) if offset >= start}
            break
    if sum(len(c.edges) for c in clauses) >= count:
        for clause in clauses:
            clause.edges.clear()


def split_unknown(token: str, known: Callable[[str], bool]) -> list[str]:
    """Rule 3: the longest indexed words ``token`` is made of, left to right."""
    if known(token):
        return [token]
    pieces, i = [], 0
    while i < len(token):
        for j in range(len(token), i, -1):
            if known(token[i:j]):
                pieces.append(token[i:j])
                i = j
                break
        else:
            i += 1
    return pieces or [token]


def resolve(parsed: ParsedQuery, known: Callable[[str], bool]) -> ParsedQuery:
    """Rules 3 and 4: fill each clause's required and optional tokens."""
    for clause in parsed.clauses:
        tokens = clause.tokens
        optional_at = clause.edges
        clause.required = [p for i, t in enumerate(tokens) if i not in optional_at for p in split_unknown(t, known)]
        clause.optional = [p for i, t in enumerate(tokens) if i in optional_at for p in split_unknown(t, known)]
    return parsed


def _term(token: str) -> q.Query:
    return q.Term(SEARCH_FIELD, token)


def _all_of(tokens: list[str]) -> q.Query:
    unique = list(dict.fromkeys(tokens))
    return q.And([_term(t) for t in unique]) if len(unique) > 1 else _term(unique[0])


def to_whoosh(parsed: ParsedQuery) -> q.Query:
    """Rules 4 and 6 as a Whoosh query (rule 5 is checked on the results: ``matches_phrases``)."""
    required = [t for c in parsed.include for t in c.required]
    optional = [t for c in parsed.include for t in c.optional if t not in required]
    if required:
        positive: q.Query = _all_of(required)
        if optional:
            positive = q.AndMaybe(positive, q.Or([_term(t) for t in dict.fromkeys(optional)]))
    else:
        positive = q.Or([_term(t) for t in dict.fromkeys(optional)])
    if parsed.exclude:
        return q.AndNot(positive, q.Or([_all_of(c.required) for c in parsed.exclude]))
    return positive


def matches_phrases(parsed: ParsedQuery, title: str, text: str) -> bool:
    """Rule 5."""
    phrases = parsed.phrases
    if not phrases:
        return True
    haystack = normalise(title) + "\n" + normalise(text)
    return all(p in haystack for p in phrases)


def literal_count(parsed: ParsedQuery, title: str, text: str) -> int:
    """Rule 7: how many of the query's long clauses occur literally in the title or the text."""
    clauses = parsed.literal_clauses
    if not clauses:
        return 0
    haystack = normalise(title) + "\n" + normalise(text)
    return sum(1 for c in clauses if c in haystack)
