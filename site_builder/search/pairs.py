"""The pairs of adjacent words of a unit's documents ("a b": ``check_phrases`` and ``rerank_by_sequence`` of the query plan) and
the documents each pair stands in.

Each document's title and text are cut by the analyzer in index mode (``query.adjacent_pairs``;
short texts that reports repeat word for word are remembered). A pair gets a number on first sight;
(pair, document) numbers are gathered in arrays, sorted and spilled to run files a chunk at a
time, and merged at the end pair by pair, in the order the pairs were first seen (a text's new pairs in
code-point order, so that the files do not depend on the hash seed): memory stays bounded
by one chunk, a block of each run and the pairs' texts.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from archive.index import query as query_language
from archive.index.schema import content_of

MEMO_POSTINGS = 12_000_000  # pairs of texts remembered (reports repeat sections and table rows word for word)
CHUNK_POSTINGS = 4_000_000


class PairCollector:
    def __init__(self, segmenter: Any, spill_dir: Path, name: str) -> None:
        self.segmenter = segmenter
        self.spill_dir = spill_dir
        self.name = name
        self.numbers: dict[str, int] = {}
        self.memo: dict[bytes, array] = {}  # digest of a text → its pairs' numbers
        self.memo_size = 0
        self.pair_ids = array("i")
        self.docs = array("i")
        self.runs: list[tuple[Path, Path]] = []

    @property
    def count(self) -> int:
        """The distinct pairs seen so far."""
        return len(self.numbers)

    def add(self, doc: int, stored: dict[str, Any]) -> None:
        text = content_of(stored.get("title") or "", stored.get("text") or "")
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        found = self.memo.get(key)
        if found is None:
            numbers = self.numbers
            pairs = query_language.adjacent_pairs(text, self.segmenter, memo=False)
            found = array("i", sorted({numbers.setdefault(p, len(numbers)) for p in sorted(pairs)}))
            if self.memo_size < MEMO_POSTINGS:
                self.memo[key] = found
                self.memo_size += len(found)
        self.pair_ids.extend(found)
        self.docs.extend(array("i", [doc]) * len(found))
        if len(self.docs) >= CHUNK_POSTINGS:
            self._spill()

    def _spill(self) -> None:
        ids = np.frombuffer(self.pair_ids, dtype=np.int32)
        docs = np.frombuffer(self.docs, dtype=np.int32)
        order = np.lexsort((docs, ids))
        n = len(self.runs)
        paths = (self.spill_dir / f"{self.name}-pairs-{n}.ids", self.spill_dir / f"{self.name}-pairs-{n}.docs")
        ids[order].tofile(paths[0])
        docs[order].tofile(paths[1])
        self.runs.append(paths)
        self.pair_ids = array("i")
        self.docs = array("i")

    def finish(self) -> Iterator[tuple[str, np.ndarray]]:
        """Each pair once, in the order it was first seen, with its documents ascending (the runs
        are read front to back together, a block at a time)."""
        if len(self.docs) or not self.runs:
            self._spill()
        self.memo = {}
        texts = list(self.numbers)  # numbered in the order first seen
        self.numbers = {}
        readers = [_RunReader(ids, docs) for ids, docs in self.runs]
        for number, text in enumerate(texts):
            parts = [reader.take(number) for reader in readers]
            yield text, np.concatenate(parts).astype(np.int64)
        for pair in self.runs:
            for path in pair:
                path.unlink()


class _RunReader:
    """A spilled run (pair numbers ascending, documents ascending within each) read front to back, a
    block at a time (plain reads: the run's pages do not stay in the process's memory)."""

    BLOCK = 1 << 20

    def __init__(self, ids: Path, docs: Path) -> None:
        self.ids = open(ids, "rb")  # noqa: SIM115 (closed when read to the end)
        self.docs = open(docs, "rb")  # noqa: SIM115
        self.block_ids = np.empty(0, dtype=np.int32)
        self.block_docs = np.empty(0, dtype=np.int32)
        self.at = 0
        self.done = False

    def _fill(self) -> bool:
        if self.done:
            return False
        ids = np.fromfile(self.ids, dtype=np.int32, count=self.BLOCK)
        docs = np.fromfile(self.docs, dtype=np.int32, count=self.BLOCK)
        if len(ids) < self.BLOCK:
            self.done = True
            self.ids.close()
            self.docs.close()
        if not len(ids):
            return False
        self.block_ids = np.concatenate([self.block_ids[self.at :], ids])
        self.block_docs = np.concatenate([self.block_docs[self.at :], docs])
        self.at = 0
        return True

    def take(self, number: int) -> np.ndarray:
        """The documents of pair ``number`` (asked for in ascending order)."""
        while (self.at == len(self.block_ids) or self.block_ids[-1] <= number) and self._fill():
            pass
        rest = self.block_ids[self.at :]
        start = self.at + int(np.searchsorted(rest, number, side="left"))
        end = self.at + int(np.searchsorted(rest, number, side="right"))
        self.at = end
        return self.block_docs[start:end]
