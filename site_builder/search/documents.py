"""What a result shows, per document of a unit: the document store of the export.

Documents are kept in chunks of ``DOC_CHUNK`` consecutive document numbers (a report's documents
are consecutive: its chunks hold its snippet data together). A chunk is the JSON
``{"r": {n: [report id, agency, year, province, city, county, page]}, "d": [[report n, id after
"<report id>:", kind (0 section, 1 table row), part, title, text, anchor on the page (0: the
same as the id's), label, values], …]}``, one record per document number from ``c * DOC_CHUNK``,
compressed after
the unit's **document primer** (``codec.PrimedStream``): the strings its documents repeat most (the
section paths, the table rows' texts and values, the sentences every report's template shares), up
to deflate's window of 32 KB, stored once in the unit's meta pack. Boilerplate costs a few bytes
a copy instead of its length.

Chunks go to packs of ``CHUNKS_PER_PACK`` chunks, each in a slot (``codec.SlottedPacks``): the reader
finds a document's chunk by arithmetic, its bytes by the slots' directory (in the unit's meta pack,
read once with the primers): one range read a chunk.

The chunks' raw JSON is spilled to a temporary file while the documents are read (the primer is
known only once all of them are seen) and compressed at the end.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from archive import schema
from archive.model import Report
from site_builder.search.codec import PrimedStream, SlottedPacks, primer, to_json
from site_builder.site import section_anchors
from site_builder.tables import cell_id, table_id
from site_builder.urls import report_slug

DOC_CHUNK = 16
CHUNKS_PER_PACK = 1024
PRIMER_SAMPLE = 20_000  # documents whose strings are counted for the primer (spread over the unit)
KINDS = ["section", "table_row"]
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？\n]?")
_HEAD = struct.Struct("<I")


@dataclass
class ReportPlaces:
    """What the export needs of the reports: each one's page, where its sections' documents are on it
    (``anchor_map``: the anchors that differ only), and the years. Small (a build hands it to the
    export's process) and made in one pass."""

    pages: dict[str, str] = field(default_factory=dict)
    anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)


def report_places(reports: Iterable[Report], report_paths: dict[str, str] | None = None) -> ReportPlaces:
    """``report_paths``: each report's page in the site (a report missing from it: its page by its slug)."""
    places = ReportPlaces()
    years: set[int] = set()
    for report in reports:
        places.pages[report.id] = (report_paths or {}).get(report.id) or f"reports/{report_slug(report)}.html"
        moved = {k: v for k, v in anchor_map(report).items() if k != v}
        if moved:
            places.anchors[report.id] = moved
        if report.year:
            years.add(report.year)
    places.years = sorted(years, reverse=True)
    return places


def anchor_map(report: Report) -> dict[str, str]:
    """The documents' anchor (archive.index.documents) → the anchor of the report page."""
    page = section_anchors(report)
    out: dict[str, str] = {}
    for index, (_, section) in enumerate(report.all_sections()):
        out.setdefault(section.anchor or f"s{index}", page[id(section)])
    return out


def page_anchor(stored: dict[str, Any], anchors: dict[str, str]) -> str:
    """Where the document is on its report page: the section, or the table row's first cell."""
    if stored["kind"] == "table_row" and stored.get("table") and stored.get("row"):
        columns = schema.column_keys(stored["table"], stored["row"])
        if columns:
            return cell_id(stored["table"], stored["row"], columns[0])
        return table_id(stored["table"])
    anchor = stored.get("anchor") or ""
    return anchors.get(anchor, anchor)


class DocumentWriter:
    """Documents in unit order → chunks (spilled raw), then compressed into packs by ``finish``."""

    def __init__(self, places: ReportPlaces, spill: Path, size: int) -> None:
        self.places = places
        self.spill_path = spill
        self.spill: BinaryIO = open(spill, "wb", buffering=1 << 20)  # noqa: SIM115
        self.every = max(1, size // PRIMER_SAMPLE)
        self.strings: list[str] = []
        self.report_numbers: dict[str, int] = {}
        self.chunk_number = 0
        self.chunk: dict[str, Any] = {"r": {}, "d": []}
        self.chunks = 0

    def report_number(self, report_id: str) -> int:
        return self.report_numbers.setdefault(report_id, len(self.report_numbers))

    def add(self, doc: int, stored: dict[str, Any]) -> None:
        if doc // DOC_CHUNK != self.chunk_number:
            self._flush()
            while self.chunk_number < doc // DOC_CHUNK:  # chunks of deleted-only or missing numbers stay empty
                self.chunk_number += 1
                if self.chunk_number < doc // DOC_CHUNK:
                    self._flush()
        rid = stored["report_id"]
        number = self.report_number(rid)
        anchors = self.places.anchors.get(rid, {})
        key = str(number)
        if key not in self.chunk["r"]:
            path = self.places.pages.get(rid, "")
            self.chunk["r"][key] = [rid, stored.get("agency", ""), stored.get("year"), stored.get("province", ""),
                                    stored.get("city", ""), stored.get("county", ""), path]
        if not stored["id"].startswith(rid + ":"):
            raise ValueError(f"document id {stored['id']!r} does not start with its report's id {rid!r}")
        suffix = stored["id"][len(rid) + 1 :]
        anchor = page_anchor(stored, anchors)
        record = [number, suffix, KINDS.index(stored["kind"]), stored.get("part", ""), stored.get("title", ""),
                  stored.get("text", ""), 0 if anchor == suffix else anchor, stored.get("label") or "",
                  stored.get("values") or ""]
        self.chunk["d"].append(record)
        if doc % self.every == 0:
            self._count(record)

    def _count(self, record: list[Any]) -> None:
        _, _, kind, _, title, text, _, label, values = record
        self.strings.append(title)
        if kind == 1:
            self.strings += [text, values, label]
        else:
            self.strings += _SENTENCE.findall(text)

    def _flush(self) -> None:
        data = to_json(self.chunk)
        self.spill.write(_HEAD.pack(len(data)))
        self.spill.write(data)
        self.chunks += 1
        self.chunk = {"r": {}, "d": []}

    def finish(self, prefix: str) -> tuple[bytes, list[tuple[str, bytes]], bytes]:
        """The primer, the packs ``<prefix><n>.pack`` and their slots' directory."""
        if self.chunk["d"]:
            self._flush()
        self.spill.close()
        text_primer = primer(self.strings)
        self.strings = []
        stream = PrimedStream(text_primer)
        packs = SlottedPacks(prefix, CHUNKS_PER_PACK)
        for data in _read_spill(self.spill_path):
            packs.add(stream.add(data))
        self.spill_path.unlink()
        return text_primer, *packs.finish()


def _read_spill(path: Path) -> Iterator[bytes]:
    with open(path, "rb", buffering=1 << 20) as handle:
        while head := handle.read(_HEAD.size):
            (length,) = _HEAD.unpack(head)
            yield handle.read(length)
