"""A longer fuzzing session: tests/test_fuzz_readers.py with the ``fuzz`` hypothesis profile, again and
again with new seeds, until the time is up. Records the inputs tried and the failures found in
docs/robustness.md (between the ``fuzz:begin`` and ``fuzz:end`` markers).

Usage: .venv/bin/python tests/fuzz/run.py --minutes 10   (make fuzz)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = "tests/test_fuzz_readers.py"
DOC = ROOT / "docs" / "robustness.md"
BEGIN, END = "<!-- fuzz:begin -->", "<!-- fuzz:end -->"


def run_once(seed: int, seconds: float, stats: Path) -> tuple[bool, list[str], str]:
    """One pytest run; (finished in time, the failed test ids with their first error line, the output tail)."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "ARCHIVE_FUZZ_STATS": str(stats)}
    command = [sys.executable, "-m", "pytest", TESTS, "-q", "-p", "no:cacheprovider", "--tb=line", "-rf",
               f"--hypothesis-seed={seed}"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=max(1.0, seconds))
        finished = True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        finished = False
    failures = []
    for match in re.finditer(r"^FAILED (\S+)(?: - (.*))?$", output, re.MULTILINE):
        failures.append(f"{match.group(1)}: {(match.group(2) or '').strip()[:300]}")
    return finished, failures, output[-4000:]


def tried(stats: Path) -> Counter[str]:
    """Inputs tried per test: the last count each process wrote, summed over processes."""
    last: dict[int, dict[str, int]] = {}
    if stats.exists():
        for line in stats.read_text("utf-8").splitlines():
            record = json.loads(line)
            last[record["pid"]] = record["tried"]
    total: Counter[str] = Counter()
    for counts in last.values():
        total.update(counts)
    return total


def record(minutes: float, runs: int, counts: Counter[str], failures: dict[str, int]) -> str:
    lines = [
        BEGIN,
        f"Last `make fuzz` session: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, {minutes:g} minutes, "
        f"{runs} pytest runs of `{TESTS}` with the `fuzz` profile and a new seed each run.",
        "",
        "| Target | Inputs tried |",
        "|---|---:|",
        *(f"| `{name}` | {count:,} |" for name, count in sorted(counts.items())),
        f"| **total** | **{sum(counts.values()):,}** |",
        "",
        f"Failures found: {len(failures)}" + ("." if not failures else ":"),
        *(f"- `{failure}` (in {n} run{'s' if n > 1 else ''})" for failure, n in sorted(failures.items())),
        END,
    ]
    return "\n".join(lines)


def write_record(text: str) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    doc = DOC.read_text("utf-8") if DOC.exists() else "# Robustness\n"
    if BEGIN in doc and END in doc:
        doc = doc[: doc.index(BEGIN)] + text + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n## Fuzzing sessions\n\n" + text + "\n"
    DOC.write_text(doc, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the session (default 10)")
    parser.add_argument("--no-record", action="store_true", help="do not update docs/robustness.md")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.minutes * 60
    failures: Counter[str] = Counter()
    runs = 0
    with tempfile.TemporaryDirectory() as folder:
        stats = Path(folder) / "stats.jsonl"
        while (left := deadline - time.monotonic()) > 5:
            seed = random.randrange(2**32)
            finished, found, tail = run_once(seed, left, stats)
            runs += 1
            failures.update(found)
            state = "done" if finished else "stopped at the time limit"
            print(f"run {runs} (seed {seed}): {state}, {len(found)} failures", flush=True)
            if found:
                print(tail, flush=True)
        counts = tried(stats)
    print(f"{sum(counts.values()):,} inputs tried, {len(failures)} distinct failures")
    if not args.no_record:
        write_record(record(args.minutes, runs, counts, dict(failures)))
        print(f"recorded in {DOC.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
