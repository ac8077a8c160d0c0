"""Publishing the site atomically and incrementally.

The new site is written to a staging folder beside the output folder. A file whose bytes equal
the published one is hard-linked from it (same inode, same modification time) instead of being
written again, so a sync tool copies only what changed. At the end the staging folder and the
output folder are exchanged in one atomic ``renameat2(RENAME_EXCHANGE)``; where the system lacks
it, two renames are used and an interrupted swap is repaired at the start of the next build.
A build killed at any moment therefore leaves the old site in place.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import filecmp
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from archive.disk_errors import disk_problem
from archive.errors import BuildError

MARKER = ".archive-site"
"""A file at the root of every site we build: we only ever replace a folder that has it."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass
class PublishStats:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def staging_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.staging-{os.getpid()}"


def _old_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.old-{os.getpid()}"


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one refuses with a clear message."""
    lock_path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")
    except OSError as exc:
        raise BuildError(f"无法写入网站到 {out}（{disk_problem(exc)}）；原有网站保持不变") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildError(f"另一个构建正在写入 {out}，请等它结束后再试") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(out: Path) -> None:
    """Repair an interrupted swap and remove what killed builds left behind (call under the lock)."""
    leftovers_old = sorted(out.parent.glob(f".{out.name}.old-*"))
    if not out.exists() and leftovers_old:
        os.rename(leftovers_old[-1], out)
        leftovers_old = leftovers_old[:-1]
    for leftover in [*leftovers_old, *out.parent.glob(f".{out.name}.staging-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise BuildError(f"输出目录 {out} 已存在且不是本档案库生成的网站，为避免覆盖其中的文件，构建已停止")


class Staging:
    """The new site being written beside the old one; ``commit`` swaps it in, leaving the block aborts it.

    Use as a context manager: any error inside the block removes the staging folder and leaves
    the old site untouched.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.root = staging_dir(out)
        self.stats = PublishStats()
        self.paths: set[str] = set()
        self.folders: set[str] = set()  # made by keep

    def __enter__(self) -> Staging:
        self.root.mkdir(parents=True)
        self.add(MARKER, b"nianbao-archive site\n")
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)
        if isinstance(exc, OSError):
            raise BuildError(f"无法写入网站到 {self.out}（{disk_problem(exc)}）；原有网站保持不变") from exc

    def add(self, rel: str, data: bytes) -> None:
        """One file of the new site; kept as the old file (same inode and time) when its bytes are equal."""
        _place(self.out, self.root, rel, data, None, self.stats)
        self.paths.add(rel)

    def add_stream(self, rel: str, chunks: Iterable[bytes]) -> None:
        """As ``add``, for a file made piece by piece (the archive-wide downloads): never whole in memory."""

        def write(target: Path) -> None:
            with open(target, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)

        self.add_made(rel, write)

    def add_made(self, rel: str, make: Callable[[Path], None]) -> None:
        """As ``add``, for a file ``make(path)`` writes in the staging folder itself."""
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        make(target)
        old = self.out / rel
        if old.is_file() and old.stat().st_size == target.stat().st_size and filecmp.cmp(old, target, shallow=False):
            target.unlink()
            _take_published(old, target)
            self.stats.kept.append(rel)
        else:
            self.stats.written.append(rel)
        self.paths.add(rel)

    def keep(self, rel: str) -> bool:
        """Take the published file as it is (same inode and time); False when there is none. Called for
        tens of thousands of files a rebuild: strings, not paths, and each folder made once."""
        old = os.path.join(self.out, rel)
        target = os.path.join(self.root, rel)
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        try:
            os.link(old, target)
        except OSError:
            if not os.path.isfile(old):
                return False
            shutil.copy2(old, target)
        self.stats.kept.append(rel)
        self.paths.add(rel)
        return True

    def copy(self, rel: str, source: Path) -> None:
        _place(self.out, self.root, rel, None, source, self.stats)
        self.paths.add(rel)

    def commit(self) -> PublishStats:
        """Swap the new site in, in one step."""
        if self.out.exists():
            self.stats.removed = sorted(rel for rel in _files_under(str(self.out)) if rel not in self.paths)
        _swap(self.root, self.out)
        return self.stats


def _files_under(root: str, prefix: str = "") -> Iterator[str]:
    """The files under ``root`` as site paths ("a/b.html"), symbolic links not followed: strings all the
    way (a site has tens of thousands of files)."""
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files_under(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                yield prefix + entry.name


def _place(out: Path, staging: Path, rel: str, data: bytes | None, source: Path | None, stats: PublishStats) -> None:
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    old = out / rel
    if old.is_file() and _same(old, data, source):
        _take_published(old, target)
        stats.kept.append(rel)
        return
    if source is not None:
        shutil.copyfile(source, target)
    else:
        target.write_bytes(data or b"")
    stats.written.append(rel)


def _take_published(old: Path, target: Path) -> None:
    """The published file as the new one: a hard link (same inode and time), or a copy where none can be made."""
    try:
        os.link(old, target)
    except OSError:
        shutil.copy2(old, target)


def _same(old: Path, data: bytes | None, source: Path | None) -> bool:
    try:
        if source is not None:
            return old.stat().st_size == source.stat().st_size and old.read_bytes() == source.read_bytes()
        return old.stat().st_size == len(data or b"") and old.read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old site
        return
    old = _old_dir(out)
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
