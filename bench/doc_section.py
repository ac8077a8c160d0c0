"""docs/benchmarks.md holds one section per benchmark, between its own markers: each benchmark replaces only its own."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, start: str, end: str, block: str) -> None:
    """Put ``block`` (which begins with ``start`` and ends with ``end``) in place of the old section, or append it."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, "utf-8")
