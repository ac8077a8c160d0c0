"""Slotted packs (``codec.SlottedPacks``, the document chunks' packs): every blob comes back as it
was written, from Python and from the site's ``packs.js``, whatever its length against the slot
size; a chunk is one range read."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.search.codec import SLOT, SlottedPacks, inflate, read_varints, slotted_blob, unslotted

ROOT = Path(__file__).resolve().parent.parent
PACKS_JS = ROOT / "site_builder" / "static" / "search" / "packs.js"
HARNESS = ROOT / "tests" / "js" / "slots_harness.mjs"
LENGTHS = [0, 1, SLOT - 2, SLOT - 1, SLOT, SLOT + 1, 2 * SLOT, 1000, 3]
BLOBS = [bytes((i * 7 + k) % 256 for k in range(n)) for i, n in enumerate(LENGTHS)]


def written(folder: Path, per_pack: int = 4) -> bytes:
    packs = SlottedPacks("d-", per_pack)
    for blob in BLOBS:
        packs.add(blob)
    files, directory = packs.finish()
    for path, data in files:
        (folder / path).write_bytes(data)
    (folder / "slots").write_bytes(directory)
    return directory


def test_each_blob_comes_back_from_its_slot(tmp_path: Path) -> None:
    directory = written(tmp_path)
    for i, blob in enumerate(BLOBS):
        pack, offset, length = slotted_blob(directory, 4, i)
        assert pack == i // 4
        data = (tmp_path / f"d-{pack}.pack").read_bytes()
        assert unslotted(data[offset : offset + length]) == blob


def test_slots_are_whole_units_with_room_for_the_padding_byte(tmp_path: Path) -> None:
    directory = written(tmp_path)
    slots, _ = read_varints(inflate(directory), len(BLOBS))
    assert [s * SLOT for s in slots] == [(n // SLOT + 1) * SLOT for n in LENGTHS]
    assert sum(len(p.read_bytes()) for p in tmp_path.glob("d-*.pack")) == SLOT * sum(slots)


def test_the_browser_reads_the_same_blobs_one_range_each(tmp_path: Path) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    written(tmp_path)
    result = subprocess.run(["node", str(HARNESS), str(PACKS_JS), str(tmp_path), "d-", "4", str(tmp_path / "slots")],
                            capture_output=True, text=True, check=True)
    read = json.loads(result.stdout)
    assert read["blobs"] == [b.hex() for b in BLOBS]
    assert read["reads"] == len(BLOBS)  # one range read a blob
