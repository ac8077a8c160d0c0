"""What a running build has staged: the kill tests wait for it before they kill."""

from __future__ import annotations

import os
from pathlib import Path


def staged_files(folder: Path) -> int:
    """Files in the build's staging folder now (it may vanish while it is counted: the build is running)."""
    count = 0
    for staging in folder.glob(".site.staging-*"):
        for _, _, names in os.walk(staging):
            count += len(names)
    return count
