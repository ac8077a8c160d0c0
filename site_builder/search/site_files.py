"""The search's files of the site: the browser code (static/search/) and the exported index (search/)."""

from __future__ import annotations

import logging
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path

from archive.index import store
from archive.model import Report
from site_builder.search.export import export_files

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
