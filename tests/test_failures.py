"""Failures (issue 7): ingests and builds killed with SIGKILL at random moments, two at once, a read-only
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
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import badfiles
import pytest
from archive_command import ARCHIVE

from archive.synth import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
KILLS = int(os.environ.get("ARCHIVE_KILLS", "3"))  # kill loops per test; raise for a longer soak
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


def test_an_ingest_killed_at_random_moments_leaves_the_previous_index_and_the_next_run_completes(
    workspace: Path,
) -> None:
    content, index = seeds_content(workspace / "kill-content"), workspace / "kill-index"
    assert archive("ingest", content, "--index", index, "-q", cwd=workspace).returncode == 0
    generation, before = current(index), results(index, workspace)
    intact = snapshot(index / generation)
    with_more(content, workspace / "more")
    # how long the same ingest (onto a copy of the same index) takes on this machine now, so that
    # the kills land while it runs; an ingest that completes before its kill is undone (the index
    # put back as it was) and the next kill comes sooner, until one lands
    pristine = workspace / "kill-pristine-index"
    shutil.copytree(index, pristine, symlinks=True)
    timing_index = workspace / "kill-timing-index"
    shutil.copytree(index, timing_index, symlinks=True)
    started = time.monotonic()
    assert archive("ingest", content, "--index", timing_index, "-q", cwd=workspace).returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(20261122)
    interrupted, attempts, latest = 0, 0, 0.5
    while interrupted < KILLS and attempts < KILLS * 4:
        attempts += 1
        process = start("ingest", content, "--index", index, "-q", cwd=workspace)
        time.sleep(rng.uniform(0.1, latest) * duration)
        finished = process.poll() is not None
        kill_group(process)
        if finished or current(index) != generation:
            if interrupted:
                break  # it completed: nothing left to interrupt
            shutil.rmtree(index)
            shutil.copytree(pristine, index, symlinks=True)
            latest = max(0.15, latest / 2)
            continue
        interrupted += 1
        assert snapshot(index / generation) == intact, f"attempt {attempts}: the current index changed after a kill"
    assert interrupted >= 1, "no kill landed while the ingest was running"
    if current(index) == generation:
        assert results(index, workspace) == before
    done = archive("ingest", content, "--index", index, cwd=workspace)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((index / current(index) / "manifest.json").read_text("utf-8"))
    assert len(manifest["files"]) == len(badfiles.good_names()) + MORE
    assert len(results(index, workspace)) > len(before)
    assert len(list(index.glob("g*"))) <= 2, "generations left behind by killed ingests were not cleared"


def test_a_build_killed_at_random_moments_leaves_the_old_site_and_the_next_build_completes(
    workspace: Path, seed_index: Path, full_index: Path
) -> None:
    content, site = workspace / "full", workspace / "site"
    built = archive("build", "--content", content, "--index", seed_index, "--out", site, cwd=workspace)
    assert built.returncode == 0, built.stderr
    old = snapshot(site)
    reference = workspace / "reference-site"
    assert archive("build", "--content", content, "--index", full_index, "--out", reference,
                   cwd=workspace).returncode == 0
    new = snapshot(reference)
    rng = random.Random(7)
    interrupted = 0
    for attempt in range(KILLS):
        process = start("build", "--content", content, "--index", full_index, "--out", site, cwd=workspace)
        time.sleep(rng.uniform(0.3, 1.8))
        interrupted += process.poll() is None
        kill_group(process)
        now = snapshot(site)
        assert now in (old, new), f"attempt {attempt}: the site is neither the old one nor the new one"
        if now == new:
            break
    assert interrupted >= 1, "no kill landed while the build was running"
    done = archive("build", "--content", content, "--index", full_index, "--out", site, cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert archive("build", "--content", content, "--index", full_index, "--out", reference,
                   cwd=workspace).returncode == 0  # again: the builder's code may have changed meanwhile
    assert snapshot(site) == snapshot(reference)
    assert not list(workspace.glob(".site.staging-*")) and not list(workspace.glob(".site.old-*"))


# --- two at once -----------------------------------------------------------------------------------


def test_a_second_ingest_refuses_or_waits_while_one_runs(workspace: Path) -> None:
    content = with_more(seeds_content(workspace / "busy"), workspace / "more")
    index = workspace / "busy-index"
    first = start("ingest", content, "--index", index, "-q", cwd=workspace)
    try:
        lock = index / "ingest.lock"
        deadline = time.monotonic() + 30
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        second = archive("ingest", content, "--index", index, "-q", cwd=workspace)
        assert first.poll() is None, "the first ingest finished too soon for the test"
        assert second.returncode == 1
        assert "正被另一个 archive ingest" in second.stderr and "Traceback" not in second.stderr
        waiting = archive("ingest", content, "--index", index, "--wait", "120", cwd=workspace)
        assert waiting.returncode == 0, waiting.stderr
        assert "索引已是最新" in waiting.stdout
    finally:
        first.communicate(timeout=120)
    assert first.returncode == 0, first.stderr
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
