"""What the benchmarks share: the commands they run, how they run and measure them, and the machine."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# each command on its own (not through archive.cli, which also imports the other commands)
INGEST = [PYTHON, "-c", "from archive.commands.ingest import ingest; ingest(prog_name='archive ingest')"]
SEARCH = [PYTHON, "-c", "from archive.commands.search import search; search(prog_name='archive search')"]
SYNTH = [PYTHON, "-c", "from archive.commands.synth import synth; synth(prog_name='archive synth')"]
BUILD = [PYTHON, "-c", "from site_builder.commands import build; build(prog_name='archive build')"]


def timed(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; its wall time, exit code, output and peak memory (MB, with its children)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    # read the pipes while waiting: wait4 gives the rusage of this child and its descendants
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream: Any) -> None:
        chunks[name] = stream.read()

    threads = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", process.stdout), ("err", process.stderr))]
    tree_peak = [0]
    done = threading.Event()

    def sample() -> None:  # the process and its descendants together (wait4 gives the largest one alone)
        while not done.wait(0.5):
            tree_peak[0] = max(tree_peak[0], tree_rss_kb(process.pid))

    threads.append(threading.Thread(target=sample, daemon=True))
    for t in threads:
        t.start()
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    seconds = time.perf_counter() - started
    for t in threads:
        t.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    out, err = chunks.get("out", b""), chunks.get("err", b"")
    return {
        "seconds": seconds,
        "code": process.returncode,
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
        "peak_mb": usage.ru_maxrss / 1024,
        "tree_peak_mb": max(tree_peak[0], usage.ru_maxrss) / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def tree_rss_kb(pid: int) -> int:
    """The memory (KB) of a process and all its descendants, from /proc (0 once it is gone): the sum of
    their proportional set sizes (``Pss``), since forked processes share pages that each one's resident
    size counts whole (a worker forked from a 1 GB process shows 1 GB resident before it allocates)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip() or 0)
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss_kb(current)
        stack += [child for child, parent in parents.items() if parent == current]
    return total


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def checked(step: str, result: dict[str, Any], allowed: tuple[int, ...] = (0,)) -> dict[str, Any]:
    """``result`` when its exit code is allowed; otherwise stop the benchmark with its output."""
    if result["code"] not in allowed:
        raise SystemExit(f"{step} failed ({result['code']}):\n{result['stdout']}\n{result['stderr']}")
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def machine() -> dict[str, str]:
    """The machine a figure was measured on: cores, CPU, memory, Python and the load average."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:", 1)[1].split()[0])
        ram = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, IndexError, ValueError):
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "",
    }
