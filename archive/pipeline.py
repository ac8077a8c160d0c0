"""One report from file to checked model: read → parse → normalise → check."""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive.checks import check_report
from archive.files import report_bytes
from archive.model import Report
from archive.parse import parse_document
from archive.readers import read_document


def report_id(source: str) -> str:
    """A stable ASCII id for a report, from its path relative to the content folder."""
    return "r" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


def relative_source(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def load_report(path: Path | str, root: Path | str | None = None, data: bytes | None = None) -> Report:
    """Read, parse, normalise and check one report file.

    Raises ``ReadError`` (naming the file) when the file cannot be read as a report.
    """
    path = Path(path)
    if data is None:
        data = report_bytes(path)
    source = relative_source(path, Path(root) if root is not None else None)
    document = read_document(path, data)
    report = parse_document(document)
    report.id = report_id(source)
    report.source = source
    report.sha256 = hashlib.sha256(data).hexdigest()
    report.findings.extend(check_report(report))
    return report
