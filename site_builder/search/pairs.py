"""The pairs of adjacent words of a unit's documents ("a b": rules 5 and 7 of the query rules) and
the documents each pair stands in.

Each document's title and text are cut by the analyzer in index mode (``query.adjacent_pairs``;
short texts that reports repeat word for word are remembered). A pair gets a number on first sight;
(pair, document) numbers are gathered in arrays, sorted and spilled to run files a chunk at a
time, and merged at the end pair by pair, in the pairs' text order: memory stays bounded by one
chunk and the pairs' texts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from archive.index import query as query_language
from archive.index.schema import content_of

MEMO_TEXTS = 4_000  # texts whose pairs are remembered (reports repeat sections word for word)
MEMO_LENGTH = 400
CHUNK_POSTINGS = 8_000_000


class PairCollector:
    def __init__(self, segmenter: Any, spill_dir: Path, name: str) -> None:
        self.segmenter = segmenter
        self.spill_dir = spill_dir
        self.name = name
        self.numbers: dict[str, int] = {}
        self.memo: dict[str, list[int]] = {}
        self.pair_ids = array("i")
        self.docs = array("i")
        self.runs: list[tuple[Path, Path]] = []

    def add(self, doc: int, stored: dict[str, Any]) -> None:
        text = content_of(stored.get("title") or "", stored.get("text") or "")
        found = self.memo.get(text)
        if found is None:
            numbers = self.numbers
            found = sorted({numbers.setdefault(p, len(numbers)) for p in query_language.adjacent_pairs(text, self.segmenter)})
            if len(text) <= MEMO_LENGTH and len(self.memo) < MEMO_TEXTS:
                self.memo[text] = found
        self.pair_ids.extend(found)
        self.docs.extend([doc] * len(found))
        if len(self.docs) >= CHUNK_POSTINGS:
            self._spill()

    def _spill(self) -> None:
        ids = np.frombuffer(self.pair_ids, dtype=np.int32)
        docs = np.frombuffer(self.docs, dtype=np.int32)
        order = np.lexsort((docs, ids))
        n = len(self.runs)
        paths = (self.spill_dir / f"{self.name}-pairs-{n}.ids.npy", self.spill_dir / f"{self.name}-pairs-{n}.docs.npy")
        np.save(paths[0], ids[order])
        np.save(paths[1], docs[order])
        self.runs.append(paths)
        self.pair_ids = array("i")
        self.docs = array("i")

    def finish(self) -> Iterator[tuple[str, np.ndarray]]:
        """Each pair once, in the order of its text, with its documents ascending."""
        if len(self.docs) or not self.runs:
            self._spill()
        self.memo = {}
        runs = [(np.load(a, mmap_mode="r"), np.load(b, mmap_mode="r")) for a, b in self.runs]
        count = len(self.numbers)
        bounds = [np.searchsorted(ids, np.arange(count + 1)) for ids, _ in runs]
        texts = sorted(self.numbers.items())
        self.numbers = {}
        for text, number in texts:
            parts = [docs[b[number] : b[number + 1]] for (_, docs), b in zip(runs, bounds, strict=True)]
            yield text, np.concatenate(parts).astype(np.int64)
        del runs
        for pair in self.runs:
            for path in pair:
                path.unlink()
