"""One ingest at a time per index folder: a POSIX record lock (``fcntl.lockf``) on ``ingest.lock``.

The kernel releases it when the process dies, however it dies, and, unlike ``flock``, a
worker process forked by the ingest does not share it, so a worker outliving a killed ingest
cannot keep the index locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.disk_errors import disk_problem
from archive.errors import ArchiveError, IndexBusyError
from archive.index.store import LOCK_FILE

# POSIX locks belong to the process: a second lock from the same process would succeed, and
# closing its descriptor would drop the first. Locks held by this process are tracked here.
_held: set[str] = set()


@contextmanager
def ingest_lock(index_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the index's ingest lock; raise ``IndexBusyError`` if another ingest holds it longer than ``wait_seconds``.

    A lock file left by a killed ingest is no obstacle: the lock itself died with its process.
    """
    path = index_dir / LOCK_FILE
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        key = str(path.resolve())
        if key in _held:
            raise IndexBusyError(f"索引 {index_dir} 正被另一个 archive ingest（本进程）更新，请等它结束后再试。")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(f"无法写入索引 {index_dir}（{disk_problem(exc)}）；原索引保持不变。") from exc
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                    who = f"（进程 {holder}）" if holder else ""
                    raise IndexBusyError(
                        f"索引 {index_dir} 正被另一个 archive ingest{who}更新，请等它结束后再试。"
                    ) from None
                time.sleep(0.2)
        with contextlib.suppress(OSError):  # who holds the lock is only told to a waiting ingest (a full disk)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
    finally:
        os.close(fd)
