"""The index folder on disk: generations, the pointer to the current one, and the stored reports.

Layout of an index folder::

    CURRENT              the name of the last completed generation (replaced atomically)
    ingest.lock          held (fcntl) by the ingest that is running
    jieba.cache          jieba's dictionary cache, so that loading it takes milliseconds
    g000007/             one generation: everything a search or the site builder needs
        manifest.json    per source file: sha256, report id, counts; the agencies; when completed
        userdict.txt     the jieba user dictionary the generation was indexed with
        whoosh/          the Whoosh index (one document per section and per table row)
        reports/<id>.json  each parsed report (``Report.to_dict()``)
        analysis/<id>.json each report's tagged sentences and words (``report_analysis``)
        themes.json      the themes list the sentences were tagged with (``ThemeList.to_dict()``)

An ingest builds a new generation next to the current one (hard-linking the files that do
not change: Whoosh segment files are never rewritten) and only then points ``CURRENT`` at it,
so a killed ingest leaves the previous generation current and intact.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from archive.model import Report

CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "manifest.json"
USERDICT_FILE = "userdict.txt"
WHOOSH_DIR = "whoosh"
REPORTS_DIR = "reports"
LOCK_FILE = "ingest.lock"
JIEBA_CACHE_FILE = "jieba.cache"
THEMES_FILE = "themes.json"
QUERY_DICTIONARY_FILE = "query-dictionary.marshal"  # the query segmenter of a generation (vocabulary.QuerySegmenter)
MANIFEST_FORMAT = 4  # raise when the index layout, fields or what parsing gives change: older indexes are rebuilt


def default_index_dir() -> Path:
    """The index folder: the ``ARCHIVE_INDEX`` environment variable, else ``var/index``."""
    return Path(os.environ.get("ARCHIVE_INDEX") or "var/index")


def current_generation(index_dir: Path) -> Path | None:
    """The folder of the last completed generation, or None when there is no index yet."""
    try:
        name = (Path(index_dir) / CURRENT_FILE).read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    generation = Path(index_dir) / name
    return generation if name and (generation / MANIFEST_FILE).is_file() else None


def generation_number(path: Path) -> int:
    try:
        return int(path.name.lstrip("g"))
    except ValueError:
        return -1


def read_manifest(generation: Path) -> dict[str, Any]:
    return json.loads((generation / MANIFEST_FILE).read_text("utf-8"))


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file, flush it to disk and rename it over ``path``."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def point_current_at(index_dir: Path, generation: Path) -> None:
    """Make ``generation`` the current one in one atomic rename."""
    tmp = Path(index_dir) / (CURRENT_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(generation.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, Path(index_dir) / CURRENT_FILE)
    directory = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_report(generation: Path, report_id: str) -> Report:
    data = json.loads((generation / REPORTS_DIR / f"{report_id}.json").read_text("utf-8"))
    return Report.from_dict(data)


def add_carry_over_findings(reports: list[Report]) -> None:
    """Add ``check_carry_over`` findings to each report whose agency also reported the year before."""
    from archive.checks import check_carry_over  # not at the top: a search opens the store and never checks

    by_agency_year = {(r.agency, r.year): r for r in reports if r.agency and r.year}
    for report in reports:
        if not report.agency or not report.year:
            continue
        previous = by_agency_year.get((report.agency, report.year - 1))
        if previous is not None:
            report.findings.extend(check_carry_over(previous, report))


def read_reports(index_dir: Path) -> list[Report]:
    """The reports of the last completed ingest, with carry-over and duplicate findings, ordered by agency, year, id.

    An empty list when nothing has been ingested into ``index_dir`` yet.
    """
    from archive.duplicates import add_duplicate_findings  # not at the top: a search never reads them all

    generation = current_generation(Path(index_dir))
    if generation is None:
        return []
    manifest = read_manifest(generation)
    reports = [read_report(generation, entry["report_id"]) for entry in manifest["files"].values()]
    reports.sort(key=lambda r: (r.agency or "", r.year or 0, r.id))
    add_carry_over_findings(reports)
    add_duplicate_findings(reports)
    return reports
