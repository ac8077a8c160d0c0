"""OCR the pages of one file, in parallel on the machine's cores, through the cache.

Each worker process renders or decodes its own pages and runs the engine with one thread (two
processes of one thread each read pages faster than one process with two threads: see
docs/benchmarks.md). Inside a worker of another pool (``archive ingest`` parsing several files
at once) the pages are read in that process, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from archive.readers.ocr import cache
from archive.readers.ocr.engine import engine_id
from archive.readers.ocr.pages import PageSource, PdfPages
from archive.readers.ocr.scan import READING_VERSION, PageScan, scan_page

WORKERS_ENV = "ARCHIVE_OCR_WORKERS"

_source: PageSource | None = None


def workers_for(pages: int) -> int:
    """Processes to OCR ``pages`` pages with: one per core (or ``ARCHIVE_OCR_WORKERS``), one inside a pool's worker."""
    if _in_pool():
        return 1
    wanted = int(os.environ.get(WORKERS_ENV) or os.cpu_count() or 1)
    return max(1, min(wanted, pages))


def _start_worker(source: PageSource) -> None:
    global _source
    _source = source


def _scan(page: int) -> PageScan:
    assert _source is not None
    gray, dpi = _source.image(page)
    return scan_page(gray, page, dpi, threads=1)


def read_pages(
    source: PageSource, pages: list[int], sha256: str, on_page: Callable[[int], object] | None = None
) -> dict[int, PageScan]:
    """The OCR reading of each of ``pages`` (numbers from 1), from the cache where it has them.

    ``on_page`` is called with each page number as its reading is ready (a progress bar).
    """
    engine = f"{engine_id()}; page reading {READING_VERSION}"  # the cache key: engine, models and our reading of a page
    dpi = source.dpi if isinstance(source, PdfPages) else None
    cached = cache.load(sha256, engine, dpi)
    done = {n: cached[n] for n in pages if n in cached}
    todo = [n for n in pages if n not in cached]
    for n in done:
        if on_page:
            on_page(n)
    if todo:
        workers = workers_for(len(todo))
        if workers == 1:
            for n in todo:
                gray, page_dpi = source.image(n)
                done[n] = scan_page(gray, n, page_dpi, threads=1 if _in_pool() else (os.cpu_count() or 1))
                if on_page:
                    on_page(n)
        else:
            context = multiprocessing.get_context("fork")  # as archive ingest; each worker makes its own engine
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(source,)) as pool:
                for scan in pool.map(_scan, todo):
                    done[scan.page] = scan
                    if on_page:
                        on_page(scan.page)
        cache.save(sha256, engine, dpi, {**cached, **done})
    return {n: done[n] for n in pages}


def _in_pool() -> bool:
    """This process is a worker of another pool (which may not start processes of its own)."""
    return multiprocessing.current_process().daemon
