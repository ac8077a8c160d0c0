"""Reads an export back, in Python, as the browser does (docs/search-format.md): for the format's
tests and the benchmarks' accounting of where the bytes go."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.search.codec import inflate, inflate_segments, read_varints, slotted_blob, unslotted


@dataclass
class Decoded:
    docs: list[int]  # global
    weights: list[int]  # 0 for a pair
    codes: list[int]  # -1 when not in the list
    lengths: list[int]  # -1 when not in the list


def _runs(data: bytes, kind: str, first: int, slim_weights: int) -> list[Decoded]:
    out = []
    at = 0
    while at < len(data):
        (count,), at = read_varints(data, 1, at)
        docs, weights, codes, lengths = [], [], [-1] * count, [-1] * count
        previous = -1
        if kind == "slim":
            for _ in range(count):
                (v,), at = read_varints(data, 1, at)
                previous += 1 + v // slim_weights
                docs.append(first + previous)
                weight = v % slim_weights + 1
                if weight == slim_weights:
                    (extra,), at = read_varints(data, 1, at)
                    weight += extra
                weights.append(weight)
        else:
            gaps, at = read_varints(data, count, at)
            for gap in gaps:
                previous += 1 + gap
                docs.append(first + previous)
            weights = [0] * count
            if kind == "full":
                codes = list(data[at : at + count])
                at += count
                weights, at = read_varints(data, count, at)
                lengths = list(data[at : at + count])
                at += count
        out.append(Decoded(docs, weights, codes, lengths))
    return out


def _joined(runs: list[Decoded]) -> Decoded:
    return Decoded([d for r in runs for d in r.docs], [w for r in runs for w in r.weights],
                   [c for r in runs for c in r.codes], [b for r in runs for b in r.lengths])


class Export:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text("utf-8"))

    def blob(self, directory: dict[str, Any], i: int) -> bytes:
        lengths, _ = read_varints(inflate(base64.b64decode(directory["lengths"])), directory["count"])
        pack = max(p for p, start in enumerate(directory["packs"]) if start <= i)
        offset = sum(lengths[directory["packs"][pack] : i])
        data = (self.folder / f"{directory['file']}{pack}.pack").read_bytes()
        return data[offset : offset + lengths[i]]

    def meta(self, unit: dict[str, Any], name: str) -> bytes:
        offset, length = unit[name][:2]
        return (self.folder / unit["dir"] / "meta.pack").read_bytes()[offset : offset + length]

    def primed(self, unit: dict[str, Any], name: str, blob: bytes) -> bytes:
        head = self.meta(unit, name)
        return zlib.decompress(head + blob, -15)[unit[name][2] :]

    def entries(self, unit: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every (term, entry) of a unit's dictionary."""
        for n in range(unit["terms"]["count"]):
            yield from json.loads(self.primed(unit, "termPrimer", self.blob(unit["terms"], n))).items()

    def region(self, unit: dict[str, Any], entry: dict[str, Any], offset: int, length: int) -> bytes:
        pack, start = entry["at"]
        data = (self.folder / unit["dir"] / f"p-{pack}.pack").read_bytes()
        return data[start + offset : start + offset + length]

    def postings(self, unit: dict[str, Any], term: str, entry: dict[str, Any]) -> Decoded:
        """The whole list in its own format (a word's full list, a pair's documents; for a pair
        written as exceptions, ``x``, the documents holding both words but not the pair)."""
        kind = "pair" if " " in term else "full"
        m = self.manifest
        if "p" in entry:
            data = base64.b64decode(entry["p"])
        elif (entry["e"] if entry.get("x") else entry["n"]) <= m["rawPostings"]:
            data = self.region(unit, entry, 0, entry["f"])
        else:
            data = inflate_segments(self.region(unit, entry, 0, entry["f"]))
        return _joined(_runs(data, kind, unit["first"], m["slimWeights"]))

    def slim(self, unit: dict[str, Any], entry: dict[str, Any]) -> Decoded:
        data = inflate_segments(self.region(unit, entry, entry["f"], entry["s"]))
        return _joined(_runs(data, "slim", unit["first"], self.manifest["slimWeights"]))

    def directory(self, unit: dict[str, Any], entry: dict[str, Any]) -> tuple[list[int], list[int], list[int]]:
        """(first document of each block, unit-local; compressed size of each block; of each full segment)."""
        if "b" in entry:
            return entry["b"][0], entry["b"][1], entry["b"][2]
        data = inflate_segments(self.region(unit, entry, entry["f"] + entry.get("s", 0), entry["d"]))
        (count,), at = read_varints(data, 1)
        values, at = read_varints(data, 2 * count, at)
        firsts, previous = [], -1
        for gap in values[0::2]:
            previous += gap + 1
            firsts.append(previous)
        segments, _ = read_varints(data, len(data) - at, at) if at < len(data) else ([], at)
        return firsts, values[1::2], segments[: len(segments)]

    def blocks(self, unit: dict[str, Any], term: str, entry: dict[str, Any]) -> list[Decoded]:
        """Each block alone (a word's slim blocks, a pair's blocks), read from its own offsets."""
        _, sizes, _ = self.directory(unit, entry)
        start = 0 if " " in term else entry["f"]
        out = []
        for size in sizes:
            data = inflate_segments(self.region(unit, entry, start, size))
            out += _runs(data, "pair" if " " in term else "slim", unit["first"], self.manifest["slimWeights"])
            start += size
        return out

    def tiers(self, unit: dict[str, Any], entry: dict[str, Any]) -> list[Decoded]:
        if "t" not in entry:
            return []
        start = entry["f"] + entry.get("s", 0) + entry.get("d", 0)
        out = []
        for size, _, _ in entry.get("t", []):
            out.append(_joined(_runs(inflate_segments(self.region(unit, entry, start, size)), "full", unit["first"],
                                     self.manifest["slimWeights"])))
            start += size
        return out

    def chunk(self, unit: dict[str, Any], c: int) -> dict[str, Any]:
        pack, offset, length = slotted_blob(self.meta(unit, "docSlots"), unit["chunksPerPack"], c)
        data = (self.folder / unit["dir"] / f"d-{pack}.pack").read_bytes()
        return json.loads(self.primed(unit, "docPrimer", unslotted(data[offset : offset + length])))
