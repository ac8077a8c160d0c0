"""The query-time dictionary: jieba's words restricted to the index's vocabulary.

A query is segmented with jieba (precise mode, no HMM) on the dictionary of the index
(``archive.index.analysis``) **restricted to the words the index holds** (and the single
characters of the corpus, with their weights): the same algorithm, the same weights (``log(freq) - log(total)``
with the full dictionary's total), fewer words. On text of the corpus this gives exactly the
index's tokens: the route jieba chose there is made only of kept words, and removing words only
removes other routes. On other text it can only differ where the full dictionary would have
chosen a word the index does not hold, which no document could match as a whole anyway (``split_unknown_tokens``
of ``archive.index.query`` splits such words). The browser (``site_builder/search``) gets this
dictionary: a few thousand words instead of 350,000, a few hundred bytes per query.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jieba

from archive.index.analysis import Segmenter

_BLOCK_SYMBOLS = "+#&._%-"  # inside jieba's blocks of text, but never in an index token


def restricted_tokenizer(full: jieba.Tokenizer, vocabulary: Iterable[str]) -> jieba.Tokenizer:
    """A ``jieba.Tokenizer`` with ``full``'s words that are in ``vocabulary`` (compared lowercased),
    its single characters that occur in the vocabulary's words (digits of 2023 are chosen one by
    one before jieba joins them) or are symbols of jieba's text blocks, their frequencies, the
    prefixes jieba needs, and ``full``'s total."""
    full.check_initialized()
    keep = {w.lower() for w in vocabulary}
    chars = {ch for w in keep for ch in w} | set(_BLOCK_SYMBOLS)
    freq: dict[str, int] = {}
    for word, count in full.FREQ.items():
        if count and (word.lower() in keep or (len(word) == 1 and word.lower() in chars)):
            freq[word] = count
    for word in list(freq):
        for i in range(1, len(word)):
            freq.setdefault(word[:i], 0)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = freq
    tokenizer.total = full.total
    tokenizer.initialized = True
    return tokenizer


class QuerySegmenter(Segmenter):
    """``Segmenter.cut`` (and ``freq``) on the restricted dictionary; what queries are segmented with.

    An ingest keeps it beside the index it wrote (``save``), so that a search opens it in a few
    milliseconds (``load``) instead of loading jieba's whole dictionary and the index's vocabulary.
    """

    def __init__(self, tokenizer: jieba.Tokenizer, words: list[str], key: str) -> None:  # noqa: D107
        self.words = words
        self.key = key
        self.tokenizer = tokenizer
        self.freq = self.tokenizer.FREQ

    @classmethod
    def restricted(cls, index_segmenter: Segmenter, vocabulary: Iterable[str]) -> QuerySegmenter:
        """The index segmenter's dictionary restricted to ``vocabulary``."""
        tokenizer = restricted_tokenizer(index_segmenter.tokenizer, vocabulary)
        return cls(tokenizer, index_segmenter.words, index_segmenter.key)

    def save(self, path: Path) -> None:
        with open(path, "wb") as fh:
            marshal.dump((self.key, self.words, self.tokenizer.FREQ, self.tokenizer.total), fh)

    @classmethod
    def load(cls, path: Path, key: str) -> QuerySegmenter | None:
        """The dictionary an ingest saved for the words whose key is ``key``; None where there is none."""
        try:
            with open(path, "rb") as fh:
                saved_key, words, freq, total = marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if saved_key != key:
            return None
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
        return cls(tokenizer, words, key)

    def index_tokens(self, text: str) -> list[tuple[str, int, int]]:  # pragma: no cover - queries only
        raise TypeError("the query dictionary does not segment documents")

    def cut(self, text: str) -> Iterator[tuple[str, int]]:
        return Segmenter.cut(self, text)


AFFIX_MAX = 8  # ``expand_cut_edges``: the longest query start (end) looked up among the words' suffixes (prefixes)
AFFIX_WORDS = 4  # ``expand_cut_edges``: the words kept per suffix (prefix), and the expansions of a cut edge


def indexed_words(reader: Any, fields: Iterable[str]) -> list[tuple[str, int]]:
    """(word, document frequency) of every term of ``fields`` of a Whoosh reader, the frequencies
    of a word in several fields added (Whoosh's ``doc_frequency``: deleted documents included)."""
    df: dict[str, int] = {}
    for name in fields:
        for btext, info in reader.iter_field(name):
            word = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            df[word] = df.get(word, 0) + info.doc_frequency()
    return sorted(df.items())


def _best(table: dict[str, list[tuple[int, str]]]) -> dict[str, list[str]]:
    return {
        affix: [w for _, w in sorted(words, key=lambda item: (-item[0], item[1]))[:AFFIX_WORDS]]
        for affix, words in table.items()
    }


class Affixes:
    """``expand_cut_edges`` of ``archive.index.query``: the indexed words that end (begin) with a string.

    ``ending_with(s)``: the words of which ``s`` is a proper suffix (the word is longer), for
    ``s`` of 1 to ``AFFIX_MAX`` characters; the ``AFFIX_WORDS`` with the highest document
    frequency, then in code-point order. ``beginning_with(s)`` the same for prefixes. The browser
    gets these lists as they are (``site_builder/search/affixes.py``). ``words``: (word, document
    frequency) pairs, or a function giving them, called on the first look-up (most queries make none).
    """

    def __init__(self, words: Iterable[tuple[str, int]] | Callable[[], Iterable[tuple[str, int]]]) -> None:  # noqa: D107
        self._words = words
        self._tables: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None

    def _build(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        if self._tables is None:
            words = self._words() if callable(self._words) else self._words
            suffixes: dict[str, list[tuple[int, str]]] = {}
            prefixes: dict[str, list[tuple[int, str]]] = {}
            for word, df in words:
                for size in range(1, min(AFFIX_MAX, len(word) - 1) + 1):
                    suffixes.setdefault(word[-size:], []).append((df, word))
                    prefixes.setdefault(word[:size], []).append((df, word))
            self._tables = _best(suffixes), _best(prefixes)
        return self._tables

    @property
    def suffixes(self) -> dict[str, list[str]]:
        """Each proper suffix → its best words."""
        return self._build()[0]

    @property
    def prefixes(self) -> dict[str, list[str]]:
        """Each proper prefix → its best words."""
        return self._build()[1]

    def ending_with(self, text: str) -> list[str]:
        return self.suffixes.get(text, [])

    def beginning_with(self, text: str) -> list[str]:
        return self.prefixes.get(text, [])
