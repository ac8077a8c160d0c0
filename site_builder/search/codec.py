"""The byte-level codec of the search export (docs/search-format.md): varints, the FNV-1a hash,
raw deflate streams that can be read from any flush point, and the pack files that hold the blobs.

Every compressed blob is raw deflate (``DecompressionStream("deflate-raw")`` in the browser):

* ``deflate(data)``: one stream, finished.
* ``SegmentedStream``: a list cut in segments with ``Z_FULL_FLUSH`` between them. Each segment is
  byte-aligned and starts with an empty history, so any run of consecutive segments, followed by
  an empty final block (``FINAL_BLOCK``, added by the reader), is a complete stream: one range
  request and one inflate read one block, several consecutive blocks or the whole list.
* ``PrimedStream``: blobs that share a primer (the most repeated strings of their kind). The primer
  is compressed once and ended with ``Z_SYNC_FLUSH``; a blob is the continuation of that stream
  (deflate is deterministic: the compressor's state after the primer is the same for every blob).
  The reader inflates primer + blob and drops the primer's bytes: a preset dictionary that the
  browser's own inflater can use.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LEVEL = 9
FINAL_BLOCK = b"\x03\x00"  # an empty final block (fixed Huffman, end of block): ends a segmented stream
PRIMER_MAX = 32 * 1024  # deflate's window


def fnv1a(text: str) -> int:
    """FNV-1a (32 bits) of the UTF-8 bytes: the shard of a term, the same in the browser."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


_SMALL = 48  # fewer values than this are encoded in Python (numpy's per-call cost is higher)


def varints(values: np.ndarray | list[int]) -> bytes:
    """Each value (non-negative integers) as a varint: 7 bits a byte, low bits first."""
    if len(values) < _SMALL:
        out = bytearray()
        for n in values.tolist() if isinstance(values, np.ndarray) else values:
            while n >= 0x80:
                out.append((n & 0x7F) | 0x80)
                n >>= 7
            out.append(n)
        return bytes(out)
    v = np.asarray(values, dtype=np.uint64)
    sizes = np.ones(len(v), dtype=np.int64)
    rest = v >> np.uint64(7)
    while rest.any():
        sizes += rest > 0
        rest = rest >> np.uint64(7)
    out_array = np.empty(int(sizes.sum()), dtype=np.uint8)
    starts = np.cumsum(sizes) - sizes
    for k in range(int(sizes.max())):
        at = sizes > k
        byte = (v[at] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (sizes[at] > k + 1).astype(np.uint64) << np.uint64(7)
        out_array[starts[at] + k] = (byte | more).astype(np.uint8)
    return out_array.tobytes()


def read_varints(data: bytes, count: int, at: int = 0) -> tuple[list[int], int]:
    """``count`` varints from ``data`` at ``at``; the values and the position after them."""
    out = []
    for _ in range(count):
        n = shift = 0
        while True:
            byte = data[at]
            at += 1
            n |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        out.append(n)
    return out, at


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9)
    return compressor.compress(data) + compressor.flush()


def inflate(data: bytes) -> bytes:
    return zlib.decompress(data, -15)


class SegmentedStream:
    """A raw deflate stream cut at ``Z_FULL_FLUSH`` points: ``add(segment)`` returns the segment's
    compressed bytes, which decode alone (with ``FINAL_BLOCK`` after them) or after the others."""

    def __init__(self) -> None:
        self.compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9)

    def add(self, segment: bytes) -> bytes:
        return self.compressor.compress(segment) + self.compressor.flush(zlib.Z_FULL_FLUSH)


def segmented(segments: list[bytes]) -> list[bytes]:
    stream = SegmentedStream()
    return [stream.add(s) for s in segments]


def inflate_segments(data: bytes) -> bytes:
    """What the browser does with a run of segments."""
    return zlib.decompress(data + FINAL_BLOCK, -15)


class PrimedStream:
    """Blobs compressed after a shared primer (``PRIMER_MAX`` bytes at most, the most useful last)."""

    def __init__(self, primer: bytes) -> None:
        self.primer = primer[-PRIMER_MAX:]
        self.compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9)
        self.head = self.compressor.compress(self.primer) + self.compressor.flush(zlib.Z_SYNC_FLUSH)

    def add(self, blob: bytes) -> bytes:
        compressor = self.compressor.copy()
        return compressor.compress(blob) + compressor.flush()

    def inflate(self, data: bytes) -> bytes:
        return zlib.decompress(self.head + data, -15)[len(self.primer) :]


def primer(texts: Iterator[str] | list[str], budget: int = PRIMER_MAX) -> bytes:
    """The strings that save the most when the blobs can refer to them: those seen more than once,
    by (count - 1) × size, as many as fit in ``budget`` bytes; the most saving last (nearest)."""
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    ranked = sorted(((c - 1) * len(t.encode("utf-8")), t) for t, c in counts.items() if c > 1)
    chosen: list[bytes] = []
    size = 0
    for _, text in reversed(ranked):
        data = text.encode("utf-8")
        if size + len(data) <= budget:
            chosen.append(data)
            size += len(data)
    return b"".join(reversed(chosen))


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class PackWriter:
    """Blobs appended to numbered pack files ``<prefix><n>.pack`` of about ``target`` bytes each (a
    blob larger than that gets a file of its own), each handed to ``emit(path, data)`` once full.
    ``add`` returns where the blob went."""

    def __init__(self, prefix: str, target: int, emit: Callable[[str, bytes], None]) -> None:
        self.prefix = prefix
        self.target = target
        self.emit = emit
        self.current = bytearray()
        self.number = -1

    def add(self, blob: bytes) -> tuple[int, int]:
        if self.number < 0 or (self.current and len(self.current) + len(blob) > self.target):
            self.finish()
            self.number += 1
        offset = len(self.current)
        self.current += blob
        return self.number, offset

    def finish(self) -> None:
        if self.number >= 0 and self.current:
            self.emit(f"{self.prefix}{self.number}.pack", bytes(self.current))
        self.current = bytearray()


@dataclass
class BlobArray:
    """Numbered blobs (shards) in packs; the reader finds blob ``i`` from ``directory()``: the
    blobs' lengths and the first blob of each pack (a pack holds about ``target`` bytes)."""

    prefix: str
    target: int
    lengths: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    files: list[bytearray] = field(default_factory=list)

    def add(self, blob: bytes) -> None:
        if not self.files or (len(self.files[-1]) and len(self.files[-1]) + len(blob) > self.target):
            self.files.append(bytearray())
            self.starts.append(len(self.lengths))
        self.files[-1] += blob
        self.lengths.append(len(blob))

    def directory(self) -> dict[str, Any]:
        import base64

        return {
            "file": self.prefix,
            "count": len(self.lengths),
            "packs": self.starts,
            "lengths": base64.b64encode(deflate(varints(np.array(self.lengths, dtype=np.uint64)))).decode("ascii"),
        }

    def paths(self) -> Iterator[tuple[str, bytes]]:
        for n, data in enumerate(self.files):
            yield f"{self.prefix}{n}.pack", bytes(data)


SLOT = 64  # the unit of a slotted pack's slots


@dataclass
class SlottedPacks:
    """Numbered blobs in packs of ``per_pack`` blobs each, a blob in a slot of a whole number of
    ``SLOT`` bytes whose last byte is the length of its padding (1 to ``SLOT``, that byte included).
    The slots' sizes in ``SLOT``s, as deflated varints, are the directory: read once, it gives every
    blob's place, and a blob is then one range read (for blobs too many to list in the manifest)."""

    prefix: str
    per_pack: int
    pending: list[bytes] = field(default_factory=list)
    written: list[tuple[str, bytes]] = field(default_factory=list)
    slots: list[int] = field(default_factory=list)

    def add(self, blob: bytes) -> None:
        pad = SLOT - len(blob) % SLOT
        self.pending.append(blob + bytes(pad - 1) + bytes([pad]))
        self.slots.append((len(blob) + pad) // SLOT)
        if len(self.pending) == self.per_pack:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.written.append((f"{self.prefix}{len(self.written)}.pack", b"".join(self.pending)))
            self.pending = []

    def finish(self) -> tuple[list[tuple[str, bytes]], bytes]:
        """The packs and the directory."""
        self._flush()
        return self.written, deflate(varints(self.slots))


def slotted_blob(directory: bytes, per_pack: int, i: int) -> tuple[int, int, int]:
    """Blob ``i`` of slotted packs: (pack number, offset of its slot, length of its slot)."""
    slots, _ = read_varints(inflate(directory), i + 1)
    pack = i // per_pack
    return pack, SLOT * sum(slots[pack * per_pack : i]), SLOT * slots[i]


def unslotted(slot: bytes) -> bytes:
    """The blob in a slot (without its padding)."""
    return slot[: len(slot) - slot[-1]] if slot else b""
