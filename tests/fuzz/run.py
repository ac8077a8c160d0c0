"""A longer fuzzing session: each property of tests/test_fuzz_readers.py in turn with the ``fuzz``
hypothesis profile and a new seed, each for an equal share of the time (a slow reader cannot eat the
session), round after round until the time is up. Records the inputs tried and the failures found in
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


SLICE_SECONDS = 30.0  # at most this long on one property per round
KNOWN = "test_digits_split_by_whitespace"  # xfail examples, not properties


def properties() -> list[str]:
    """The node ids of the property tests (the known-failure examples left out)."""
    out = subprocess.run([sys.executable, "-m", "pytest", TESTS, "--collect-only", "-q", "-p", "no:cacheprovider"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.startswith(TESTS + "::") and KNOWN not in line]


def run_once(node: str, seed: int, seconds: float, stats: Path) -> tuple[bool, list[str], str]:
    """One pytest run of one property; (finished in time, the failures with their error line, the output tail)."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "ARCHIVE_FUZZ_STATS": str(stats)}
    command = [sys.executable, "-m", "pytest", node, "-q", "-p", "no:cacheprovider", "--tb=line", "-rf",
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
        f"{runs} pytest runs (each property of `{TESTS}` in turn, the `fuzz` profile, a new seed each run).",
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
    nodes = properties()
    share = min(SLICE_SECONDS, args.minutes * 60 / max(1, len(nodes)))
    with tempfile.TemporaryDirectory() as folder:
        stats = Path(folder) / "stats.jsonl"
        while deadline - time.monotonic() > 5:
            for node in nodes:
                left = deadline - time.monotonic()
                if left <= 5:
                    break
                seed = random.randrange(2**32)
                finished, found, tail = run_once(node, seed, min(share, left), stats)
                runs += 1
                failures.update(found)
                if found:
                    print(f"{node} (seed {seed}): {len(found)} failures\n{tail}", flush=True)
            print(f"{runs} runs, {sum(tried(stats).values()):,} inputs so far", flush=True)
        counts = tried(stats)
    print(f"{sum(counts.values()):,} inputs tried, {len(failures)} distinct failures")
    if not args.no_record:
        write_record(record(args.minutes, runs, counts, dict(failures)))
        print(f"recorded in {DOC.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
