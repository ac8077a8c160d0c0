"""What a page depends on, as a digest: a page whose digest is unchanged is not rendered again.

The digest of a page combines the build's own code (this package, its templates and static files,
the schema), the set of pages the navigation can link to, and the page's own inputs (``Page.key``).
The digests of the last build are kept in the site (``MANIFEST``).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

MANIFEST = ".archive-pages.json"
PACKAGE = Path(__file__).resolve().parent
SCHEMA = PACKAGE.parent / "archive" / "data" / "schema.json"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The build's code, templates, static files and schema: any change to them renders every page again."""
    digest = hashlib.sha256()
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, SCHEMA, PACKAGE.parent / "archive" / "agencies.py", PACKAGE.parent / "archive" / "model.py"]:
        if path.is_file():
            digest.update(path.relative_to(PACKAGE.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def page_digest(base: str, key: str) -> str:
    return hashlib.sha256(f"{base}\0{key}".encode()).hexdigest()


def base_digest(available_pages: set[str]) -> str:
    return hashlib.sha256((code_digest() + "\0" + "\n".join(sorted(available_pages))).encode()).hexdigest()


def read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def manifest_bytes(digests: dict[str, str]) -> bytes:
    return (json.dumps(dict(sorted(digests.items())), separators=(",", ":")) + "\n").encode()
