"""The query language: plain words are ANDed, "quotes" make a phrase, -word excludes.

The query plan, step by step. Each step has a name (``STEPS``, in order); the browser search
(``static/search/query.js``, ``engine.js``) implements the same steps under the same names, and two
golden files, run by both, specify them: ``tests/golden/query_plan.json`` whole queries
(``tests/test_query_plan.py``), ``tests/golden/query_steps.json`` each step's function alone
(``tests/test_query_steps.py``). docs/search.md has the table from the old rule numbers to the names,
and of each step's functions.

``split_clauses``
   The query is split into clauses at spaces; ``"…"`` is one clause (a phrase); a clause
   starting with ``-`` excludes. Curly quotes count as quotes.
``segment_clauses``
   Each clause is segmented in jieba's precise mode on the query dictionary (below).
``split_unknown_tokens``
   A token the index does not have is replaced by the longest indexed words it is made of,
   left to right (中华人民共和国政府 → 中华人民共和国, 政府); characters no indexed word
   covers are dropped; a token with no indexed piece at all is kept (and matches nothing).

Cut edges. Every token is required, except the tokens that may be pieces of words cut by copying,
in a query of three or more tokens (all its including clauses together): text copied from a report
often starts or ends in the middle of a word, whose pieces are not the tokens the text was indexed
with. These are optional (they add to the score where they occur):

``loosen_query_edges``
   The query's first and last token when it has one character or is made of ASCII letters
   and digits (023 of 2023), and whatever it is in a query of four or more tokens (copied text
   rather than typed terms: the text around it may have joined it into another word).
``split_cut_ending``
   The tokens overlapping the query's ending (2 to 8 characters) when that ending is only the
   beginning of a word of the query dictionary (its prefix with frequency 0: 依申请公 of 依申请公开);
   that ending is segmented apart from the text before it (认真贯彻落 → 认真 / 贯彻 / 落, as the
   text 认真贯彻落实 was indexed: 认真 / 贯彻落实), so that a word the ending cut into is not kept.
``loosen_single_characters``
   In a query of four or more tokens, every token of one character (县 of 温县).
``keep_one_required``
   The first of these choices that leaves at least one token required is used: all three above,
   ``loosen_query_edges`` with ``loosen_single_characters``, ``loosen_query_edges`` with
   ``split_cut_ending``, ``loosen_query_edges`` alone.
``expand_cut_edges``
   When the query's first token is a cut piece (by ``loosen_query_edges``) and no punctuation
   stands before it in the query, the indexed words that end with the query's first characters
   (and are longer) are added as optional tokens: those of the longest start of the query, from
   the first token's length up to ``AFFIX_MAX`` = 8 characters (across tokens: 蔡县 of 新蔡县),
   that some indexed word ends with; at most ``AFFIX_WORDS`` = 4 of them, those in the most
   documents first, then in code-point order (024 → 2024, 21 → 2021, 蔡 → 新蔡县). Symmetrically,
   when the last token is a cut piece (by ``loosen_query_edges`` or ``split_cut_ending``) and ends
   the query, the indexed words that begin with the query's last characters (贯彻落 → 贯彻落实). A
   cut piece the index lacks is then replaced by these words (``split_unknown_tokens`` does not
   split it: 0 / 2 / 4 of 024 would match any number).
   ``archive.index.vocabulary.Affixes`` lists the words.
   In a clause not quoted, the tokens inside the matched start (end) are left out of the
   ``sequence`` (``check_phrases``, ``rerank_by_sequence``: the document holds the longer word
   there), and a required token that crosses its boundary keeps only the indexed words of its part
   outside (奇 / 县人民政府 of 阿合奇县人民政府: 人民政府).
``keep_whole_edges``
   The first token of a clause not quoted, an indexed word of two or more characters (not
   ASCII) that ``loosen_query_edges`` made optional only because the query is long, is required
   after all when ``expand_cut_edges`` found no word it may be the end of, or punctuation stands
   before it (公主岭市 of 公主岭市人民政府门户网站（http:/; 日土县人民政府办公室 of
   ，日土县人民政府办公室未收取过).

Matching and order:

``check_phrases``
   A phrase (quoted, two or more tokens) must occur as adjacent words: every pair of neighbouring
   tokens of its ``sequence`` (its tokens from the first to the last that the cut-edge steps did not
   make optional as pieces of cut words by ``loosen_query_edges`` or ``split_cut_ending``, unknown
   tokens replaced by their pieces) must stand at adjacent positions of the analyzer in index mode
   in the document (a word's sub-words share its position: 信息公开 is next to 工作 in
   政府信息公开工作; punctuation takes no position). This is checked on the best
   ``PHRASE_CHECK_LIMIT`` documents by score that match the required words; when more match, the
   rest are not considered (and ``total_capped`` is true).
``exclude_clauses``
   An excluding clause removes the documents that contain all of its tokens.
``rerank_by_sequence``
   Order: by BM25F score (rounded to 1e-9; equal scores: the lower document number first), except
   that when a clause has three or more tokens (a phrase typed or copied without quotes), the first
   ``max(limit, RERANK_DEPTH)`` results are ordered first by how many such clauses occur as adjacent
   words (as in ``check_phrases``), then by the two keys below, then by score; so a sentence copied
   from a section finds that section first.
``rank_edge_neighbours``
   The second key of ``rerank_by_sequence``: how many of the long clauses' cut edges stand next to
   their sequence (the document holds, at adjacent positions, one of the words the edge may be, the
   token just before (after) the sequence or a word of ``expand_cut_edges``, and the sequence's
   first (last) word: ``Clause.neighbours``; a word that more than ``COMMON_MIN`` documents hold
   does not count next to a sequence end in as many: 政府信息公开 工作 of …公开工作, a long list
   that tells little).
``rank_optional_groups``
   The third key: how many of the query's optional tokens a result contains (the words of one cut
   edge of ``expand_cut_edges`` count once, when a result holds any of them:
   ``ParsedQuery.optional_groups``).
``drop_common_words``
   Common words in copied text: in a query of three or more tokens (all its including clauses
   together, as for the cut edges), the words (required or optional, those of ``expand_cut_edges``
   included) of its clauses not quoted that more than ``COMMON_SHARE`` (one in twenty) of all
   documents, and more than ``COMMON_MIN`` (2,000) documents, hold are neither required nor scored,
   except in a clause that would lose all its required words, and unless the query would keep no
   word at all; they stay in the sequence (``check_phrases``, ``rerank_by_sequence``) and are
   highlighted. Such a word (BM25F idf under 4, against 5 to 9 for the words that tell sections
   apart) says little about which section a sentence was copied from, and the browser would read
   its whole list, tens of kilobytes, to score the sentence's candidates (a list of fewer
   documents costs little, and in a small archive one agency's name is in one document in twenty).

Queries are segmented on the query dictionary (``archive.index.vocabulary``): the index's jieba
dictionary restricted to the words the index holds, which gives the index's tokens on the corpus's
text and is what the browser gets. ``check_phrases`` and ``rerank_by_sequence`` use pairs of
adjacent words rather than the literal text so that the browser can check them from exported
postings ("a b" pairs, docs/search-format.md).

Ranking is Whoosh's ``BM25F`` (B=0.75, K1=1.2) on the one field ``content`` (title + text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from whoosh import query as q

from archive.index.analysis import Segmenter, segmenter
from archive.index.schema import SEARCH_FIELD
from archive.index.vocabulary import AFFIX_MAX, AFFIX_WORDS

_CLAUSE = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
OPTIONAL_EDGES_FROM = 3
RERANK_DEPTH = 50
COMMON_SHARE = 0.05
COMMON_MIN = 2000
PHRASE_CHECK_LIMIT = 1000
MAX_CUT_WORD = 8
LONG_QUERY = 4
TRAILING_PUNCTUATION = "，。；、：！？,.;:!?）)”」"

# The steps of the query plan, in order (the module's docstring says what each does; the golden files
# tests/golden/query_plan.json and query_steps.json have cases of each, run by Python and by the browser's engine).
STEPS = {
    "split_clauses": "split the query into clauses: words, phrases in quotes, exclusions after -",
    "segment_clauses": "segment each clause with jieba on the query dictionary",
    "split_unknown_tokens": "replace a token the index lacks by the indexed words it is made of",
    "loosen_query_edges": "make the first and last token optional where copying may have cut them",
    "split_cut_ending": "segment apart an ending that only begins a word, and make it optional",
    "loosen_single_characters": "make the one-character tokens of a long query optional",
    "keep_one_required": "loosen fewer edges when loosening all would leave no token required",
    "expand_cut_edges": "add the indexed words a cut first (last) token may be the end (beginning) of",
    "keep_whole_edges": "require a whole first word that nothing shows was cut",
    "check_phrases": "keep the results where a phrase's words stand at adjacent positions",
    "exclude_clauses": "remove the results that hold every word of an excluding clause",
    "rerank_by_sequence": "rank first the results where a long clause's words stand in sequence",
    "rank_edge_neighbours": "then those where the cut edges stand next to the sequence",
    "rank_optional_groups": "then those holding more of the optional words",
    "drop_common_words": "neither require nor score the words of copied text that most documents hold",
}


@dataclass
class Clause:
    text: str  # as typed, without quotes or minus
    tokens: list[str]
    quoted: bool = False
    negated: bool = False
    edges: set[int] = field(default_factory=set)  # positions of tokens that may be cut pieces
    offsets: list[int] = field(default_factory=list)  # where each token starts in ``text``
    required: list[str] = field(default_factory=list)  # after ``split_unknown_tokens`` and the cut-edge steps
    optional: list[str] = field(default_factory=list)
    cut: set[int] = field(default_factory=set)  # the edges of ``loosen_query_edges`` and ``split_cut_ending``: pieces of cut words
    sequence: list[str] = field(default_factory=list)  # ``check_phrases`` and ``rerank_by_sequence``: the tokens that must stand together
    expansions: list[list[str]] = field(default_factory=list)  # ``expand_cut_edges``: per cut edge, the words it may be part of
    expanded: set[int] = field(default_factory=set)  # the positions of those edges
    whole: set[int] = field(default_factory=set)  # edges of ``loosen_query_edges`` only as words of a long query (``keep_whole_edges``)
    spans: tuple[int, int] = (0, 0)  # ``expand_cut_edges``: characters of the matched start and end
    common: list[str] = field(default_factory=list)  # ``drop_common_words``: words left out as too common
    neighbours: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))  # ``rank_edge_neighbours``: the words a cut edge may be, next to the sequence


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
        return [t for c in self.include for t in [*c.required, *c.optional, *c.common]] or [
            t for c in self.include for t in c.tokens
        ]

    @property
    def optional_groups(self) -> list[tuple[str, ...]]:
        """``rank_optional_groups``: each optional token alone, except the expansions of a cut edge
        (``expand_cut_edges``), which count together (a result has the group when it has any of them)."""
        groups: list[tuple[str, ...]] = []
        for clause in self.include:
            expanded = {w for words in clause.expansions for w in words}
            groups += [(t,) for t in clause.optional if t not in expanded]
            groups += [tuple(words) for words in clause.expansions]
        return list(dict.fromkeys(groups))

    @property
    def phrases(self) -> list[Clause]:
        """``check_phrases``: the quoted clauses of two or more tokens."""
        return [c for c in self.include if c.quoted and len(c.tokens) > 1]

    @property
    def literal_clauses(self) -> list[Clause]:
        """``rerank_by_sequence``: the clauses whose adjacent words lift a result."""
        return [c for c in self.include if len(c.tokens) >= OPTIONAL_EDGES_FROM]

    @property
    def empty(self) -> bool:
        return not self.include


def normalise(text: str) -> str:
    """Lowercase, without whitespace: how phrases are compared with the stored text."""
    return "".join(text.lower().split())


def parse(text: str, seg: Segmenter | None = None) -> ParsedQuery:
    """``split_clauses``, ``segment_clauses`` and the cut-edge steps: split the query into clauses, segment each one, mark the cut edges.

    ``seg``: the query segmenter (``ArchiveSearcher.query_segmenter``); the index's by default.
    """
    seg = seg or segmenter()
    parsed = segment_clauses(text, seg)
    split_cut_ending(parsed, seg)
    mark_cut_edges(parsed, seg.freq)
    return parsed


def split_clauses(text: str) -> list[tuple[str, bool, bool]]:
    """``split_clauses``: each clause's text (without quotes or minus), whether it is quoted, whether it excludes."""
    clauses = []
    for match in _CLAUSE.finditer(text.replace("“", '"').replace("”", '"')):
        quoted = match.group(2) is not None
        body = (match.group(2) if quoted else match.group(4)) or ""
        clauses.append((body, quoted, bool(match.group(1) or match.group(3))))
    return clauses


def segment_clauses(text: str, seg: Segmenter) -> ParsedQuery:
    """``split_clauses`` and ``segment_clauses``: the query's clauses, each segmented (a clause without
    any word is left out)."""
    parsed = ParsedQuery()
    for body, quoted, negated in split_clauses(text):
        cut = list(seg.cut(body))
        if cut:
            parsed.clauses.append(Clause(body, [t for t, _ in cut], quoted, negated, offsets=[o for _, o in cut]))
    return parsed


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def cut_ending_start(clause: Clause, freq: dict[str, int]) -> int | None:
    """``split_cut_ending``: where the clause's ending that is only the beginning of a dictionary word starts."""
    ending = clause.text.rstrip().rstrip(TRAILING_PUNCTUATION)
    for size in range(min(MAX_CUT_WORD, len(ending)), 1, -1):
        if freq.get(ending[-size:]) == 0:
            return len(ending) - size
    return None


def split_cut_ending(parsed: ParsedQuery, seg: Segmenter) -> None:
    """``split_cut_ending``: in a query of three or more tokens, the ending that is only the beginning of a
    word is segmented apart from the text before it (认真贯彻落 of 认真贯彻落实: 认真 / 贯彻 / 落,
    as the text was indexed: 认真 / 贯彻落实)."""
    clauses = parsed.include
    if sum(len(c.tokens) for c in clauses) < OPTIONAL_EDGES_FROM:
        return
    last = clauses[-1]
    start = cut_ending_start(last, seg.freq)
    if start is None or not any(o < start < o + len(t) for t, o in zip(last.tokens, last.offsets, strict=True)):
        return
    cut = [(t, o) for t, o in seg.cut(last.text[:start])] + [(t, start + o) for t, o in seg.cut(last.text[start:])]
    last.tokens = [t for t, _ in cut]
    last.offsets = [o for _, o in cut]


def _token_count(clauses: list[Clause]) -> int:
    return sum(len(c.tokens) for c in clauses)


def loosen_query_edges(clauses: list[Clause]) -> list[set[int]]:
    """``loosen_query_edges``: per included clause, the positions of the query's first and last token
    where copying may have cut them (one character, ASCII letters and digits, or any in a long query)."""
    edges: list[set[int]] = [set() for _ in clauses]
    count = _token_count(clauses)
    if count < OPTIONAL_EDGES_FROM:
        return edges
    long = count >= LONG_QUERY

    def cuttable(token: str) -> bool:
        return len(token) == 1 or bool(_ASCII_WORD.fullmatch(token)) or long

    if cuttable(clauses[0].tokens[0]):
        edges[0].add(0)
    if cuttable(clauses[-1].tokens[-1]):
        edges[-1].add(len(clauses[-1].tokens) - 1)
    return edges


def cut_ending_edges(clauses: list[Clause], freq: dict[str, int]) -> list[set[int]]:
    """``split_cut_ending``: per included clause, the positions of the tokens overlapping the query's
    ending that is only the beginning of a dictionary word."""
    edges: list[set[int]] = [set() for _ in clauses]
    if _token_count(clauses) < OPTIONAL_EDGES_FROM:
        return edges
    last = clauses[-1]
    start = cut_ending_start(last, freq)
    if start is not None:
        edges[-1] |= {i for i, offset in enumerate(last.offsets) if offset + len(last.tokens[i]) > start}
    return edges


def loosen_single_characters(clauses: list[Clause]) -> list[set[int]]:
    """``loosen_single_characters``: per included clause, in a query of LONG_QUERY or more tokens, the
    positions of its tokens of one character."""
    if _token_count(clauses) < LONG_QUERY:
        return [set() for _ in clauses]
    return [{i for i, t in enumerate(clause.tokens) if len(t) == 1} for clause in clauses]


def keep_one_required(
    clauses: list[Clause], query_edges: list[set[int]], cut_ending: list[set[int]], single_characters: list[set[int]]
) -> None:
    """``keep_one_required``: set each clause's edges (and of them its cut pieces and whole first word) from
    the first choice of the steps' edges that leaves at least one token required."""
    count = _token_count(clauses)
    first = clauses[0]
    for layers in ((query_edges, cut_ending, single_characters), (query_edges, single_characters),
                   (query_edges, cut_ending), (query_edges,)):
        chosen = [set().union(*(layer[k] for layer in layers)) for k in range(len(clauses))]
        if sum(len(e) for e in chosen) < count:
            for k, clause in enumerate(clauses):
                clause.edges = chosen[k]
                clause.cut = set().union(*(layer[k] for layer in layers if layer is not single_characters))
                clause.whole = {
                    i for i in query_edges[k] - cut_ending[k]
                    if i == 0 and clause is first and not clause.quoted and len(clause.tokens[i]) > 1
                    and not _ASCII_WORD.fullmatch(clause.tokens[i])
                }
            return


def mark_cut_edges(parsed: ParsedQuery, freq: dict[str, int]) -> None:
    """The cut-edge steps: mark the tokens that may be pieces of words cut by copying."""
    clauses = parsed.include
    if _token_count(clauses) < OPTIONAL_EDGES_FROM:
        return
    keep_one_required(
        clauses, loosen_query_edges(clauses), cut_ending_edges(clauses, freq), loosen_single_characters(clauses)
    )


def split_unknown(token: str, known: Callable[[str], bool]) -> list[str]:
    """``split_unknown_tokens``: the longest indexed words ``token`` is made of, left to right."""
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


def resolve(parsed: ParsedQuery, known: Callable[[str], bool], affixes: AffixLookup | None = None) -> ParsedQuery:
    """``split_unknown_tokens`` and the cut-edge steps: fill each clause's required and optional tokens, and its sequence (``check_phrases``);
    with ``affixes``, the expansions of the cut edges (``expand_cut_edges``)."""
    if affixes is not None:
        expand_cut_edges(parsed, affixes)
        keep_whole_edges(parsed, known)
    for clause in parsed.clauses:
        tokens = clause.tokens
        optional_at = clause.edges
        pieces = [split_unknown(t, known) for t in tokens]
        for i in clause.expanded:
            if not known(tokens[i]):
                pieces[i] = []  # ``expand_cut_edges``: an unknown cut piece is replaced by the words it may be part of
        head, tail = clause.spans
        outside = set(range(len(tokens)))
        for i, (token, offset) in enumerate(zip(tokens, clause.offsets, strict=True)):
            end = offset + len(token)
            if head and offset < head:  # ``expand_cut_edges``: inside the word the start was cut from
                outside.discard(i)
                if end > head and i not in optional_at:
                    pieces[i] = split_unknown(token[head - offset :], known)
                    outside.add(i)
            if tail and end > len(clause.text) - tail:
                outside.discard(i)
                if offset < len(clause.text) - tail and i not in optional_at:
                    pieces[i] = split_unknown(token[: len(clause.text) - tail - offset], known)
                    outside.add(i)
        kept = [i for i in range(len(tokens)) if i not in clause.cut and i in outside]
        low, high = (kept[0], kept[-1]) if kept else (0, -1)
        clause.required = [p for i, ps in enumerate(pieces) if i not in optional_at for p in ps]
        clause.optional = [p for i, ps in enumerate(pieces) if i in optional_at for p in ps]
        for word in (w for words in clause.expansions for w in words):
            if word not in clause.optional:
                clause.optional.append(word)
        clause.sequence = [p for i, ps in enumerate(pieces) if low <= i <= high for p in ps]
        clause.neighbours = edge_neighbours(clause, pieces, low, high)
    return parsed


def edge_neighbours(clause: Clause, pieces: list[list[str]], low: int, high: int) -> tuple[list[str], list[str]]:
    """``rank_edge_neighbours``: the words that may stand just before (after) the clause's sequence in the
    text it was copied from: the token before (after) it and the words its cut edge may be part of."""
    if not clause.sequence:
        return [], []
    last = len(clause.tokens) - 1
    expansions = iter(clause.expansions)
    before = next(expansions) if 0 in clause.expanded else []
    after = next(expansions, []) if last in clause.expanded else []
    left = [*before, *(pieces[low - 1][-1:] if low > 0 else [])]
    right = [*after, *(pieces[high + 1][:1] if high < last else [])]
    return list(dict.fromkeys(left)), list(dict.fromkeys(right))


def drop_common(parsed: ParsedQuery, documents: Callable[[str], int], total: int) -> ParsedQuery:
    """``drop_common_words``: in a query of OPTIONAL_EDGES_FROM or more tokens, leave out of its clauses not quoted
    the words more than COMMON_SHARE of the ``total`` documents and more than COMMON_MIN documents
    hold (``documents(word)``: how many hold it); a clause that would lose all its required words
    keeps its words, and nothing is left out when the query would keep no word at all."""
    if sum(len(c.tokens) for c in parsed.include) < OPTIONAL_EDGES_FROM:
        return parsed
    floor = max(total * COMMON_SHARE, COMMON_MIN)
    changes: dict[int, tuple[Clause, list[str], list[str], list[str]]] = {}  # id → clause, common, required, optional
    for clause in parsed.include:
        if clause.quoted:
            continue
        common = [t for t in dict.fromkeys([*clause.required, *clause.optional]) if documents(t) > floor]
        required = [t for t in clause.required if t not in common]
        if common and (required or not clause.required):
            changes[id(clause)] = (clause, common, required, [t for t in clause.optional if t not in common])
    left = [changes[id(c)][2:] if id(c) in changes else (c.required, c.optional) for c in parsed.include]
    if not any(required or optional for required, optional in left):
        return parsed
    for clause, common, required, optional in changes.values():
        clause.common, clause.required, clause.optional = common, required, optional
        clause.expansions = [kept for words in clause.expansions if (kept := [w for w in words if w not in common])]
    return parsed


class AffixLookup(Protocol):
    """The indexed words that end (begin) with a string: ``archive.index.vocabulary.Affixes``."""

    def ending_with(self, text: str) -> list[str]: ...

    def beginning_with(self, text: str) -> list[str]: ...


def _edge_words(texts: list[str], lookup: Callable[[str], list[str]]) -> tuple[list[str], int]:
    """The words ``lookup`` finds for the first of ``texts`` (longest first) that it finds any for,
    and that text's length."""
    for text in texts:
        found = list(dict.fromkeys(lookup(text.lower())))[:AFFIX_WORDS]
        if found:
            return found, len(text)
    return [], 0


def expand_cut_edges(parsed: ParsedQuery, affixes: AffixLookup) -> None:
    """``expand_cut_edges``: the indexed words that a cut first (last) token may be the end (beginning) of."""
    clauses = parsed.include
    if not clauses:
        return
    first, last = clauses[0], clauses[-1]
    # a token that punctuation separates from the query's edge was not cut
    if 0 in first.cut and first.offsets[0] == 0:
        start = first.offsets[0]
        size = len(first.tokens[0])
        head = first.text[start : start + max(size, AFFIX_MAX)]
        words, span = _edge_words([head[:k] for k in range(len(head), size - 1, -1)], affixes.ending_with)
        if words:
            first.expansions.append(words)
            first.expanded.add(0)
            if not first.quoted:  # a typed phrase keeps its sequence (``check_phrases``)
                first.spans = (span, first.spans[1])
    if len(last.tokens) - 1 in last.cut and last.offsets[-1] + len(last.tokens[-1]) == len(last.text):
        size = len(last.tokens[-1])
        end = last.offsets[-1] + size
        tail = last.text[max(0, end - max(size, AFFIX_MAX)) : end]
        words, span = _edge_words([tail[-k:] for k in range(len(tail), size - 1, -1)], affixes.beginning_with)
        if words:
            last.expansions.append(words)
            last.expanded.add(len(last.tokens) - 1)
            if not last.quoted:
                last.spans = (last.spans[0], span)


def keep_whole_edges(parsed: ParsedQuery, known: Callable[[str], bool]) -> None:
    """``keep_whole_edges``: an edge of ``loosen_query_edges`` that is an indexed word of two or more characters (not ASCII),
    optional only because the query is long, is required when ``expand_cut_edges`` found no word it may be
    a piece of (or punctuation separates it from the query's edge)."""
    for clause in parsed.include:
        for i in list(clause.whole):
            if i not in clause.expanded and known(clause.tokens[i]):
                clause.edges.discard(i)
                clause.cut.discard(i)


def _term(token: str) -> q.Query:
    return q.Term(SEARCH_FIELD, token)


def _all_of(tokens: list[str]) -> q.Query:
    unique = list(dict.fromkeys(tokens))
    return q.And([_term(t) for t in unique]) if len(unique) > 1 else _term(unique[0])


def to_whoosh(parsed: ParsedQuery) -> q.Query:
    """The required words and ``exclude_clauses`` as a Whoosh query (``check_phrases`` is checked on the results: ``matches_phrases``)."""
    required = [t for c in parsed.include for t in c.required]
    optional = [t for c in parsed.include for t in c.optional if t not in required]
    if required:
        positive: q.Query = _all_of(required)
        if optional:
            positive = q.AndMaybe(positive, q.Or([_term(t) for t in dict.fromkeys(optional)]))
    else:
        positive = q.Or([_term(t) for t in dict.fromkeys(optional)])
    if parsed.exclude:
        return q.AndNot(positive, q.Or([_all_of(words) for words in exclusion_groups(parsed)]))
    return positive


def exclusion_groups(parsed: ParsedQuery) -> list[list[str]]:
    """``exclude_clauses``: per excluding clause, the words (each once) a document must all hold to be removed."""
    return [list(dict.fromkeys(c.required)) for c in parsed.exclude]


def adjacent_pairs(text: str, seg: Segmenter | None = None, memo: bool = True) -> frozenset[str]:
    """The pairs "a b" of words at adjacent positions of the analyzer in index mode on ``text``
    (a word's sub-words share its position, so each pairs with the word's neighbours)."""
    at: list[list[str]] = []
    for word, start, _end in (seg or segmenter()).index_tokens(text, memo):
        if start >= 0:
            at.append([word])
        elif at:
            at[-1].append(word)
    return frozenset(f"{a} {b}" for left, right in zip(at, at[1:], strict=False) for a in left for b in right)


def sequence_pairs(clause: Clause) -> list[str]:
    """The pairs of neighbouring tokens of a clause's sequence."""
    seq = clause.sequence
    return [f"{a} {b}" for a, b in zip(seq, seq[1:], strict=False)]


def matches_phrases(parsed: ParsedQuery, pairs: frozenset[str]) -> bool:
    """``check_phrases``, on the document's ``adjacent_pairs``."""
    return all(p in pairs for clause in parsed.phrases for p in sequence_pairs(clause))


def literal_count(parsed: ParsedQuery, pairs: frozenset[str]) -> int:
    """``rerank_by_sequence``: how many of the query's long clauses occur as adjacent words in the document."""
    return sum(1 for clause in parsed.literal_clauses if all(p in pairs for p in sequence_pairs(clause)))


def drop_common_neighbours(parsed: ParsedQuery, documents: Callable[[str], int]) -> ParsedQuery:
    """``rank_edge_neighbours``: a word that more than COMMON_MIN documents hold is no neighbour of a
    sequence end that as many hold (``documents(word)``: how many hold it; the pair is a long list
    that tells little)."""
    for clause in parsed.include:
        if clause.sequence:
            left, right = clause.neighbours
            clause.neighbours = (
                [w for w in left if min(documents(w), documents(clause.sequence[0])) <= COMMON_MIN],
                [w for w in right if min(documents(w), documents(clause.sequence[-1])) <= COMMON_MIN],
            )
    return parsed


def neighbour_pairs(clause: Clause) -> list[list[str]]:
    """``rank_edge_neighbours``: per cut edge of the clause, the pairs of a word it may be with the
    sequence's first (last) word."""
    left, right = clause.neighbours
    groups = [[f"{w} {clause.sequence[0]}" for w in left]] if left else []
    return groups + ([[f"{clause.sequence[-1]} {w}" for w in right]] if right else [])


def edge_count(parsed: ParsedQuery, pairs: frozenset[str]) -> int:
    """``rank_edge_neighbours``: how many cut edges of the query's long clauses stand next to their
    sequence in the document (as one of the words the edge may be)."""
    return sum(
        1 for clause in parsed.literal_clauses for group in neighbour_pairs(clause) if any(p in pairs for p in group)
    )


def sequence_ranks(parsed: ParsedQuery, pairs: frozenset[str], holds: Callable[[str], bool]) -> tuple[int, int, int]:
    """The keys of ``rerank_by_sequence`` (``literal_count``), ``rank_edge_neighbours`` (``edge_count``) and
    ``rank_optional_groups`` (how many optional groups it holds) of a document, from its ``adjacent_pairs``
    and whether it ``holds`` an indexed word: the larger first."""
    groups = sum(1 for group in parsed.optional_groups if any(holds(t) for t in group))
    return literal_count(parsed, pairs), edge_count(parsed, pairs), groups
