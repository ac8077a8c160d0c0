"""Failures (issue 7): ingests and builds killed with SIGKILL at each stage of their work, two at once, a read-only
output folder and a full disk. The previous index and site must stay intact and the next run complete.

The read-only folder and the full disk are real small file systems (tmpfs) when the tests run as
root (root ignores permissions); as another user the read-only folder is a chmod.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import badfiles
import pytest
from archive_command import ARCHIVE
from build_staging import staged_files

from archive.index.store import REPORTS_DIR, WHOOSH_DIR
from archive.synth import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
QUERY = "依申请公开"
MORE = 30  # synthetic reports added to the seeds: enough work for a kill to land in the middle

pytestmark = pytest.mark.slow


def archive(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ARCHIVE_INDEX": str(cwd / "default-index")}
    return subprocess.run([str(ARCHIVE), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def start(*args: object, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ARCHIVE_INDEX": str(cwd / "default-index")}
    return subprocess.Popen([str(ARCHIVE), *map(str, args)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def kill_group(process: subprocess.Popen[str]) -> None:
    """SIGKILL the command we started; then its worker processes, should any outlive it."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def results(index: Path, cwd: Path) -> list[str]:
    out = archive("search", "--json", "--limit", "50", QUERY, "--index", index, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return [hit["id"] for hit in json.loads(out.stdout)["results"]]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file's hash; a site's own bookkeeping at its root (.archive-*) left out."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not (p.parent == folder and p.name.startswith(".archive-"))}


def current(index: Path) -> str:
    return (index / "CURRENT").read_text("utf-8").strip()


def seeds_content(folder: Path) -> Path:
    badfiles.write_content(folder)
    return folder


def with_more(folder: Path, more: Path) -> Path:
    shutil.copytree(more, folder / "reports" / "more", dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("failures")
    generate_corpus(MORE, folder / "more", seed=5)
    return folder


@pytest.fixture(scope="module")
def seed_index(workspace: Path) -> Path:
    """An index of the five seeds."""
    index = workspace / "seed-index"
    assert archive("ingest", seeds_content(workspace / "seeds"), "--index", index, "-q", cwd=workspace).returncode == 0
    return index


@pytest.fixture(scope="module")
def full_index(workspace: Path) -> Path:
    """An index of the seeds and the synthetic reports."""
    index = workspace / "full-index"
    content = with_more(seeds_content(workspace / "full"), workspace / "more")
    assert archive("ingest", content, "--index", index, "-q", cwd=workspace).returncode == 0
    return index


# --- kill -9 ---------------------------------------------------------------------------------------


def wait_then_kill(process: subprocess.Popen[str], ready, what: str) -> None:
    """SIGKILL the command once ``ready()`` holds; the test fails if the command ended first (no kill landed)."""
    deadline = time.monotonic() + 300
    while not ready():
        assert process.poll() is None, f"the command ended before {what}: no kill could land"
        assert time.monotonic() < deadline, f"{what} never came"
        time.sleep(0.01)
    assert process.poll() is None, f"the command ended before {what}: no kill could land"
    kill_group(process)


def test_an_ingest_killed_at_each_stage_of_its_work_leaves_the_previous_index_and_the_next_run_completes(
    workspace: Path,
) -> None:
    content, index = seeds_content(workspace / "kill-content"), workspace / "kill-index"
    assert archive("ingest", content, "--index", index, "-q", cwd=workspace).returncode == 0
    generation, before = current(index), results(index, workspace)
    intact = snapshot(index / generation)
    with_more(content, workspace / "more")
    new = index / f"g{int(generation.lstrip('g')) + 1:06d}"
    stages = {
        "its first report parsed": lambda: any((new / REPORTS_DIR).glob("*.json")),
        "half of its reports parsed": lambda: len(list((new / REPORTS_DIR).glob("*.json"))) >= MORE // 2,
        "its index being written": lambda: any((new / WHOOSH_DIR).glob("*")),
    }
    for what, ready in stages.items():
        wait_then_kill(start("ingest", content, "--index", index, "-q", cwd=workspace), ready, what)
        assert current(index) == generation, f"killed at {what}: the index moved on"
        assert snapshot(index / generation) == intact, f"killed at {what}: the current index changed"
        assert results(index, workspace) == before
    done = archive("ingest", content, "--index", index, cwd=workspace)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((index / current(index) / "manifest.json").read_text("utf-8"))
    assert len(manifest["files"]) == len(badfiles.good_names()) + MORE
    assert len(results(index, workspace)) > len(before)
    assert len(list(index.glob("g*"))) <= 2, "generations left behind by killed ingests were not cleared"


def test_a_build_killed_at_each_stage_of_its_work_leaves_the_old_site_and_the_next_build_completes(
    workspace: Path, seed_index: Path, full_index: Path
) -> None:
    content, site = workspace / "full", workspace / "site"
    built = archive("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace)
    assert built.returncode == 0, built.stderr
    old = snapshot(site)
    reference = workspace / "reference-site"
    assert archive("build", "--content", content, "--index", full_index, "--out", reference,
                   cwd=workspace).returncode == 0
    files = len(snapshot(reference))
    for share in (0, 1 / 3, 2 / 3):
        staged = max(1, int(files * share))
        process = start("build", "--content", content, "--index", full_index, "--out", site, cwd=workspace)
        wait_then_kill(process, lambda staged=staged: staged_files(workspace) >= staged, f"{staged} files were staged")
        assert snapshot(site) == old, f"killed with {staged} files staged: the published site changed"
    done = archive("build", "--content", content, "--index", full_index, "--out", site, cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert archive("build", "--content", content, "--index", full_index, "--out", reference,
                   cwd=workspace).returncode == 0  # again: the builder's code may have changed meanwhile
    assert snapshot(site) == snapshot(reference)
    assert not list(workspace.glob(".site.staging-*")) and not list(workspace.glob(".site.old-*"))


# --- two at once -----------------------------------------------------------------------------------


def has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open (it is at the lock, waiting for it or holding it)."""
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        with contextlib.suppress(OSError):
            if Path(os.readlink(fd)) == path.resolve():
                return True
    return False


def test_a_second_ingest_refuses_or_waits_while_one_runs(workspace: Path) -> None:
    """The first ingest is stopped (SIGSTOP) while it holds the index's lock, so that it is still running
    whatever the machine's speed: a second ingest refuses; one told to wait waits at the lock and goes on
    once the first, resumed, has finished."""
    content = with_more(seeds_content(workspace / "busy"), workspace / "more")
    index = workspace / "busy-index"
    lock = index / "ingest.lock"
    first = start("ingest", content, "--index", index, "-q", cwd=workspace)
    waiting = None
    try:
        deadline = time.monotonic() + 300
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
            assert first.poll() is None, "the first ingest ended before it held the lock"
            assert time.monotonic() < deadline, "the first ingest never took the lock"
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGSTOP)
        second = archive("ingest", content, "--index", index, "-q", cwd=workspace)
        assert second.returncode == 1
        assert "正被另一个 archive ingest" in second.stderr and "Traceback" not in second.stderr
        waiting = start("ingest", content, "--index", index, "--wait", "600", cwd=workspace)
        while not has_open(waiting.pid, lock):
            assert waiting.poll() is None, f"the waiting ingest ended without waiting: {waiting.communicate()}"
            assert time.monotonic() < deadline, "the waiting ingest never came to the lock"
            time.sleep(0.01)
    finally:
        os.kill(first.pid, signal.SIGCONT)
        first.communicate(timeout=600)
    assert first.returncode == 0, first.stderr
    out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, err
    assert "索引已是最新" in out
    assert results(index, workspace)


def test_a_second_build_refuses_while_one_runs_and_nothing_is_corrupted(workspace: Path, seed_index: Path) -> None:
    content, site = workspace / "seeds", workspace / "busy-site"
    assert archive("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace).returncode == 0
    old = snapshot(site)
    with open(workspace / ".busy-site.lock", "a+") as held:  # the lock a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        refused = archive("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace)
    assert refused.returncode == 1
    assert "另一个构建正在写入" in refused.stderr and "Traceback" not in refused.stderr
    assert snapshot(site) == old
    processes = [start("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace)
                 for _ in range(3)]
    outcomes = [(p.communicate(timeout=120)[1], p.returncode) for p in processes]
    outcomes = [(code, err) for err, code in outcomes]
    assert all(code == 0 or (code == 1 and "另一个构建正在写入" in err) for code, err in outcomes), outcomes
    assert any(code == 0 for code, _ in outcomes)
    assert snapshot(site) == old


# --- a read-only output folder and a full disk ------------------------------------------------------


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (root only); skips the test where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
    else:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")] if p.is_dir()}
        for path in modes:
            path.chmod(0o555)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)


@contextlib.contextmanager
def writable_folder(workspace: Path, name: str, size: str) -> Iterator[Path]:
    """A folder that ``read_only`` can make read-only: a tmpfs as root, a plain folder otherwise."""
    if os.geteuid() == 0:
        with small_filesystem(workspace / name, size) as folder:
            yield folder
    else:
        folder = workspace / name
        folder.mkdir(exist_ok=True)
        yield folder


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh, contextlib.suppress(OSError):  # unbuffered: close has nothing to flush
        while True:
            fh.write(b"\0" * 65536)
    return filler


def test_a_read_only_output_folder_gives_a_clear_error_and_keeps_the_old_site(workspace: Path, seed_index) -> None:
    content = seeds_content(workspace / "ro-content")
    with writable_folder(workspace, "ro", "64m") as folder:
        site = folder / "site"
        assert archive("build", "--content", content, "--index", seed_index, "--out", site,
                       cwd=workspace).returncode == 0
        old = snapshot(site)
        (content / "pages" / "extra.md").write_text("# 新页面\n\n内容。", "utf-8")
        with read_only(folder):
            result = archive("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace)
        assert snapshot(site) == old
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert str(site) in result.stderr and "原有网站保持不变" in result.stderr


def test_a_full_disk_gives_a_clear_error_and_keeps_the_old_site(workspace: Path, seed_index) -> None:
    if os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a small tmpfs, which only root can mount")
    content = seeds_content(workspace / "full-disk-content")
    with small_filesystem(workspace / "full-disk", "64m") as folder:
        site = folder / "site"
        assert archive("build", "--content", content, "--index", seed_index, "--out", site,
                       cwd=workspace).returncode == 0
        old = snapshot(site)
        (content / "pages" / "extra.md").write_text("# 新页面\n\n" + "内容。" * 2000, "utf-8")
        filler = fill(folder)
        result = archive("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"无法写入网站到 {site}" in result.stderr and "原有网站保持不变" in result.stderr
        assert snapshot(site) == old
        assert not list(folder.glob(".site.staging-*"))
        filler.unlink()
        again = archive("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace)
        assert again.returncode == 0, again.stderr
        assert (site / "pages" / "extra.html").is_file()


def test_an_ingest_on_a_full_disk_gives_a_clear_error_and_keeps_the_old_index(workspace: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a small tmpfs, which only root can mount")
    content = seeds_content(workspace / "full-ingest")
    with small_filesystem(workspace / "full-ingest-index", "64m") as folder:
        index = folder / "index"
        assert archive("ingest", content, "--index", index, "-q", cwd=workspace).returncode == 0
        generation = current(index)
        intact = snapshot(index / generation)
        for path in sorted((workspace / "more").rglob("*.txt"))[:3]:
            shutil.copyfile(path, content / "reports" / path.name)
        filler = fill(folder)
        result = archive("ingest", content, "--index", index, cwd=workspace)
        assert current(index) == generation and snapshot(index / generation) == intact
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and str(index) in result.stderr
        filler.unlink()
        assert archive("ingest", content, "--index", index, "-q", cwd=workspace).returncode == 0


def test_an_ingest_into_a_read_only_index_gives_a_clear_error(workspace: Path) -> None:
    content = seeds_content(workspace / "ro-ingest")
    with writable_folder(workspace, "ro-index", "64m") as folder:
        index = folder / "index"
        assert archive("ingest", content, "--index", index, "-q", cwd=workspace).returncode == 0
        generation = current(index)
        intact = snapshot(index / generation)
        (content / "reports" / "extra-2019.txt").write_text(badfiles.variant(year=2019), "utf-8")
        with read_only(folder):
            result = archive("ingest", content, "--index", index, cwd=workspace)
        assert current(index) == generation and snapshot(index / generation) == intact
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and str(index) in result.stderr
