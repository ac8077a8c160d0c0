"""An ingest killed with SIGKILL leaves the previous index answering as before; the next run completes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.index import store
from archive.index.search import ArchiveSearcher
from archive.synth import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "reports"
TEXT_SAMPLES_ONLY = shutil.ignore_patterns("*.html", "*.pdf", "crawled")  # the five text samples: the counts below are theirs
QUERIES = ["依申请公开", "政务新媒体 监督", "不予公开 国家秘密", '"政策解读"', "政务公开 -新媒体"]


def answers(index_dir: Path) -> dict[str, list[tuple[str, float]]]:
    with ArchiveSearcher(index_dir) as searcher:
        return {q: [(h.fields["id"], round(h.score, 6)) for h in searcher.search(q, limit=20).hits] for q in QUERIES}


def run_ingest(content: Path, index_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from archive.commands.ingest import ingest; ingest()", str(content), "--index", str(index_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def children_of(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


def kill_when(process: subprocess.Popen[str], ready, timeout: float = 60) -> set[int]:
    """SIGKILL the ingest (not its workers) once ``ready()``; return the workers it had."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"the ingest ended before it could be killed: {process.communicate()[0]}"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    workers = children_of(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return workers


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("kill")
    content = root / "content"
    shutil.copytree(SAMPLES, content / "reports", ignore=TEXT_SAMPLES_ONLY)
    generate_corpus(20, root / "small", seed=11)
    shutil.copytree(root / "small" / "reports", content / "reports" / "synth-a")
    generate_corpus(100, root / "large", seed=12)
    return content, root / "large" / "reports"


@pytest.mark.parametrize("phase", ["parsing", "indexing"])
def test_sigkill_leaves_the_previous_index_intact(corpus: tuple[Path, Path], tmp_path: Path, phase: str) -> None:
    content, more = corpus
    index_dir = tmp_path / "index"
    first = run_ingest(content, index_dir)
    assert first.wait() == 0, first.communicate()[0]
    before_generation = store.current_generation(index_dir)
    assert before_generation is not None
    before = answers(index_dir)
    before_reports = [r.to_dict() for r in store.read_reports(index_dir)]
    assert all(before.values())

    extended = tmp_path / "extended"
    shutil.copytree(content, extended)
    shutil.copytree(more, extended / "reports" / "synth-b")
    shutil.copytree(index_dir, tmp_path / "index-copy")  # what the same index looks like untouched
    next_generation = index_dir / f"g{store.generation_number(before_generation) + 1:06d}"
    if phase == "parsing":
        ready = lambda: len(list((next_generation / store.REPORTS_DIR).glob("*.json"))) > 30  # noqa: E731
    else:
        ready = lambda: (next_generation / store.WHOOSH_DIR).is_dir() and any(  # noqa: E731
            (next_generation / store.WHOOSH_DIR).glob("*")
        )
    process = run_ingest(extended, index_dir)
    workers = kill_when(process, ready)

    assert store.current_generation(index_dir) == before_generation
    assert answers(index_dir) == before
    assert [r.to_dict() for r in store.read_reports(index_dir)] == before_reports
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers), "the workers of a killed ingest die with it"

    again = run_ingest(extended, index_dir)
    output = again.communicate()[0]
    assert again.returncode == 0, output
    assert "共 125 份报告" in output
    after_generation = store.current_generation(index_dir)
    assert after_generation is not None and after_generation != before_generation
    assert len(store.read_reports(index_dir)) == 125
    assert {p.name for p in index_dir.glob("g*")} == {before_generation.name, after_generation.name}
    with ArchiveSearcher(index_dir) as searcher:
        assert searcher.search("依申请公开", limit=5).total > len(before["依申请公开"])
    manifest = json.loads((after_generation / store.MANIFEST_FILE).read_text("utf-8"))
    assert len(manifest["files"]) == 125
