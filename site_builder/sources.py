"""Where the site's reports come from: the index of the last ingest, else the content folder parsed directly."""

from __future__ import annotations

import logging
from pathlib import Path

from archive.errors import ArchiveError
from archive.model import Report

log = logging.getLogger(__name__)

REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".pdf", ".docx"}


def load_reports(content_dir: Path, index_dir: Path | None = None) -> tuple[list[Report], list[str]]:
    """The parsed reports and the problems met while loading them (one line per skipped file).

    Reads the index when it holds an ingest; otherwise parses ``content_dir/reports`` directly.
    """
    reports, problems, _ = load_reports_with_source(content_dir, index_dir)
    return reports, problems


def load_reports_with_source(
    content_dir: Path, index_dir: Path | None = None
) -> tuple[list[Report], list[str], Path | None]:
    """As ``load_reports``, plus the index folder the reports came from (None when parsed from content)."""
    if index_dir is None:
        index_dir = _default_index_dir()
    if index_dir is not None:
        try:
            from archive.index.store import read_reports
        except ModuleNotFoundError:
            read_reports = None
        if read_reports is not None and Path(index_dir).exists():
            reports = read_reports(Path(index_dir))
            if reports:
                return reports, [], Path(index_dir)
    reports, problems = parse_content(content_dir)
    return reports, problems, None


def _default_index_dir() -> Path | None:
    try:
        from archive.index.store import default_index_dir
    except ModuleNotFoundError:
        return None
    return default_index_dir()


def report_files(content_dir: Path) -> list[Path]:
    folder = content_dir / "reports"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)


def parse_content(content_dir: Path) -> tuple[list[Report], list[str]]:
    """Parse every report file under ``content_dir/reports``; a file that cannot be read is skipped and named."""
    from archive.pipeline import load_report

    reports: list[Report] = []
    problems: list[str] = []
    for path in report_files(content_dir):
        try:
            reports.append(load_report(path, content_dir))
        except ArchiveError as exc:
            problems.append(exc.format_message())
    _add_carry_over(reports)
    return reports, problems


def _add_carry_over(reports: list[Report]) -> None:
    try:
        from archive.index.store import add_carry_over_findings
    except ModuleNotFoundError:
        return
    add_carry_over_findings(reports)
