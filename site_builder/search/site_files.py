"""The search's files of the site: the browser code (static/search/) and the exported index (search/)."""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import tempfile
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path

from archive.index import store
from archive.model import Report
from site_builder.search.documents import report_places
from site_builder.search.export import ExportedFiles, export_files

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "search"


NO_DATA_MANIFEST = b'{"format":3,"empty":true}'


def static_files() -> dict[str, bytes]:
    """static/search/*.js and *.css, as site paths, and a search/manifest.json saying there is no
    index data (the export replaces it): the search page then says so instead of failing."""
    files = {
        f"static/search/{p.name}": p.read_bytes()
        for p in sorted(STATIC_DIR.iterdir())
        if p.is_file() and p.suffix in (".js", ".css")
    }
    files["search/manifest.json"] = NO_DATA_MANIFEST
    return files


class SearchFiles(ChainMap[str, bytes]):
    """The search's files of the site; ``kept``: those the export took from the published site as they
    are (its kept units), which a build hard-links instead of reading and comparing them."""

    @property
    def kept(self) -> frozenset[str]:
        return frozenset().union(*(getattr(m, "kept", ()) for m in self.maps))


def search_files(index_dir: Path | None, reports: list[Report] | None = None,
                 report_paths: dict[str, str] | None = None, published: Path | None = None) -> Mapping[str, bytes]:
    """The browser code and, when ``index_dir`` holds an index, its export under search/: a mapping
    whose exported files stay on disk until read (read them one at a time). ``published``: the site
    as published, whose unchanged units are taken as they are."""
    files = static_files()
    folder = Path(index_dir) if index_dir else store.default_index_dir()
    if store.current_generation(folder) is None:
        log.warning("%s 中没有索引：网站的搜索页将没有数据（请先运行 archive ingest）", folder)
        return files
    return SearchFiles(export_files(folder, reports, report_paths, published=published), files)


class ExportJob:
    """The export made in a process of its own (``export_child``) while the build renders the pages (the
    other core): ``files()`` waits for it and gives what ``search_files`` gives. The child is given the
    reports' pages and anchors (``documents.ReportPlaces``); it writes the files to a temporary folder."""

    def __init__(self, index_dir: Path, reports: list[Report], report_paths: dict[str, str],
                 published: Path | None) -> None:
        self._published = published
        self._folder = tempfile.TemporaryDirectory(prefix="archive-export-")
        self._request, self._result = Path(self._folder.name) / "request", Path(self._folder.name) / "result"
        places = report_places(reports, report_paths)
        self._request.write_bytes(pickle.dumps((index_dir, places, published), pickle.HIGHEST_PROTOCOL))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder.search.export_child", str(self._request), str(self._result)]
        )

    def close(self) -> None:
        """Stop the export if it still runs (the build failed) and remove what it was given."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._folder.cleanup()

    def files(self) -> SearchFiles:
        try:
            code = self.process.wait()
            try:
                kind, value = pickle.loads(self._result.read_bytes())
            except (OSError, EOFError, pickle.UnpicklingError):
                kind, value = "error", f"the search export's process ended ({code})"
        finally:
            self._folder.cleanup()
        if kind == "error":
            raise RuntimeError(value)
        folder, paths, kept = value
        return SearchFiles(ExportedFiles(Path(folder), paths, "search/", kept, self._published), static_files())


def start_export(index_dir: Path | None, reports: list[Report], report_paths: dict[str, str],
                 published: Path | None) -> ExportJob | None:
    """Start the export of the index in ``index_dir`` beside the build; None when there is no index."""
    folder = Path(index_dir) if index_dir else store.default_index_dir()
    if store.current_generation(folder) is None:
        log.warning("%s 中没有索引：网站的搜索页将没有数据（请先运行 archive ingest）", folder)
        return None
    return ExportJob(folder, reports, report_paths, published)
