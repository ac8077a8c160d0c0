"""`archive --help` answers without loading what only some commands need (Whoosh, jieba, numpy, the OCR
engine, the site's templates): each command imports its libraries when it runs."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("whoosh", "jieba", "numpy", "cv2", "rapidocr", "pdfplumber", "lxml", "jinja2", "pypinyin")

PROBE = """
import sys
from archive.cli import cli
try:
    cli(["--help"], prog_name="archive")
except SystemExit:
    pass
print("loaded:" + ",".join(sorted(name for name in {names} if name in sys.modules)))
"""


def test_help_loads_none_of_the_heavy_libraries() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(names=HEAVY)], capture_output=True, text=True, check=True, timeout=60
    )
    assert "Commands:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "loaded:"


def test_a_command_still_finds_its_libraries_when_it_runs() -> None:
    probe = PROBE.replace('cli(["--help"]', 'cli(["search", "--help"]').format(names=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert "QUERY..." in result.stdout
    searched = subprocess.run(
        [sys.executable, "-c", "from archive.commands.search import search; search(['x', '--index', '/nonexistent'])"],
        capture_output=True, text=True, timeout=120,
    )
    assert searched.returncode == 1 and "错误：" in searched.stderr and "Traceback" not in searched.stderr
