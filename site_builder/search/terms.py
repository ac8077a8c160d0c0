"""The term dictionary of one unit: every word and every pair "a b" of adjacent words, with its
entry (``postings.ListWriter``), in shards by FNV-1a of the term modulo the shard count.

A shard is the JSON object ``{term: entry, …}`` of about ``TERMS_PER_SHARD`` terms, compressed after
the unit's **dictionary primer** (a sample of shards: the keys and words every shard repeats). The
shards are numbered blobs in packs (``codec.BlobArray``); their lengths are listed in the manifest,
so a term costs one range request: its shard.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from site_builder.search.codec import BlobArray, PrimedStream, fnv1a, to_json

TERMS_PER_SHARD = 16
MAX_SHARDS = 16_384  # the manifest lists every shard's length: past this, shards hold more terms
PRIMER_SHARDS = 24


def shard_count(terms: int) -> int:
    return max(1, min(MAX_SHARDS, -(-terms // TERMS_PER_SHARD)))


class TermDictionary:
    def __init__(self, terms: int) -> None:
        self.shards = shard_count(terms)
        self.items: dict[int, list[bytes]] = defaultdict(list)
        self.added = 0

    def add(self, term: str, entry: dict[str, Any]) -> None:
        self.items[fnv1a(term) % self.shards].append(to_json(term) + b":" + to_json(entry))
        self.added += 1

    def finish(self, prefix: str, target: int) -> tuple[bytes, BlobArray]:
        """The primer and the shards' blobs."""
        texts = [b"{" + b",".join(self.items.get(n, ())) + b"}" for n in range(self.shards)]
        self.items = defaultdict(list)
        step = max(1, len(texts) // PRIMER_SHARDS)
        primer = b"".join(texts[::step][:PRIMER_SHARDS])[-8192:]
        stream = PrimedStream(primer)
        blobs = BlobArray(prefix, target)
        for text in texts:
            blobs.add(stream.add(text))
        return primer, blobs
