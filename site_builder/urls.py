"""Stable ASCII paths inside the site, and links between them that are always relative."""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import PurePosixPath

from archive.agencies import ascii_slug
from archive.model import Report


def report_slug(report: Report) -> str:
    """From the file name (pinyin if Chinese) plus the report id: readable, unique and stable."""
    stem = PurePosixPath(report.source).stem
    base = ascii_slug(stem, limit=40) or "report"
    return f"{base}-{report.id.lstrip('r')[:6] or hashlib.sha1(report.source.encode()).hexdigest()[:6]}"


def place_slug(path: tuple[str, ...] | list[str]) -> str:
    """A region's ASCII name: pinyin plus a short hash of the Chinese, since places can sound alike (山西 / 陕西)."""
    digest = hashlib.sha1("|".join(path).encode()).hexdigest()[:4]
    base = "-".join(ascii_slug(part) or "region" for part in path)
    return f"{base}-{digest}"


def relative(from_path: str, to_path: str) -> str:
    """The link from the page at ``from_path`` to ``to_path`` (both relative to the site root)."""
    target, _, fragment = to_path.partition("#")
    start = posixpath.dirname(from_path) or "."
    link = relpath(target or from_path, start) if target else ""
    if target.endswith("/") and not link.endswith("/"):
        link += "/"
    return f"{link}#{fragment}" if fragment else link


def relpath(target: str, start: str) -> str:
    """``posixpath.relpath(target, start)``, without its two absolute paths for the paths the site makes
    (relative, no ``.`` or ``..`` parts, no empty parts): a site links a million times."""
    if not (_plain(target) and (start == "." or _plain(start))):
        return posixpath.relpath(target, start)
    to = target.rstrip("/").split("/")
    here = [] if start == "." else start.rstrip("/").split("/")
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) or "."


def _plain(path: str) -> bool:
    parts = path.rstrip("/").split("/")
    return not path.startswith("/") and all(part not in ("", ".", "..") for part in parts)
