"""A folder of page images as one byte string: what is hashed, cached and read as one report.

The bundle holds the images' names and sizes, then their bytes, in page order.
"""

from __future__ import annotations

import json

BUNDLE_MAGIC = b"%ARCHIVE-PAGE-IMAGES 1\n"


def bundle(files: list[tuple[str, bytes]]) -> bytes:
    """The page images of a folder as one byte string (what is hashed, cached and read): names, sizes, bytes."""
    header = json.dumps([[name, len(data)] for name, data in files], ensure_ascii=False).encode("utf-8")
    return BUNDLE_MAGIC + header + b"\n" + b"".join(data for _, data in files)


def unbundle(data: bytes) -> list[tuple[str, bytes]]:
    header, _, rest = data[len(BUNDLE_MAGIC) :].partition(b"\n")
    out, offset = [], 0
    for name, size in json.loads(header):
        out.append((name, rest[offset : offset + size]))
        offset += size
    return out
