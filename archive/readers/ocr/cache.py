"""OCR readings kept by the file's SHA-256, so an unchanged file is never OCR'd twice.

``archive ingest`` keeps them in ``<index>/ocr-cache/`` (beside the index generations, so they
survive every rebuild); ``ARCHIVE_OCR_CACHE`` names another folder. One JSON file per source
file holds its pages' readings with the engine and resolution that made them: a reading by
another engine version or resolution is not used. Readings of this process are also kept in
memory, for the few most recent files.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

from archive.readers.ocr.scan import PageScan

log = logging.getLogger(__name__)

CACHE_ENV = "ARCHIVE_OCR_CACHE"
IN_MEMORY = 8

_folder: Path | None = None
_memory: OrderedDict[str, dict[int, PageScan]] = OrderedDict()


@contextlib.contextmanager
def cache_in(folder: Path) -> Iterator[None]:
    """Keep OCR readings in ``folder`` while in the ``with`` block (and in the processes forked in it)."""
    global _folder
    before, _folder = _folder, Path(folder)
    try:
        yield
    finally:
        _folder = before


def cache_folder() -> Path | None:
    if _folder is not None:
        return _folder
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else None


def _key(sha256: str, engine: str, dpi: float | None) -> str:
    return f"{sha256}|{engine}|{dpi}"


def load(sha256: str, engine: str, dpi: float | None) -> dict[int, PageScan]:
    """The cached readings of a file's pages (page number → reading), empty when there are none.

    Readings are of the file's bytes: one found in memory is also written to the cache folder
    that lacks it (an ingest into a new index keeps what ``archive check`` read in this process).
    """
    key = _key(sha256, engine, dpi)
    folder = cache_folder()
    path = folder / f"{sha256}.json" if folder else None
    if key in _memory:
        _memory.move_to_end(key)
        if path is not None and not path.is_file():
            save(sha256, engine, dpi, _memory[key])
        return dict(_memory[key])
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("engine") != engine or data.get("dpi") != dpi:
            return {}
        pages = {int(n): PageScan.from_dict(p) for n, p in data["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("OCR cache %s unreadable (%s): the file is read again", path, exc)
        return {}
    _remember(key, pages)
    return dict(pages)


def save(sha256: str, engine: str, dpi: float | None, pages: dict[int, PageScan]) -> None:
    """Keep the readings of a file's pages (in memory, and in the cache folder where there is one)."""
    _remember(_key(sha256, engine, dpi), pages)
    folder = cache_folder()
    if folder is None:
        return
    data = {"engine": engine, "dpi": dpi, "pages": {str(n): p.to_dict() for n, p in sorted(pages.items())}}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sha256}.json"
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except OSError as exc:  # a full or read-only disk costs the next run time, not this run its result
        log.warning("OCR cache %s not written (%s)", folder, exc)


def _remember(key: str, pages: dict[int, PageScan]) -> None:
    _memory[key] = dict(pages)
    _memory.move_to_end(key)
    while len(_memory) > IN_MEMORY:
        _memory.popitem(last=False)
