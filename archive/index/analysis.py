"""The one analyzer of the archive: jieba on a domain dictionary, the same at index and query time.

Tokens (the reference for the browser search, issue 5):

* The text is segmented with jieba's precise mode (``Tokenizer.cut(text, HMM=False)``) on
  jieba's default dictionary plus the domain's terms (``archive/data/userdict.txt``), the
  short labels of the schema, the names of provinces, cities and counties (GB/T 2260, three
  characters or more) and the agency names of the corpus. HMM is off so that the
  tokens depend on the dictionary alone (reproducible from an exported dictionary) and
  segmentation is twice as fast.
* Tokens are lowercased; tokens without a letter or digit (punctuation, whitespace) are
  dropped; numbers are kept ("2023", "16").
* At index time only (``mode="index"``), every dictionary word of two or more characters
  inside a longer token is added at the position of that token: "政府信息公开" is indexed as
  政府信息公开, 政府, 信息, 公开, 政府信息, 信息公开 … so that a query for 信息公开 finds
  it. A query is segmented in precise mode only.

The dictionary in use is process-wide (``use_dictionary``); an index stores the user
dictionary it was built with, and opening it installs that dictionary (``archive.index.search``).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jieba
from whoosh.analysis import Token, Tokenizer

from archive import schema

_SHORT_LABEL_MAX = 8
_MEMO_TEXT_MAX = 120
_MEMO_SIZE = 50_000
_LABEL_SPLIT = re.compile(r"[^\w]+|[0-9]+")
_LABEL_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、?")
_lock = threading.Lock()



def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].strip()


@lru_cache(maxsize=1)
def domain_terms() -> tuple[str, ...]:
    """The terms of ``archive/data/userdict.txt`` and the short labels of the schema, sorted."""
    text = resources.files("archive.data").joinpath("userdict.txt").read_text("utf-8")
    terms = {_strip_comment(line).split()[0] for line in text.splitlines() if _strip_comment(line)}
    for table in schema.TABLE_KEYS:
        spec = schema.table_schema(table)
        labels = [spec["label"]]
        for part in ("rows", "columns"):
            for item in spec[part].values():
                labels.extend([item.get("label", ""), item.get("group", "")])
        for label in labels:
            for piece in _LABEL_SPLIT.split(label):
                piece = _LABEL_NUMBERING.sub("", piece)
                if 2 <= len(piece) <= _SHORT_LABEL_MAX:
                    terms.add(piece)
    return tuple(sorted(terms))


def dictionary_words(agencies: Iterable[str] = ()) -> list[str]:
    """The user dictionary: the domain's terms, the names of provinces, cities and counties (GB/T
    2260) and the agency names, sorted and unique.

    Place names are words so that text cut next to one segments as the whole text did
    (霍林郭勒市政府信息: 霍林郭勒市 / 政府信息, as in 霍林郭勒市政府信息公开, not 霍林郭勒 / 市政府 / 信息).
    """
    from archive.parse.regions import region_names  # the ingest's: a search loads the saved dictionary

    words = set(domain_terms()) | set(region_names())
    words.update(a.strip() for a in agencies if a and a.strip() and not any(c.isspace() for c in a.strip()))
    return sorted(words)


def userdict_text(words: Iterable[str]) -> str:
    return "".join(f"{w}\n" for w in words)


def dictionary_key(words: Iterable[str]) -> str:
    return hashlib.sha256(userdict_text(words).encode("utf-8")).hexdigest()[:16]


def cache_file_name(words: Iterable[str]) -> str:
    return f"jieba-archive-{dictionary_key(words)}.cache"


class Segmenter:
    """A private ``jieba.Tokenizer`` with the user dictionary added, loaded from a cache file."""

    def __init__(self, words: list[str], cache_dir: Path | None = None) -> None:
        self.words = list(words)
        self.key = dictionary_key(self.words)
        self.tokenizer = jieba.Tokenizer()
        # jieba's own cache of its default dictionary is shared in the temp folder; ours (default
        # dictionary plus the user words) lives with the index, named by the words' hash
        self.tokenizer.tmp_dir = tempfile.gettempdir()
        folder = Path(cache_dir) if cache_dir else Path(tempfile.gettempdir())
        self._load(folder / cache_file_name(self.words))
        self.freq: dict[str, int] = self.tokenizer.FREQ
        self._memo: dict[str, list[tuple[str, int, int]]] = {}
        self._subwords: dict[str, tuple[str, ...]] = {}

    def _load(self, cache: Path) -> None:
        try:
            with open(cache, "rb") as fh:
                self.tokenizer.FREQ, self.tokenizer.total = marshal.load(fh)
            self.tokenizer.initialized = True
            return
        except (OSError, EOFError, ValueError, TypeError):
            pass
        jieba.setLogLevel(60)
        self.tokenizer.initialize()
        for word in self.words:
            # the frequency that makes jieba keep the word whole (what suggest_freq computes), at least 3
            self.tokenizer.add_word(word, max(3, self.tokenizer.suggest_freq(word, tune=False)))
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".jieba-")
            with os.fdopen(fd, "wb") as fh:
                marshal.dump((self.tokenizer.FREQ, self.tokenizer.total), fh)
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only place: load from the dictionary next time too

    def cut(self, text: str) -> Iterator[tuple[str, int]]:
        """(token, start offset) in precise mode, lowercased, punctuation and whitespace dropped."""
        offset = 0
        for word in self.tokenizer.cut(text, HMM=False):
            start = offset
            offset += len(word)
            if any(ch.isalnum() for ch in word):
                yield word.lower(), start

    def query_tokens(self, text: str) -> list[str]:
        return [word for word, _ in self.cut(text)]

    def index_tokens(self, text: str, memo: bool = True) -> list[tuple[str, int, int]]:
        """(token, start, end) of the precise tokens and, after each, the dictionary words inside it.

        Sub-words carry ``start`` -1 (they share the position of the token they are part of).
        Short texts (titles, table rows: the same few hundred strings in every report) are memoised,
        unless ``memo`` is False (a caller that remembers what it needs of them).
        """
        if memo and len(text) <= _MEMO_TEXT_MAX:
            cached = self._memo.get(text)
            if cached is None:
                if len(self._memo) >= _MEMO_SIZE:
                    self._memo.clear()
                cached = self._memo[text] = self._index_tokens(text)
            return cached
        return self._index_tokens(text)

    def _index_tokens(self, text: str) -> list[tuple[str, int, int]]:
        out: list[tuple[str, int, int]] = []
        for word, start in self.cut(text):
            out.append((word, start, start + len(word)))
            if len(word) > 2:
                out.extend((sub, -1, -1) for sub in self.subwords(word))
        return out

    def subwords(self, word: str) -> tuple[str, ...]:
        """The dictionary words of two or more characters inside ``word`` (memoised: the vocabulary is small)."""
        found = self._subwords.get(word)
        if found is None:
            freq, n = self.freq, len(word)
            found = tuple(
                word[i : i + size] for size in range(2, n) for i in range(n - size + 1) if freq.get(word[i : i + size])
            )
            self._subwords[word] = found
        return found


_active: Segmenter | None = None


def use_dictionary(words: list[str], cache_dir: Path | None = None) -> Segmenter:
    """Install the process-wide segmenter with ``words`` as user dictionary (cached by content)."""
    global _active
    with _lock:
        key = dictionary_key(words)
        if _active is None or _active.key != key:
            _active = Segmenter(words, cache_dir)
        return _active


def segmenter() -> Segmenter:
    """The segmenter in use; the domain dictionary alone until an index installs its own."""
    if _active is None:
        return use_dictionary(dictionary_words())
    return _active


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer over ``segmenter()``; holds no state, so it pickles into the index's schema."""

    def __call__(  # type: ignore[override]
        self,
        value: Any,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if mode == "index":
            items = segmenter().index_tokens(value)
        else:
            items = [(word, start, start + len(word)) for word, start in segmenter().cut(value)]
        pos = start_pos - 1
        last_start, last_end = start_char, start_char
        for word, start, end in items:
            if start >= 0:
                pos += 1
                last_start, last_end = start_char + start, start_char + end
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = last_start, last_end
            yield token


def analyzer() -> JiebaTokenizer:
    """The analyzer of every text field of the index (a tokenizer is an analyzer in Whoosh)."""
    return JiebaTokenizer()
