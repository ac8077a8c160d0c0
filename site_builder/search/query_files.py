"""The files every query reads before the units: what segments and resolves the query.

One array of numbered blobs (``codec.BlobArray``, packs ``q-<n>.pack``, their directory in the
manifest), each deflated:

* the query dictionary (``segdict``): ``DICT_SHARDS`` shards of ``word<TAB>weight`` lines by the
  word's first character (code point modulo the shard count), jieba's dictionary restricted to the
  index's words (``archive.index.vocabulary``);
* the affixes of ``expand_cut_edges`` (``affixes``): the sfx shards, then the pfx shards;
* the lexicon (did you mean): one blob per word length, ``[[word, frequency], …]``.

They depend on the whole index (its vocabulary and frequencies): rewritten when any unit changes.
"""

from __future__ import annotations

from collections import defaultdict
from math import log
from typing import Any

from archive.index.schema import SEARCH_FIELDS
from archive.index.vocabulary import indexed_words, restricted_tokenizer
from site_builder.search.affixes import affix_shards
from site_builder.search.codec import BlobArray, deflate, to_json
from site_builder.search.segdict import dictionary_shards

DICT_SHARDS = 1024


def query_files(reader: Any, segmenter: Any, prefix: str, target: int) -> tuple[dict[str, Any], BlobArray]:
    """The manifest's ``query`` entry and the blobs."""
    blobs = BlobArray(prefix, target)
    words = indexed_words(reader, SEARCH_FIELDS)
    vocabulary = [w for w, _ in words]
    tokenizer = restricted_tokenizer(segmenter.tokenizer, vocabulary)
    shards = dictionary_shards(tokenizer, DICT_SHARDS)
    for n in range(DICT_SHARDS):
        text = shards.get(n)
        blobs.add(deflate(text.encode("utf-8")) if text else b"")
    affixes, affix_blobs = affix_shards(words)
    affixes["first"] = len(blobs.lengths)
    for shard in affix_blobs:
        blobs.add(deflate(to_json(shard)))
    by_length: dict[tuple[str, int], list[list[Any]]] = defaultdict(list)
    for name in SEARCH_FIELDS:
        for btext in reader.lexicon(name):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            by_length[(name, len(term))].append([term, reader.frequency(name, btext)])
    lexicon: dict[str, int] = {}
    for (name, length), items in sorted(by_length.items()):
        lexicon[f"{name}-{length}"] = len(blobs.lengths)
        blobs.add(deflate(to_json(items)))
    entry = {
        "dict": {"shards": DICT_SHARDS, "logtotal": repr(log(tokenizer.total)), "first": 0},
        "affixes": affixes,
        "lexicon": lexicon,
        "blobs": blobs.directory(),
    }
    return entry, blobs
