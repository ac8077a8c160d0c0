"""The reports of a content folder: as the last ingest stored them, or parsed now."""

from __future__ import annotations

from pathlib import Path

from archive.duplicates import add_duplicate_findings
from archive.errors import ArchiveError, ReadError
from archive.files import report_files
from archive.index.store import add_carry_over_findings, default_index_dir, read_reports
from archive.model import Report
from archive.pipeline import load_report


def parse_content(content_dir: Path) -> tuple[list[Report], list[str]]:
    """Parse every report file of ``content_dir`` (as ``archive ingest`` finds them); a file that cannot
    be read is skipped and named. Carry-over and duplicate findings are added as an ingest adds them."""
    reports: list[Report] = []
    problems: list[str] = []

    def skip_outside(path: Path, problem: str) -> None:
        problems.append(ReadError(path, problem).format_message())

    def unreadable(error: OSError) -> None:
        problems.append(ReadError(error.filename, f"文件夹无法读取（{error.strerror or error}）").format_message())

    for path in report_files(content_dir, unreadable, skip_outside):
        try:
            reports.append(load_report(path, content_dir))
        except ArchiveError as exc:
            problems.append(exc.format_message())
    add_carry_over_findings(reports)
    add_duplicate_findings(reports)
    return reports, problems


def content_reports(content_dir: Path, index_dir: Path | None = None) -> tuple[list[Report], list[str], Path | None]:
    """The reports of the last ingest when the index (``index_dir``, else the default one) holds one,
    else the content folder parsed now; the problems met (one line per skipped file); and the index
    folder they came from (None when parsed)."""
    index_dir = index_dir if index_dir is not None else default_index_dir()
    if index_dir is not None and Path(index_dir).exists():
        reports = read_reports(Path(index_dir))
        if reports:
            return reports, [], Path(index_dir)
    reports, problems = parse_content(content_dir)
    return reports, problems, None
