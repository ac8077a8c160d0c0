"""Units of the export: runs of consecutive Whoosh segments exported together.

A unit's files depend only on its segments (their documents, deleted ones included: deletions are
listed in the manifest), the report pages and the code, so a unit whose segments are still there
is not exported again: its files are taken from the published site as they are. An ingest that
changes a report deletes its documents from their segment (a line of the manifest) and adds a
small segment; the next build exports that segment alone, and a portal re-publishes a few files.

The plan: the units of the previous export whose segments are all still there, consecutively and
under the same key, are kept; the remaining segments form one new unit per run of large segments
and one per run of small ones (a full build: one unit of the large segments, one of the small ones
that corrected reports left, which a later ingest may merge). The browser looks every term up in
every unit (their document numbers do not overlap), so the units are few: at most ``MAX_UNITS``,
past which the small ones at the end are exported again as one.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_UNITS = 6
SMALL_SHARE = 20  # a segment of less than a twentieth of the largest is small (a unit of its own)


@dataclass
class Segment:
    name: str
    reader: Any  # whoosh SegmentReader
    offset: int  # global number of its first document
    count: int  # documents, deleted ones included
    deleted: list[int] = field(default_factory=list)  # global numbers


@dataclass
class Unit:
    segments: list[Segment]
    key: str
    previous: dict[str, Any] | None = None  # the previous export's entry, when kept

    @property
    def first(self) -> int:
        return self.segments[0].offset

    @property
    def count(self) -> int:
        return sum(s.count for s in self.segments)

    @property
    def folder(self) -> str:
        return f"u{self.key}/"


def code_digest() -> str:
    """The code a unit's files depend on: the site's (``site_builder.fingerprint``) and the index's
    analyzer and query plan (the pairs of adjacent words)."""
    from site_builder.fingerprint import code_digest as site_code

    digest = hashlib.sha256(site_code().encode())
    for path in sorted((Path(__file__).resolve().parents[2] / "archive" / "index").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def unit_key(segments: list[Segment], context: str) -> str:
    names = "\n".join(s.name for s in segments)
    return hashlib.sha256(f"{context}\0{names}".encode()).hexdigest()[:16]


def segments_of(reader: Any) -> list[Segment]:
    """The segments of a Whoosh reader, in document order."""
    out = []
    for segreader, offset in reader.leaf_readers():
        segment = segreader.segment()
        deleted = sorted(offset + d for d in (segment.deleted_docs() if segment.has_deletions() else ()))
        out.append(Segment(segment.segment_id(), segreader, offset, segreader.doc_count_all(), deleted))
    return out


def plan(segments: list[Segment], previous: list[dict[str, Any]], context: str) -> list[Unit]:
    """Keep the previous units whose segments are intact; one new unit per remaining run."""
    kept: dict[int, tuple[int, dict[str, Any]]] = {}  # index of first segment → (segment count, entry)
    names = [s.name for s in segments]
    for entry in previous:
        wanted = entry.get("segments") or []
        for i in range(len(names) - len(wanted) + 1):
            if wanted and names[i : i + len(wanted)] == wanted:
                if unit_key(segments[i : i + len(wanted)], context) == entry.get("key"):
                    kept[i] = (len(wanted), entry)
                break
    units: list[Unit] = []
    run: list[Segment] = []
    i = 0
    while i < len(segments):
        if i in kept:
            units += [Unit(part, unit_key(part, context)) for part in _by_size(run)]
            run = []
            size, entry = kept[i]
            units.append(Unit(segments[i : i + size], entry["key"], entry))
            i += size
        else:
            run.append(segments[i])
            i += 1
    units += [Unit(part, unit_key(part, context)) for part in _by_size(run)]
    while len(units) > MAX_UNITS:  # the two smallest neighbours at the end become one new unit
        tail = units[-2].segments + units[-1].segments
        units[-2:] = [Unit(tail, unit_key(tail, context))]
    return units


def _by_size(run: list[Segment]) -> list[list[Segment]]:
    """A run of segments cut where it goes from large segments to small ones or back: the small ones
    (an ingest's corrected reports) are the ones Whoosh merges at a later ingest, and a unit is kept
    only while all its segments are there."""
    largest = max((s.count for s in run), default=0)
    return [list(part) for _, part in itertools.groupby(run, key=lambda s: s.count * SMALL_SHARE < largest)]
