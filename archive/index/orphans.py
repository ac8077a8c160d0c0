"""Worker processes of an ingest die with it: a SIGKILLed ingest must not leave workers behind.

Every process forked while ``dying_with_parent()`` is active asks the kernel (Linux
``PR_SET_PDEATHSIG``) to be killed when its parent dies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1
_active = False


def _after_fork_in_child() -> None:
    if not _active or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def dying_with_parent() -> Iterator[None]:
    global _active
    previous, _active = _active, True
    try:
        yield
    finally:
        _active = previous
