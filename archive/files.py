"""The report files of a folder, and the one rule on symbolic links every command follows.

A symbolic link (or a file under a linked folder) that leads outside the folder being read is
skipped and named: the archive reads and publishes only what is in the content folder, whatever a
link on a shared drive points at. A link that stays inside the folder is read like any file (once, when it leads to a file listed itself).
Linked folders are never walked: one leading outside is named like a file, one inside adds nothing
(its files are reached through the folder itself).

A folder that holds nothing but page images (two or more .png/.jpg/.tif files, no subfolder) is one
report, its pages in the order of their file names (numbers compared as numbers: p2 before p10);
``report_bytes`` gives its images as one bundle, which the image reader reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from archive.readers import IMAGE_SUFFIXES, REPORT_SUFFIXES
from archive.readers.page_bundle import bundle

EXCLUDED_FOLDERS = frozenset({"pages"})  # a content folder's site pages (about.md, help.md) are not reports


def outside_link(path: Path, folder: Path) -> str | None:
    """Why ``path`` must not be read as part of ``folder`` (a link leading out of it), or None when it may."""
    target = Path(os.path.realpath(path))
    if target.is_relative_to(Path(os.path.realpath(folder))):
        return None
    return f"这是指向文件夹 {folder} 之外（{target}）的符号链接，为安全起见不读取"


def report_files(
    folder: Path,
    on_error: Callable[[OSError], object] | None = None,
    on_outside: Callable[[Path, str], object] | None = None,
) -> list[Path]:
    """The report files under ``folder``, sorted: every file with a report suffix except hidden ones and ``pages/``.

    A subfolder that cannot be listed is passed to ``on_error``; a link leading outside ``folder``
    is passed to ``on_outside`` with the problem (see ``outside_link``). Both are skipped.
    """
    folder = Path(folder)
    files: list[Path] = []
    linked_folders: list[Path] = []
    for parent, folders, names in os.walk(folder, onerror=on_error):
        top_level = Path(parent) == folder
        if is_page_folder(Path(parent), folders, names):
            files.append(Path(parent))
            folders[:] = []
            continue
        folders[:] = [
            name for name in folders if not name.startswith(".") and not (top_level and name in EXCLUDED_FOLDERS)
        ]
        linked_folders.extend(Path(parent) / name for name in folders if os.path.islink(os.path.join(parent, name)))
        files.extend(
            Path(parent) / name
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in REPORT_SUFFIXES
        )
    inside(sorted(linked_folders), folder, on_outside)  # never walked; named when they lead outside
    return inside(sorted(files), folder, on_outside)


def is_page_folder(folder: Path, folders: list[str], names: list[str]) -> bool:
    """A folder of nothing but page images (two or more), which is one report."""
    visible = [n for n in names if not n.startswith(".")]
    if [f for f in folders if not f.startswith(".")] or len(visible) < 2:
        return False
    return all(Path(n).suffix.lower() in IMAGE_SUFFIXES for n in visible)


def page_order(name: str) -> list[object]:
    """A file name's sort key with its numbers compared as numbers (第2页 before 第10页)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name)]


def report_bytes(path: Path) -> bytes:
    """The bytes of a report: a file's own, or a page folder's images bundled in page order."""
    if not path.is_dir():
        return path.read_bytes()
    names = sorted((n for n in os.listdir(path) if not n.startswith(".") and Path(n).suffix.lower() in IMAGE_SUFFIXES), key=page_order)
    return bundle([(name, (path / name).read_bytes()) for name in names])


def inside(paths: list[Path], folder: Path, on_outside: Callable[[Path, str], object] | None = None) -> list[Path]:
    """``paths`` without the links that lead outside ``folder`` (each passed to ``on_outside``), each file once.

    A link to a file of the folder that is listed itself is left out: the file is read once, by its own name.
    """
    targets = {os.path.realpath(path): path for path in paths if not path.is_symlink()}
    kept = []
    for path in paths:
        problem = outside_link(path, folder)
        if problem is not None:
            if on_outside is not None:
                on_outside(path, problem)
        elif targets.setdefault(os.path.realpath(path), path) == path:
            kept.append(path)
    return kept
