"""Fuzzing the readers and the whole pipeline (issue 7): arbitrary bytes under every report suffix never
raise anything but ``ArchiveError``; a damaged report never yields a number its text does not hold.

Examples are few by default (fast); ``make fuzz`` runs the same tests with the ``fuzz`` profile for
minutes (tests/fuzz/run.py). With ``ARCHIVE_FUZZ_STATS`` set, the count of inputs tried per test is
written to that file as JSON lines.
"""

from __future__ import annotations

import json
import os
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import badfiles
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from real_files import real_files

from archive.errors import ArchiveError
from archive.pipeline import load_report
from archive.readers import read_document

SUFFIXES = (".txt", ".md", ".html", ".pdf", ".docx")
HEADS = (b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"<!DOCTYPE html><html>", b"\xef\xbb\xbf",
         b"\xff\xfe", b"\xfe\xff", b"\x89PNG\r\n\x1a\n")

_tried: Counter[str] = Counter()
_STATS = os.environ.get("ARCHIVE_FUZZ_STATS")


def tried(name: str) -> None:
    _tried[name] += 1
    if _STATS and _tried[name] % 25 == 0:
        _flush()


def _flush() -> None:
    if _STATS:
        with open(_STATS, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"pid": os.getpid(), "tried": dict(_tried)}) + "\n")


@pytest.fixture(scope="module", autouse=True)
def _write_stats() -> Iterator[None]:
    yield
    _flush()


def only_archive_errors(path: Path, data: bytes, through_pipeline: bool) -> None:
    try:
        if through_pipeline:
            load_report(path, data=data)
        else:
            read_document(path, data)
    except ArchiveError as exc:
        assert str(path) in exc.format_message(), "the error must name the file"


def real_file_bytes() -> st.SearchStrategy[bytes]:
    """A real report (PDF, DOCX, HTML, text) cut, with some bytes flipped: damage a reader meets on a shared drive."""
    files = [*real_files(), badfiles.SEEDS / badfiles.WENXIAN]

    @st.composite
    def damaged(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(files)).read_bytes())
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] if draw(st.booleans()) else data
        for _ in range(draw(st.integers(0, 8))):
            if data:
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)

    return damaged()


ANY_BYTES = st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda head, tail: head + tail, st.sampled_from(HEADS), st.binary(max_size=2048)),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF) | st.sampled_from("\t\n0123456789一二三（）"),
            max_size=500).map(lambda t: t.encode("gb18030")),
)


@pytest.mark.parametrize("suffix", SUFFIXES)
@given(data=ANY_BYTES)
def test_any_bytes_through_a_reader_raise_only_archive_errors(suffix: str, data: bytes, tmp_path_factory) -> None:
    tried(f"read_document{suffix}")
    only_archive_errors(Path(f"fuzz{suffix}"), data, through_pipeline=False)


@pytest.mark.parametrize("suffix", SUFFIXES)
@given(data=ANY_BYTES)
def test_any_bytes_through_the_pipeline_raise_only_archive_errors(suffix: str, data: bytes) -> None:
    tried(f"load_report{suffix}")
    only_archive_errors(Path(f"fuzz{suffix}"), data, through_pipeline=True)


FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
          max_examples=settings.default.max_examples if FUZZING else 10)
@pytest.mark.parametrize("suffix", SUFFIXES)
@given(data=real_file_bytes())
def test_damaged_real_files_raise_only_archive_errors(suffix: str, data: bytes) -> None:
    tried(f"damaged-real{suffix}")
    only_archive_errors(Path(f"damaged{suffix}"), data, through_pipeline=True)


# --- a damaged report never yields a number its text does not hold -------------------------------------

NUMBER = re.compile(r"\d+(?:\.\d+)?")
JUNK = st.text(alphabet=st.sampled_from("0123456789０１２３/—-无件万元,.（）一二\t"), max_size=6)


def numbers_in(text: str) -> set[Decimal]:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    return {Decimal(m) for m in NUMBER.findall(text)}


@st.composite
def damaged_report(draw: st.DrawFn) -> str:
    """A seed report with lines deleted, repeated or swapped and cells cut, merged or replaced by junk."""
    lines = badfiles.seed_text(draw(st.sampled_from(badfiles.seed_names()))).split("\n")
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 12))):
        i = rng.randrange(len(lines))
        action = draw(st.sampled_from(["delete", "repeat", "swap", "drop-tab", "add-tab", "junk", "cut"]))
        cells = lines[i].split("\t")
        if action == "delete":
            del lines[i]
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif action == "drop-tab" and len(cells) > 1:
            j = rng.randrange(len(cells) - 1)
            lines[i] = "\t".join([*cells[:j], cells[j] + cells[j + 1], *cells[j + 2:]])
        elif action == "add-tab":
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + "\t" + lines[i][j:]
        elif action == "junk":
            cells[rng.randrange(len(cells))] = draw(JUNK)
            lines[i] = "\t".join(cells)
        elif action == "cut":
            lines = lines[: i + 1]
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@given(text=damaged_report())
def test_a_damaged_report_yields_no_number_its_text_does_not_hold(text: str) -> None:
    tried("damaged-report-numbers")
    try:
        report = load_report(Path("damaged.txt"), data=text.encode("utf-8"))
    except ArchiveError:
        return
    held = numbers_in(text)
    for key, table in report.tables.items():
        for row, columns in table.rows.items():
            for column, cell in columns.items():
                if cell.value is not None:
                    assert abs(Decimal(cell.value)) in held, (key, row, column, cell.value, cell.raw)
                if cell.state != "number":
                    assert cell.value is None, (key, row, column, cell)


@pytest.mark.parametrize("raw", ["17\n0", "1 2", "３ ４", "1,2 3"])
def test_digits_split_by_whitespace_are_never_joined_into_one_number(raw: str) -> None:
    lines = badfiles.seed_text().split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    cells = lines[row].split("\t")
    cells[2] = raw
    lines[row] = "\t".join(cells)
    report = load_report(Path("split.txt"), data="\n".join(lines).encode("utf-8"))
    cell = report.tables["requests"].rows["1"]["natural_person"]
    assert cell.value is None and cell.state == "text", cell
