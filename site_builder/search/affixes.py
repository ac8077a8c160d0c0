"""``expand_cut_edges`` of the query plan for the browser: the indexed words by their suffixes and prefixes.

A query whose first token is a cut piece looks up the indexed words that end with the query's
first characters (``archive.index.vocabulary.Affixes``); one whose last token is, the words that
begin with its last characters. The browser gets the same lists, in small shards, rather than the
vocabulary:

    sfx shard n   {suffix: [the words' other characters, …]}: the words ending with the suffix
                  (word = item + suffix), for the suffixes whose key hashes to n (FNV-1a of the
                  UTF-8 bytes, modulo the count): their first two characters (the suffix itself
                  when it has one), or more where the manifest's ``sfxSplit`` says so (below)
    pfx shard n   {prefix: [the words' other characters, …]}: the words beginning with the prefix
                  (word = prefix + item), by the key of the prefix's last characters (``pfxSplit``)

A query start "024年" asks for the suffixes 024年, 024, 02 (shard of "02") and 0 (shard of "0"):
two files for a cut edge. A key that more than SPLIT_ABOVE longer affixes share (the prefixes
…县人民, …镇人民 all end with 人民) is listed in the manifest and lengthened by a character for
those affixes (县人民, 镇人民, and so on while that is still too many): a third file, rarely a fourth.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archive.index.vocabulary import AFFIX_MAX, AFFIX_WORDS, Affixes
from site_builder.search.codec import fnv1a

AFFIXES_PER_SHARD = 48
KEY_CHARS = 2
SPLIT_ABOVE = 64  # affixes of one key past which the key is lengthened by a character


def first_chars(affix: str, n: int) -> str:
    return affix[:n]


def last_chars(affix: str, n: int) -> str:
    return affix[-n:]


def shard_key(affix: str, split: set[str] | frozenset[str], take: Callable[[str, int], str]) -> str:
    """The characters an affix is sharded by: its first (a suffix) or last (a prefix) two, one more
    for as long as those are a key of ``split`` and the affix is longer (人民 of …镇人民: 镇人民)."""
    n = KEY_CHARS
    while n < len(affix) and take(affix, n) in split:
        n += 1
    return take(affix, n)


def split_keys(affixes: list[str], take: Callable[[str, int], str]) -> set[str]:
    """The keys lengthened by a character: those of more than SPLIT_ABOVE affixes longer than the key
    (…县人民, …镇人民, …乡人民 would otherwise all be in the shard of 人民)."""
    split: set[str] = set()
    while True:
        longer: dict[str, int] = {}
        for affix in affixes:
            key = shard_key(affix, split, take)
            if len(affix) > len(key):
                longer[key] = longer.get(key, 0) + 1
        heavy = {key for key, count in longer.items() if count > SPLIT_ABOVE}
        if not heavy:
            return split
        split |= heavy


def _shards(table: dict[str, list[str]], take: Callable[[str, int], str],
            rest: Callable[[str, str], str]) -> tuple[list[dict[str, list[str]]], list[str]]:
    split = split_keys(sorted(table), take)
    count = max(1, -(-len(table) // AFFIXES_PER_SHARD))
    shards: list[dict[str, list[str]]] = [{} for _ in range(count)]
    for affix in sorted(table):
        shards[fnv1a(shard_key(affix, split, take)) % count][affix] = [rest(word, affix) for word in table[affix]]
    return shards, sorted(split)


def affix_shards(words: list[tuple[str, int]]) -> tuple[dict[str, Any], list[dict[str, list[str]]]]:
    """The manifest entry and the shards (sfx shards, then pfx shards) of the indexed ``words``
    ((word, document frequency) pairs)."""
    affixes = Affixes(words)
    sfx, sfx_split = _shards(affixes.suffixes, first_chars, lambda word, s: word[: len(word) - len(s)])
    pfx, pfx_split = _shards(affixes.prefixes, last_chars, lambda word, p: word[len(p) :])
    entry = {"max": AFFIX_MAX, "words": AFFIX_WORDS, "keyChars": KEY_CHARS,
             "sfx": len(sfx), "pfx": len(pfx), "sfxSplit": sfx_split, "pfxSplit": pfx_split}
    return entry, [*sfx, *pfx]
