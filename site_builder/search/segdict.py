"""Export jieba's dictionary for the browser, sharded by a word's first character.

jieba segments a sentence by looking up, at each position, the dictionary words that
start with that position's character. A query therefore needs only the shards of its own
characters. Each entry carries ``log(freq) - log(total)`` as jieba computes it (the browser's ``Math.log``
differs from Python's in the last bit for some frequencies), so the browser adds the same
doubles in the same order and finds the same route.
"""

from __future__ import annotations

from collections import defaultdict
from math import log
from pathlib import Path

import jieba

DEFAULT_SHARDS = 1024


def shard_of(word: str, shards: int = DEFAULT_SHARDS) -> int:
    return ord(word[0]) % shards


def dictionary_shards(tokenizer: jieba.Tokenizer, shards: int = DEFAULT_SHARDS) -> dict[int, str]:
    """Shard number → the shard's text: one ``word<TAB>weight`` line per dictionary word.

    Prefixes that jieba keeps with frequency 0 are not written (the browser derives them
    from the words); a word added with frequency 0 is written with an empty weight.
    """
    tokenizer.check_initialized()
    logtotal = log(tokenizer.total)
    words: set[str] = {w for w, f in tokenizer.FREQ.items() if f}
    prefixes = {w[:i] for w in words for i in range(1, len(w))}
    lines: dict[int, list[str]] = defaultdict(list)
    for word, freq in tokenizer.FREQ.items():
        if freq:
            lines[shard_of(word, shards)].append(f"{word}\t{log(freq) - logtotal!r}")
        elif word not in prefixes:
            lines[shard_of(word, shards)].append(f"{word}\t")
    return {n: "\n".join(sorted(entries)) + "\n" for n, entries in lines.items()}


def write_dictionary(tokenizer: jieba.Tokenizer, out_dir: Path, shards: int = DEFAULT_SHARDS) -> dict[str, object]:
    """Write the shards under ``out_dir`` and return the manifest entry the browser needs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for number, text in dictionary_shards(tokenizer, shards).items():
        (out_dir / f"{number}.txt").write_text(text, encoding="utf-8")
    return {"shards": shards, "logtotal": repr(log(tokenizer.total)), "path": out_dir.name}
