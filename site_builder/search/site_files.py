"""The search's files of the site: the browser code (static/search/) and the exported index (search/)."""

from __future__ import annotations

import logging
import multiprocessing
import traceback
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archive.index import store
from archive.model import Report
from site_builder.search.export import ExportedFiles, export_files

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "search"


NO_DATA_MANIFEST = b'{"format":2,"empty":true}'


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
    return ChainMap(export_files(folder, reports, report_paths, published=published), files)


class ExportJob:
    """The export made in a child process while the build renders the pages (the other core):
    ``files()`` waits for it and gives what ``search_files`` gives. The child is forked, so it reads
    the reports the build holds without copying them; it writes the files to a temporary folder."""

    def __init__(self, index_dir: Path, reports: list[Report], report_paths: dict[str, str],
                 published: Path | None) -> None:
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_export_child, args=(sender, index_dir, reports, report_paths, published),
                                       name="search-export", daemon=True)
        self.process.start()
        sender.close()

    def files(self) -> Mapping[str, bytes]:
        try:
            outcome: tuple[str, Any] = self.receiver.recv()
        except EOFError:
            outcome = ("error", f"the search export's process ended ({self.process.exitcode})")
        finally:
            self.process.join()
        kind, value = outcome
        if kind == "error":
            raise RuntimeError(value)
        folder, paths = value
        return ChainMap(ExportedFiles(Path(folder), paths, "search/"), static_files())


def _export_child(sender: Any, index_dir: Path, reports: list[Report], report_paths: dict[str, str],
                  published: Path | None) -> None:
    try:
        exported = export_files(index_dir, reports, report_paths, published=published)
        exported._cleanup.detach()  # the parent removes the folder
        sender.send(("done", (str(exported.folder), list(exported.paths.values()))))
    except BaseException as exc:  # noqa: BLE001 (any failure is the parent's to report)
        log.debug("search export failed\n%s", traceback.format_exc())
        sender.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


def start_export(index_dir: Path | None, reports: list[Report], report_paths: dict[str, str],
                 published: Path | None) -> ExportJob | None:
    """Start the export of the index in ``index_dir`` beside the build; None when there is no index."""
    folder = Path(index_dir) if index_dir else store.default_index_dir()
    if store.current_generation(folder) is None:
        log.warning("%s 中没有索引：网站的搜索页将没有数据（请先运行 archive ingest）", folder)
        return None
    return ExportJob(folder, reports, report_paths, published)
