"""Ingest a content folder into the index: parse what changed, index it, switch generations atomically.

Two parallel phases on a pool of worker processes:

1. parse each new or changed file (``load_report``) and store the report as JSON in the new generation;
2. turn reports into documents and index them with Whoosh's multi-process writer, made
   deterministic (``ordered_writer``): each worker segments (jieba, with the dictionary that now
   includes every agency of the corpus) a contiguous run of the reports sorted by id and writes its
   own segment, so document numbers follow report ids and are the same on every full ingest of the
   same corpus. Small incremental changes are indexed in the parent process.

When the dictionary changes (a new agency), every report is re-segmented from its stored JSON (not
re-parsed), so that index and queries always use one dictionary.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from whoosh import index as whoosh_index

from archive import files as content_files
from archive.disk_errors import disk_problem
from archive.errors import ArchiveError, ReadError
from archive.index import store
from archive.index.analysis import cache_file_name, dictionary_words, segmenter, use_dictionary, userdict_text
from archive.index.documents import report_documents
from archive.index.lock import ingest_lock
from archive.index.ordered_writer import OrderedMpWriter
from archive.index.orphans import dying_with_parent
from archive.index.report_analysis import (
    ANALYSIS_DIR,
    analyse_report,
    read_analysis,
    retag,
    words_segmenter,
    write_analysis,
)
from archive.index.schema import SEARCH_FIELD, SEARCH_FIELDS, content_of, index_schema
from archive.index.segment_merge import merge_small_in_order
from archive.index.vocabulary import QuerySegmenter, indexed_words
from archive.model import Report
from archive.pipeline import load_report, relative_source, report_id
from archive.readers import REPORT_SUFFIXES, sniff_format
from archive.readers.ocr.cache import cache_in
from archive.readers.ocr.reading import pending_pages
from archive.readers.ocr.run import read_pages
from archive.themes.config import ThemeList, load_themes, themes_path

KEEP_GENERATIONS = 2  # the current one and the one before it
OCR_CACHE_DIR = "ocr-cache"  # beside the generations: OCR readings outlive every rebuild of the index
IN_PROCESS_LIMIT = 8  # fewer reports than this are segmented without starting worker processes
WORKERS = max(1, min(os.cpu_count() or 1, 8))


@dataclass
class IngestResult:
    reports: int = 0  # reports in the index after the run
    parsed: int = 0  # files parsed in this run
    deleted: int = 0
    retagged: int = 0  # unchanged reports whose sentences were tagged again (the themes changed)
    documents: int = 0  # documents in the index after the run
    documents_added: int = 0
    findings: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # source -> message
    seconds: float = 0.0
    up_to_date: bool = False
    rebuilt: bool = False
    generation: str = ""
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase, in order

    def phase(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.phases[name] = round(now - since, 3)
        return now

    @property
    def exit_code(self) -> int:
        if self.skipped and not self.reports:
            return 1
        return 3 if self.skipped else 0


def report_files(content_dir: Path, on_outside: Callable[[Path, str], object] | None = None) -> list[Path]:
    """The report files under ``content_dir``: every file with a report suffix, except under ``pages/`` and hidden ones.

    A symbolic link leading outside ``content_dir`` is passed to ``on_outside`` and skipped (``archive.files``).
    """
    return content_files.report_files(content_dir, on_outside=on_outside)


def _sha256(path: Path) -> str:
    return hashlib.sha256(content_files.report_bytes(path)).hexdigest()


# --- worker tasks (module level: they run in other processes) -------------------------------------


ParseTask = tuple[str, str, str, ThemeList, str]
"""(file, content folder, reports folder of the new generation, themes, index folder)."""


def _parse_task(task: ParseTask) -> tuple[str, dict[str, Any] | None, str | None]:
    """Parse one file, store its report JSON and its analysis; return (source, metadata) or (source, None, error)."""
    path, root, reports_dir, themes, index_dir = task
    source = relative_source(Path(path), Path(root))
    try:
        data = content_files.report_bytes(Path(path))
        report = load_report(path, root, data=data)
    except ReadError as exc:
        return source, None, exc.problem
    except OSError as exc:
        return source, None, f"文件无法打开（{exc.strerror or exc}）"
    except Exception as exc:  # a parser bug must not stop the other files; it is reported by name
        return source, None, f"解析时出错（{type(exc).__name__}: {exc}）"
    out = Path(reports_dir) / f"{report.id}.json"
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(report.to_dict(), ensure_ascii=False), "utf-8")
    os.replace(tmp, out)
    analysis = analyse_report(report, themes, words_segmenter(Path(index_dir)))
    write_analysis(Path(reports_dir).parent / ANALYSIS_DIR, analysis)
    meta = {
        "sha256": report.sha256,
        "report_id": report.id,
        "agency": report.agency,
        "year": report.year,
        "findings": len(report.findings),
    }
    return source, meta, None


def _retag_task(task: tuple[str, str | None, str, ThemeList, str]) -> str:
    """Tag a report's sentences again with new themes (its words are kept when the previous generation has them)."""
    report_id, previous, generation, themes, index_dir = task
    report = store.read_report(Path(generation), report_id)
    old = read_analysis(Path(previous), report_id) if previous else None
    if old is None:
        analysis = analyse_report(report, themes, words_segmenter(Path(index_dir)))
    else:
        analysis = retag(old, report, themes)
    write_analysis(Path(generation) / ANALYSIS_DIR, analysis)
    return report_id


def _documents(report_path: Path) -> list[dict[str, Any]]:
    report = Report.from_dict(json.loads(report_path.read_text("utf-8")))
    docs = []
    for doc in report_documents(report):
        doc[SEARCH_FIELD] = content_of(doc["title"], doc["text"])
        docs.append({k: v for k, v in doc.items() if v is not None and v != ""})
    return docs


# --- the ingest ------------------------------------------------------------------------------------


class Progress:
    """A click progress bar on a terminal, nothing otherwise."""

    def __init__(self, show: bool) -> None:
        self.show = show

    def run(self, items: Iterable[Any], length: int, label: str) -> Iterator[Any]:
        if not self.show or length == 0:
            yield from items
            return
        with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
            yield from bar

    @contextlib.contextmanager
    def steps(self, length: int, label: str) -> Iterator[Callable[[], None]]:
        """A bar advanced by calling what it yields, once per step (a page read by OCR)."""
        if not self.show or length == 0:
            yield lambda: None
            return
        with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
            yield lambda: bar.update(1)


def _ocr_ahead(paths: list[Path], progress: Progress) -> None:
    """Read by OCR, into the cache, the pages without text of the files about to be parsed, page by page with a bar.

    Pages already in the cache count at once; a file that cannot be read is left to the parse to report.
    """
    work = []
    for path in paths:
        try:
            data = content_files.report_bytes(path)
            pending = pending_pages(data, sniff_format(path, data))
        except Exception:  # a damaged file is named by the parse that follows, with its reader's message
            continue
        if pending is not None:
            work.append((data, *pending))
    with progress.steps(sum(len(pages) for _, _, pages in work), "文字识别（OCR，按页）") as step:
        for data, source, pages in work:
            try:
                read_pages(source, pages, hashlib.sha256(data).hexdigest(), lambda _page: step())
            except Exception:  # the parse reads the file again and names what went wrong
                continue


def _pool_map(func: Callable[[Any], Any], tasks: list[Any], progress: Progress, label: str) -> Iterator[Any]:
    if len(tasks) < IN_PROCESS_LIMIT or WORKERS == 1:
        yield from progress.run(map(func, tasks), len(tasks), label)
        return
    context = multiprocessing.get_context("fork")
    chunksize = max(1, min(32, len(tasks) // (WORKERS * 8)))
    with context.Pool(WORKERS) as pool:
        yield from progress.run(pool.imap_unordered(func, tasks, chunksize), len(tasks), label)


def _interleaved(items: list[str], parts: int) -> Iterator[tuple[int, str]]:
    """``(part, item)``: ``items`` cut into ``parts`` contiguous runs of nearly equal length, taken
    in turn (one from each run), so that every worker is kept busy."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for part in range(parts):
        end = start + size + (1 if part < extra else 0)
        runs.append(items[start:end])
        start = end
    for position in range(size + 1):
        for part, run in enumerate(runs):
            if position < len(run):
                yield part, run[position]


def _new_generation(index_dir: Path, previous: Path | None) -> Path:
    numbers = [store.generation_number(p) for p in index_dir.glob("g*") if p.is_dir()]
    number = max([0, *numbers]) + 1
    generation = index_dir / f"g{number:06d}"
    generation.mkdir()
    (generation / store.REPORTS_DIR).mkdir()
    (generation / ANALYSIS_DIR).mkdir()
    return generation


def _link_tree(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_file() and not item.name.endswith(("LOCK", ".lock")):
            os.link(item, target / item.name)


def _remove_old_generations(index_dir: Path, keep: list[Path]) -> None:
    keep_names = {p.name for p in keep}
    for path in index_dir.glob("g*"):
        if path.is_dir() and path.name not in keep_names:
            shutil.rmtree(path, ignore_errors=True)


def _remove_old_caches(index_dir: Path, dictionaries: list[list[str]]) -> None:
    keep = {cache_file_name(words) for words in dictionaries}
    for path in index_dir.glob(cache_file_name([]).split("-")[0] + "-archive-*.cache"):
        if path.name not in keep:
            path.unlink(missing_ok=True)


def _flush_to_disk(path: Path) -> None:
    """Put on disk what this run wrote under ``path`` before the switch: one ``syncfs(2)`` of its
    file system where Linux has it (one journal commit instead of one per file), else ``fsync``
    of every new file and folder."""
    if not _syncfs(path):
        _fsync_tree(path)


def _syncfs(path: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    """Flush to disk every file this run wrote (hard links of the previous generation already are)."""
    for root, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                if os.fstat(fd).st_nlink == 1:
                    os.fsync(fd)
            finally:
                os.close(fd)
        directory = os.open(root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def ingest(
    content_dir: Path,
    index_dir: Path,
    show_progress: bool = False,
    echo: Callable[[str], None] = lambda _message: None,
    lock_wait: float = 0.0,
) -> IngestResult:
    """Bring the index in ``index_dir`` up to date with the reports under ``content_dir``."""
    started = time.perf_counter()
    content_dir = Path(content_dir)
    index_dir = Path(index_dir)
    with ingest_lock(index_dir, lock_wait), dying_with_parent():
        try:
            with cache_in(index_dir / OCR_CACHE_DIR):
                result = _ingest_locked(content_dir, index_dir, Progress(show_progress), echo)
        except OSError as exc:
            raise _write_error(exc, content_dir, index_dir) from exc
    result.seconds = time.perf_counter() - started
    return result


def _write_error(exc: OSError, content_dir: Path, index_dir: Path) -> ArchiveError:
    """An ingest stopped by the disk (full, read-only): the unfinished generation removed, the current one kept."""
    where = Path(str(exc.filename or index_dir))
    if _is_under(where, content_dir) and not _is_under(where, index_dir):  # a report that could not be read
        cause = "没有读取权限" if isinstance(exc, PermissionError) else disk_problem(exc)
        return ReadError(where, f"文件无法打开（{cause}）；索引未改动")
    current = store.current_generation(index_dir)
    with contextlib.suppress(OSError):
        _remove_old_generations(index_dir, [p for p in [current, *_previous_generations(index_dir, current)] if p])
    return ArchiveError(f"无法写入索引 {index_dir}（{disk_problem(exc)}）；原索引保持不变，请处理后重新运行 archive ingest。")


def _is_under(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(Path(os.path.abspath(folder)))


def _ingest_locked(content_dir: Path, index_dir: Path, progress: Progress, echo: Callable[[str], None]) -> IngestResult:
    result = IngestResult()
    clock = time.perf_counter()
    previous = store.current_generation(index_dir)
    old_manifest = store.read_manifest(previous) if previous else {"files": {}, "skipped": {}, "words": []}
    if old_manifest.get("format", store.MANIFEST_FORMAT) != store.MANIFEST_FORMAT:
        old_manifest = {"files": {}, "skipped": {}, "words": []}  # built by an older version: rebuild it all
    old_files: dict[str, dict[str, Any]] = old_manifest["files"]
    themes = load_themes(themes_path(content_dir))
    themes_changed = old_manifest.get("themes_digest") != themes.digest

    outside: dict[str, str] = {}
    found = report_files(content_dir, lambda link, problem: outside.update({link.relative_to(content_dir).as_posix(): problem}))
    for source, problem in outside.items():
        echo(f"跳过 {source}：{problem}")
    result.skipped = dict(outside)
    files = {relative_source(p, content_dir): p for p in found}
    if not files:
        # most likely a wrong folder: emptying the index would be the wrong answer
        raise ArchiveError(f"{content_dir} 中没有找到报告文件（{', '.join(sorted(REPORT_SUFFIXES))}），索引未改动。")
    hashes = {source: _sha256(path) for source, path in files.items()}
    unchanged = {s for s, h in hashes.items() if s in old_files and old_files[s]["sha256"] == h}
    to_parse = sorted(set(files) - unchanged)
    deleted = sorted(set(old_files) - set(files))
    clock = result.phase("scan", clock)
    if previous is not None and not to_parse and not deleted and not themes_changed:
        return _up_to_date(result, old_manifest, previous)

    # a generation left by a killed ingest is never current: clear it away before starting a new one
    _remove_old_generations(index_dir, [p for p in [previous, *_previous_generations(index_dir, previous)] if p])
    generation = _new_generation(index_dir, previous)
    reports_dir = generation / store.REPORTS_DIR
    to_retag: list[str] = []
    for source in unchanged:
        rid = old_files[source]["report_id"]
        _link_report(previous, generation, rid, themes_changed, to_retag)  # type: ignore[arg-type]

    new_files: dict[str, dict[str, Any]] = {s: old_files[s] for s in unchanged}
    skipped: dict[str, dict[str, str]] = {}
    _ocr_ahead([files[s] for s in to_parse], progress)
    clock = result.phase("ocr", clock)
    if to_parse:
        words_segmenter(index_dir)  # loaded once here, shared by the forked workers
    tasks: list[ParseTask] = [(str(files[s]), str(content_dir), str(reports_dir), themes, str(index_dir)) for s in to_parse]
    for source, meta, error in _pool_map(_parse_task, tasks, progress, "解析报告"):
        if meta is not None:
            new_files[source] = meta
            continue
        skipped[source] = {"sha256": hashes[source], "message": error or ""}
        if source in old_files:  # changed and now unreadable: the version read last time stays indexed
            rid = old_files[source]["report_id"]
            _link_report(previous, generation, rid, themes_changed, to_retag)  # type: ignore[arg-type]
            new_files[source] = old_files[source]
            echo(f"跳过 {source}：{error}（索引中保留上次成功读取的版本）")
        else:
            echo(f"跳过 {source}：{error}")
    parsed = [s for s in to_parse if s in new_files and s not in skipped]
    result.parsed = len(parsed)
    result.deleted = len(deleted)
    result.skipped = {**outside, **{s: v["message"] for s, v in skipped.items()}}
    clock = result.phase("parse", clock)
    retag_tasks = [(rid, str(previous) if previous else None, str(generation), themes, str(index_dir)) for rid in to_retag]
    for _ in _pool_map(_retag_task, retag_tasks, progress, "标注主题"):
        result.retagged += 1
    if retag_tasks:
        clock = result.phase("themes", clock)

    if previous is not None and not parsed and not deleted and not themes_changed:
        shutil.rmtree(generation, ignore_errors=True)
        return _up_to_date(result, old_manifest, previous)

    words = dictionary_words(m["agency"] for m in new_files.values() if m.get("agency"))
    rebuild = previous is None or not old_manifest["files"] or words != old_manifest.get("words")
    use_dictionary(words, index_dir)
    clock = result.phase("dictionary", clock)
    whoosh_dir = generation / store.WHOOSH_DIR
    if rebuild:
        whoosh_dir.mkdir()
        ix = whoosh_index.create_in(str(whoosh_dir), index_schema())
        to_index = sorted(m["report_id"] for m in new_files.values())
    else:
        _link_tree(previous / store.WHOOSH_DIR, whoosh_dir)  # type: ignore[operator]
        ix = whoosh_index.open_dir(str(whoosh_dir))
        to_index = sorted(new_files[s]["report_id"] for s in parsed)
    parts = 1
    if rebuild and WORKERS > 1 and len(to_index) >= IN_PROCESS_LIMIT:
        # segmentation and indexing in WORKERS processes, one segment each (forked: they share the
        # dictionary); worker i indexes the i-th run of the sorted reports, so docnums follow report ids
        parts = WORKERS
        writer = OrderedMpWriter(ix, procs=WORKERS, batchsize=256, limitmb=128, compound=False)
    else:
        writer = ix.writer(limitmb=256, compound=False)
    try:
        if not rebuild:
            for source in [*deleted, *parsed]:
                if source in old_files:
                    writer.delete_by_term("report_id", old_files[source]["report_id"])
        for part, rid in progress.run(_interleaved(to_index, parts), len(to_index), "建立索引"):
            for doc in _documents(reports_dir / f"{rid}.json"):
                if parts > 1:
                    writer.add_document_to(part, doc)
                else:
                    writer.add_document(**doc)
                result.documents_added += 1
        clock = result.phase("index", clock)
        writer.commit(mergetype=merge_small_in_order)
        clock = result.phase("commit", clock)
    except BaseException:
        writer.cancel()
        raise
    result.documents = ix.doc_count()
    with ix.reader() as reader:
        vocabulary = [word for word, _ in indexed_words(reader, SEARCH_FIELDS)]
    ix.close()
    QuerySegmenter.restricted(segmenter(), vocabulary).save(generation / store.QUERY_DICTIONARY_FILE)

    manifest = {
        "format": store.MANIFEST_FORMAT,
        "completed": datetime.now(UTC).isoformat(timespec="seconds"),
        "generation": generation.name,
        "content_dir": str(content_dir.resolve()),
        "files": dict(sorted(new_files.items())),
        "skipped": skipped,
        "documents": result.documents,
        "words": words,
        "themes_digest": themes.digest,
    }
    (generation / store.USERDICT_FILE).write_text(userdict_text(words), "utf-8")
    store.write_json_atomic(generation / store.THEMES_FILE, themes.to_dict())
    store.write_json_atomic(generation / store.MANIFEST_FILE, manifest)
    _flush_to_disk(generation)
    store.point_current_at(index_dir, generation)
    _remove_old_generations(index_dir, [generation, *([previous] if previous else [])])
    _remove_old_caches(index_dir, [words, old_manifest.get("words", [])])
    result.phase("finish", clock)

    result.reports = len(new_files)
    result.findings = sum(m.get("findings", 0) for m in new_files.values())
    result.rebuilt = rebuild
    result.generation = generation.name
    return result


def _link_report(previous: Path, generation: Path, report_id: str, themes_changed: bool, to_retag: list[str]) -> None:
    """Take a report unchanged from the previous generation: its JSON, and its analysis unless the themes
    changed or it has none (then it goes to ``to_retag``)."""
    name = f"{report_id}.json"
    os.link(previous / store.REPORTS_DIR / name, generation / store.REPORTS_DIR / name)
    old = previous / ANALYSIS_DIR / name
    if themes_changed or not old.is_file():
        to_retag.append(report_id)
    else:
        os.link(old, generation / ANALYSIS_DIR / name)


def _previous_generations(index_dir: Path, current: Path | None) -> list[Path]:
    """The generation before ``current`` (kept as a fallback), if there is one."""
    if current is None:
        return []
    older = [p for p in index_dir.glob("g*") if p.is_dir() and store.generation_number(p) < store.generation_number(current)]
    older = [p for p in older if (p / store.MANIFEST_FILE).is_file()]
    return sorted(older, key=store.generation_number)[-1:]


def _up_to_date(result: IngestResult, manifest: dict[str, Any], generation: Path) -> IngestResult:
    result.up_to_date = True
    result.reports = len(manifest["files"])
    result.documents = manifest.get("documents", 0)
    result.findings = sum(m.get("findings", 0) for m in manifest["files"].values())
    result.generation = generation.name
    return result


__all__ = ["IngestResult", "ingest", "report_files", "report_id"]
