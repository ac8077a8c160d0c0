"""The query-time dictionary: jieba's words restricted to the index's vocabulary.

A query is segmented with jieba (precise mode, no HMM) on the dictionary of the index
(``archive.index.analysis``) **restricted to the words the index holds** (and the single
characters of the corpus, with their weights): the same algorithm, the same weights (``log(freq) - log(total)``
with the full dictionary's total), fewer words. On text of the corpus this gives exactly the
index's tokens: the route jieba chose there is made only of kept words, and removing words only
removes other routes. On other text it can only differ where the full dictionary would have
chosen a word the index does not hold, which no document could match as a whole anyway (rule 3
of ``archive.index.query`` splits such words). The browser (``site_builder/search``) gets this
dictionary: a few thousand words instead of 350,000, a few hundred bytes per query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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
    """``Segmenter.cut`` (and ``freq``) on the restricted dictionary; what queries are segmented with."""

    def __init__(self, index_segmenter: Segmenter, vocabulary: Iterable[str]) -> None:  # noqa: D107
        self.words = index_segmenter.words
        self.key = index_segmenter.key
        self.tokenizer = restricted_tokenizer(index_segmenter.tokenizer, vocabulary)
        self.freq = self.tokenizer.FREQ

    def index_tokens(self, text: str) -> list[tuple[str, int, int]]:  # pragma: no cover - queries only
        raise TypeError("the query dictionary does not segment documents")

    def cut(self, text: str) -> Iterator[tuple[str, int]]:
        return Segmenter.cut(self, text)
