"""Shared fixtures: where the samples and the real reports are (see real_files.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SAMPLES = CONTENT / "reports"

settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", deadline=None, max_examples=20000, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SAMPLE_NAMES = {
    "jinxiang": "jinxiang-xianzhengfu-ban-2023.txt",
    "wenxian": "wenxian-xianzhengfu-ban-2023.txt",
    "guanzhuang": "anqiu-guanzhuangzhen-2023.txt",
    "huji": "jinxiang-hujizhen-2022.txt",
    "dongfeng": "yangcheng-dongfengxiang-2023.txt",
}


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """The real reports as agencies publish them (HTML, PDF): they are part of the sample corpus."""
    return SAMPLES


@pytest.fixture(scope="session")
def sample_path():
    """sample_path("wenxian") → the path of that sample report."""

    def _path(name: str) -> Path:
        return SAMPLES / SAMPLE_NAMES[name]

    return _path
