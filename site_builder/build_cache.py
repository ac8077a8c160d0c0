"""What one build keeps for the next, beside the site and never published: ``.<out>.cache/`` (as the
staging folder and the lock sit beside it).

Everything in it is found by a digest of what it was made from (the stored report's bytes, the
page's inputs, the code of the build and of the archive), so a stale entry is never used: it is
only not found. A cache that is missing, unreadable or from another version is an empty one.

* ``summaries/``: each report's summary, sentences and paragraphs (``sources.IndexStore``),
  so that a rebuild does not read and rebuild every report;
* ``links/``: what each page contributes to the link check (``links.PageLinks``), so that
  the pages kept as published are not read and parsed again (both in shards: a rebuild writes
  again only the shards of what changed);
* ``similar.pickle``: the similar passages, by a digest of every paragraph compared;
* ``fragments/``: each report's share of the archive-wide downloads, by the digest of its page's
  inputs, so that those files are put together again without reading every report.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from site_builder import fingerprint

log = logging.getLogger(__name__)

SHARDS = 64
"""The files a large mapping (``save_shards``) is stored in."""
CHECK_BYTES = 32
"""A fragment file starts with the SHA-256 of the rest: a file cut short is not used."""
ARCHIVE_PACKAGE = Path(__file__).resolve().parent.parent / "archive"


def cache_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.cache"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The build's code (``fingerprint.code_digest``) and the archive's: what a cached summary is made by."""
    digest = hashlib.sha256(fingerprint.code_digest().encode())
    for path in sorted(ARCHIVE_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".json", ".txt", ".toml"):
            digest.update(path.relative_to(ARCHIVE_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """The cache of one output folder (``cache_dir``); ``None`` as ``out`` gives a cache that keeps nothing."""

    def __init__(self, out: Path | None) -> None:
        self.root = cache_dir(out) if out is not None else None

    def load(self, name: str) -> dict[str, Any]:
        """The mapping stored under ``name`` by this version of the code, or an empty one."""
        if self.root is None:
            return {}
        try:
            with open(self.root / f"{name}.pickle", "rb") as handle:
                version, data = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception:  # a cache written by another version, or cut short: made again
            log.debug("build cache %s unreadable", name, exc_info=True)
            return {}
        return data if version == code_digest() and isinstance(data, dict) else {}

    def save(self, name: str, data: dict[str, Any]) -> None:
        if self.root is None:
            return
        try:
            (self.root / name).parent.mkdir(parents=True, exist_ok=True)
            tmp = self.root / f"{name}.pickle.tmp"
            with open(tmp, "wb") as handle:
                pickle.dump((code_digest(), data), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.root / f"{name}.pickle")
        except OSError:  # the site is built all the same; the next build is only slower
            log.warning("构建缓存无法写入 %s", self.root, exc_info=True)

    def load_shards(self, name: str) -> dict[str, Any]:
        """A large mapping stored by ``save_shards`` (``<name>/<n>.pickle``), or the part of it whose
        shards this version of the code wrote."""
        data: dict[str, Any] = {}
        for shard in range(SHARDS):
            data.update(self.load(f"{name}/{shard}"))
        return data

    def save_shards(self, name: str, data: dict[str, Any], loaded: dict[str, Any]) -> None:
        """Store ``data`` in shards by key, writing only the shards whose keys or values (the objects
        themselves) differ from those ``load_shards`` gave as ``loaded``: after a rebuild that changed
        one report, one or two files of a few megabytes, not hundreds of megabytes."""
        if self.root is None:
            return
        new: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
        old: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
        for mapping, shards in ((data, new), (loaded, old)):
            for key, value in mapping.items():
                shards[_shard(key)][key] = value
        (self.root / f"{name}.pickle").unlink(missing_ok=True)  # the whole mapping in one file, as once stored
        for shard in range(SHARDS):
            if new[shard].keys() != old[shard].keys() or any(
                value is not old[shard][key] for key, value in new[shard].items()
            ):
                self.save(f"{name}/{shard}", new[shard])

    def fragment(self, kind: str, digest: str) -> bytes | None:
        """The fragment stored under ``digest``; None when there is none, or when its bytes are not those stored."""
        if self.root is None:
            return None
        try:
            stored = (self.root / "fragments" / kind / f"{digest}.bin").read_bytes()
        except OSError:
            return None
        check, data = stored[:CHECK_BYTES], stored[CHECK_BYTES:]
        return data if hashlib.sha256(data).digest() == check else None

    def put_fragment(self, kind: str, digest: str, data: bytes) -> None:
        if self.root is None:
            return
        folder = self.root / "fragments" / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{digest}.tmp"
            tmp.write_bytes(hashlib.sha256(data).digest() + data)
            os.replace(tmp, folder / f"{digest}.bin")
        except OSError:
            log.warning("构建缓存无法写入 %s", folder, exc_info=True)

    def keep_fragments(self, kind: str, digests: set[str]) -> None:
        """Remove the fragments of ``kind`` this build did not use."""
        if self.root is None:
            return
        folder = self.root / "fragments" / kind
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            if path.stem not in digests or path.suffix != ".bin":
                path.unlink(missing_ok=True)


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % SHARDS
