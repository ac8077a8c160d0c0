"""Export the Whoosh index into the static files the browser search reads (docs/search-format.md).

``search/manifest.json`` (collection statistics, the query plan' constants, the units and where
every numbered blob is), ``search/q-<n>.pack`` (the query dictionary, affixes, lexicon:
``query_files``) and per unit of Whoosh segments ``search/u<key>/`` (``unit``). A unit the previous
export already wrote (same segments, same code, same report pages: ``units.plan``) is taken from
the published site as it is.

Everything the score needs comes from the Whoosh reader itself: document numbers, the weights of
the postings, the length bytes, ``doc_count_all`` and the average field length of the searcher,
each term's document frequency (the browser adds the units' and computes BM25F's idf from it).
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from archive.index import query as query_language
from archive.index import store
from archive.index.analysis import use_dictionary
from archive.index.schema import SEARCH_FIELD, SEARCH_FIELDS
from archive.model import Report
from site_builder.search import units as unit_plan
from site_builder.search.codec import to_json
from site_builder.search.documents import DOC_CHUNK, ReportPlaces, report_places
from site_builder.search.postings import BLOCK_POSTINGS, K1, RAW_POSTINGS, SEGMENT_BLOCKS, SLIM_WEIGHTS, B
from site_builder.search.query_files import query_files
from site_builder.search.unit import KINDS, PACK_BYTES, PARTS, export_unit

log = logging.getLogger(__name__)

FORMAT = 3
Emit = Callable[[str, bytes], None]
Keep = Callable[[str], None]


def _rules() -> dict[str, Any]:
    return {
        "optionalEdgesFrom": query_language.OPTIONAL_EDGES_FROM,
        "rerankDepth": query_language.RERANK_DEPTH,
        "commonShare": query_language.COMMON_SHARE,
        "commonMin": query_language.COMMON_MIN,
        "phraseCheckLimit": query_language.PHRASE_CHECK_LIMIT,
        "maxCutWord": query_language.MAX_CUT_WORD,
        "longQuery": query_language.LONG_QUERY,
        "trailing": query_language.TRAILING_PUNCTUATION,
    }


def read_previous(published: Path | None) -> dict[str, Any]:
    """The manifest of the search files a site already has (``{}`` when none, or of another format)."""
    if published is None:
        return {}
    try:
        manifest = json.loads((published / "search" / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else {}


def stream_export(index_dir: Path, emit: Emit, reports: list[Report] | None = None,
                  report_paths: dict[str, str] | None = None, published: Path | None = None,
                  keep: Keep | None = None, places: ReportPlaces | None = None) -> dict[str, Any]:
    """Hand each file of the export to ``emit(path, data)`` (paths relative to ``search/``); the
    manifest last. ``published``: a site whose kept units are read back from its ``search/`` and
    emitted, or, with ``keep``, only named to ``keep(path)`` (the caller takes the published file).
    The reports' pages and anchors: ``places``, or made from ``reports`` and ``report_paths`` (from
    the index's summaries when neither is given)."""
    generation = store.current_generation(Path(index_dir))
    if generation is None:
        raise FileNotFoundError(f"{index_dir} 中还没有索引")
    manifest = store.read_manifest(generation)
    segmenter = use_dictionary(manifest["words"], Path(index_dir))
    if places is None:
        if reports is None:  # the summaries the site build gives (full reports would take gigabytes)
            from site_builder.sources import IndexStore

            reports = IndexStore(Path(index_dir)).summaries
        places = report_places(reports, report_paths)
    previous = read_previous(published)
    index = whoosh_index.open_dir(str(generation / store.WHOOSH_DIR), readonly=True)
    searcher = index.searcher(weighting=BM25F())
    try:
        reader = searcher.reader()
        avgfl = [searcher.avg_field_length(f) or 1 for f in SEARCH_FIELDS]
        context = unit_plan.code_digest() + "\0" + json.dumps(sorted(places.pages.items()), ensure_ascii=False)
        planned = unit_plan.plan(unit_plan.segments_of(reader), previous.get("units") or [], context)
        entries = []
        with tempfile.TemporaryDirectory(prefix="search-export-") as spill:
            for unit in planned:
                if unit.previous is not None and _republish(unit.previous, published, emit, keep):
                    log.debug("search unit %s kept", unit.key)
                    entry = dict(unit.previous)
                    entry["first"] = unit.first  # later or earlier when a segment before it was merged away
                else:
                    entry = export_unit(unit, segmenter, places, avgfl[0], Path(spill), emit)
                entry["deleted"] = _runs([d for s in unit.segments for d in s.deleted])
                entries.append(entry)
        query_entry, blobs = query_files(reader, segmenter, "q-", PACK_BYTES)
        for path, data in blobs.paths():
            emit(path, data)
        out = {
            "format": FORMAT,
            "docCount": searcher.doc_count_all(),
            "fields": list(SEARCH_FIELDS),
            "avgfl": avgfl,
            "B": B,
            "K1": K1,
            "lengths": [byte_to_length(b) for b in range(256)],
            "blockPostings": BLOCK_POSTINGS,
            "rawPostings": RAW_POSTINGS,
            "segmentBlocks": SEGMENT_BLOCKS,
            "slimWeights": SLIM_WEIGHTS,
            "docChunk": DOC_CHUNK,
            **query_entry,
            "parts": PARTS,
            "kinds": KINDS,
            "years": places.years,
            "rules": _rules(),
            "units": entries,
        }
        emit("manifest.json", to_json(out))
        return out
    finally:
        searcher.close()
        index.close()


def _republish(entry: dict[str, Any], published: Path | None, emit: Emit, keep: Keep | None) -> bool:
    """Name the files of a kept unit to ``keep``, or read them from the published site and hand them
    to ``emit``; False when the published site has none."""
    if published is None:
        return False
    folder = published / "search" / entry["dir"]
    files = sorted(folder.glob("*.pack")) if folder.is_dir() else []
    if not files:
        return False
    for path in files:
        if keep is not None:
            keep(f"{entry['dir']}{path.name}")
        else:
            emit(f"{entry['dir']}{path.name}", path.read_bytes())
    return True


def _runs(docs: list[int]) -> list[list[int]]:
    """Sorted document numbers as [start, end) runs."""
    out: list[list[int]] = []
    for doc in sorted(docs):
        if out and out[-1][1] == doc:
            out[-1][1] = doc + 1
        else:
            out.append([doc, doc + 1])
    return out


class ExportedFiles(Mapping[str, bytes]):
    """The export's files, written to a temporary folder and read back one at a time; the folder
    goes when the mapping does (or on ``close``). ``kept``: the paths of the units kept as published,
    read from the published site's ``search/`` (a build takes those files as they are)."""

    def __init__(self, folder: Path, paths: list[str], prefix: str,
                 kept: Iterable[str] = (), published: Path | None = None) -> None:
        self.folder = folder
        self.prefix = prefix
        self.written, self.kept_files = list(paths), list(kept)
        self.paths = {prefix + p: p for p in [*self.written, *self.kept_files]}
        self.kept = frozenset(prefix + p for p in self.kept_files)
        self._published = published / "search" if published is not None else None
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, True)

    def __getitem__(self, path: str) -> bytes:
        if path in self.kept:
            return (self._published / self.paths[path]).read_bytes()
        return (self.folder / self.paths[path]).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def close(self) -> None:
        self._cleanup()


def export_files(index_dir: Path, reports: list[Report] | None = None, report_paths: dict[str, str] | None = None,
                 prefix: str = "search/", published: Path | None = None,
                 places: ReportPlaces | None = None) -> ExportedFiles:
    """The search files of the index in ``index_dir`` as a mapping {site path: bytes}, kept on disk
    (the kept units' files: in the ``published`` site, named in ``kept``)."""
    folder = Path(tempfile.mkdtemp(prefix="search-files-"))
    paths: list[str] = []
    kept: list[str] = []

    def write(path: str, data: bytes) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        paths.append(path)

    try:
        stream_export(index_dir, write, reports, report_paths, published, kept.append, places)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ExportedFiles(folder, paths, prefix, kept, published)


def write_export(index_dir: Path, out_dir: Path, reports: list[Report] | None = None) -> dict[str, int]:
    """Write the export into ``out_dir`` (a site's ``search/`` folder); sizes raw and gzipped."""
    sizes = {"files": 0, "bytes": 0, "gzip_bytes": 0}

    def write(path: str, data: bytes) -> None:
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        sizes["files"] += 1
        sizes["bytes"] += len(data)
        sizes["gzip_bytes"] += len(gzip.compress(data, 6))

    stream_export(index_dir, write, reports)
    return sizes


__all__ = ["FORMAT", "SEARCH_FIELD", "export_files", "stream_export", "write_export"]
