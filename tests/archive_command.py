"""The `archive` command the tests run: the one installed beside the Python running the tests (the
project's virtual environment, wherever it is), else the one on PATH. Never a path written into a test."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def _find() -> str:
    found = shutil.which("archive", path=str(Path(sys.executable).parent)) or shutil.which("archive")
    if found is None:
        raise RuntimeError("找不到 archive 命令：请先安装本项目（make install 或 pip install -e .）")
    return found


ARCHIVE = _find()
