"""Bad input through `archive check`, `archive ingest` and `archive build`, together with the good seeds (issue 7).

Each bad file is either skipped and named in a Chinese message saying what is wrong, or read and
kept with findings; the good reports are always all ingested and published; exit codes tell
success (0), partial success (3), failure (1) and usage errors (2) apart; no traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import badfiles
import pytest
from archive_command import ARCHIVE
from click.testing import CliRunner

from archive.cli import cli
from archive.errors import ReadError
from archive.pipeline import load_report

ROOT = Path(__file__).resolve().parent.parent


def run(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``archive`` command, in a fresh process (as staff would run it)."""
    env = {**os.environ, "ARCHIVE_INDEX": str(cwd / "default-index")}
    return subprocess.run(
        [str(ARCHIVE), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad")


@pytest.fixture(scope="module")
def corpus(workspace: Path) -> tuple[Path, list[badfiles.BadFile]]:
    content = workspace / "content"
    bad = badfiles.write_bad_corpus(content)
    return content, bad


@pytest.fixture(scope="module")
def ingested(corpus: tuple[Path, list[badfiles.BadFile]], workspace: Path) -> subprocess.CompletedProcess[str]:
    content, _ = corpus
    before = tree(workspace)
    result = run("ingest", content, "--index", workspace / "index", cwd=workspace)
    written = {p for p in tree(workspace) - before if not p.startswith("index")}
    assert written == set(), f"ingest wrote outside its index folder: {sorted(written)}"
    return result


@pytest.fixture(scope="module")
def built(corpus, ingested, workspace: Path) -> subprocess.CompletedProcess[str]:
    content, _ = corpus
    before = tree(workspace)
    result = run("build", "--content", content, "--index", workspace / "index", "--out", workspace / "site",
                 cwd=workspace)
    written = {p for p in tree(workspace) - before if not p.startswith("site") and not p.startswith(".site")}
    assert written == set(), f"build wrote outside its output folder: {sorted(written)}"
    return result


def _manifest(index: Path) -> dict:
    current = (index / "CURRENT").read_text("utf-8").strip()
    return json.loads((index / current / "manifest.json").read_text("utf-8"))


# --- archive check ---------------------------------------------------------------------------------


def test_check_names_every_bad_file_and_checks_the_others(corpus) -> None:
    content, bad = corpus
    files = sorted(p for p in (content / "reports").iterdir())
    result = CliRunner().invoke(cli, ["check", "--detail", *map(str, files)])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for case in bad:
        path = content / case.name
        if case.may_be_read and f"{path}\n" in result.stdout:
            continue
        if case.skipped:
            line = next((li for li in result.stderr.splitlines() if str(path) in li), None)
            assert line is not None, f"{case.case}: {path} not named on stderr:\n{result.stderr}"
            assert line.startswith("错误：无法读取 "), line
            assert case.named_in(line), (case.case, line)
        else:
            assert str(path) in result.stdout, f"{case.case}: {path} was not checked"
    for name in badfiles.good_names():
        assert f"{content / 'reports' / name}\n" in result.stdout


def test_check_exits_1_when_no_file_could_be_read(corpus) -> None:
    content, bad = corpus
    files = [str(content / case.name) for case in bad if case.skipped and not case.may_be_read]
    result = CliRunner().invoke(cli, ["check", *files])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == len(files)
    assert result.stdout == ""


def test_exit_codes_are_documented_and_a_usage_error_exits_2(workspace: Path) -> None:
    help_text = CliRunner().invoke(cli, ["--help"]).output
    for code, word in (("0", "success"), ("1", "failure"), ("2", "usage"), ("3", "partial")):
        assert any(line.strip().startswith(code) and word in line for line in help_text.splitlines()), code
    result = run("ingest", "--no-such-option", cwd=workspace)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- archive ingest --------------------------------------------------------------------------------


def test_ingest_keeps_every_good_report_and_names_every_skipped_file(corpus, ingested) -> None:
    content, bad = corpus
    assert ingested.returncode == 3, ingested.stderr
    assert "Traceback" not in ingested.stderr + ingested.stdout
    files = _manifest(content.parent / "index")["files"]
    for name in badfiles.good_names():
        assert f"reports/{name}" in files
    for case in bad:
        if case.may_be_read and case.name in files:
            continue
        if case.skipped:
            assert case.name not in files
            line = next((li for li in ingested.stderr.splitlines() if case.name in li), None)
            assert line is not None, f"{case.case}: {case.name} not named:\n{ingested.stderr}"
            assert case.named_in(line), (case.case, line)
        else:
            assert case.name in files, f"{case.case}: {case.name} was not kept"
    skipped = sum(case.skipped and case.name not in files for case in bad)
    assert f"跳过 {skipped} 个文件" in ingested.stdout


def test_ingest_of_nothing_readable_exits_1(workspace: Path) -> None:
    content = workspace / "only-bad"
    (content / "reports").mkdir(parents=True)
    (content / "reports" / "empty.txt").write_bytes(b"")
    (content / "reports" / "photo.txt").write_bytes(badfiles.PNG_HEADER)
    result = run("ingest", content, "--index", workspace / "only-bad-index", cwd=workspace)
    assert result.returncode == 1
    assert "reports/empty.txt" in result.stderr and "reports/photo.txt" in result.stderr
    assert "Traceback" not in result.stderr


# --- archive build ---------------------------------------------------------------------------------


def test_build_publishes_every_ingested_report(corpus, ingested, built, workspace: Path) -> None:
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    site = workspace / "site"
    reports = [json.loads(p.read_text("utf-8")) for p in (site / "reports").glob("*.json")]
    sources = {r["source"] for r in reports}
    for source in _manifest(workspace / "index")["files"]:
        assert source in sources, f"{source} was ingested but not published"
    names = [p.name for p in site.rglob("*")]
    assert all(len(n.encode()) <= 255 and n.isascii() and " " not in n for n in names), names


def test_build_without_an_index_names_the_files_it_skipped(corpus, workspace: Path) -> None:
    content, bad = corpus
    result = run("build", "--content", content, "--index", workspace / "no-index", "--out", workspace / "site2",
                 cwd=workspace)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    for case in bad:
        if case.skipped and not case.may_be_read:
            assert str(content / case.name) in result.stderr or case.name in result.stderr, case.case


def test_a_50_mb_text_file_is_refused_by_name_and_the_rest_ingested(workspace: Path) -> None:
    content = workspace / "big"
    badfiles.copy_good(content / "reports")
    big = badfiles.write_big_text(content / "reports" / "huge-2023.txt", 50)
    checked = run("check", big, cwd=workspace)
    assert checked.returncode == 1
    assert f"无法读取 {big}：文件太大（50.0 MB）" in checked.stderr
    result = run("ingest", content, "--index", workspace / "big-index", cwd=workspace)
    assert result.returncode == 3, result.stderr
    assert "跳过 reports/huge-2023.txt：文件太大" in result.stderr
    assert len(_manifest(workspace / "big-index")["files"]) == len(badfiles.seed_names())
    big.unlink()


def test_a_symlink_out_of_the_content_folder_is_skipped_and_named(workspace: Path) -> None:
    content = workspace / "linked"
    badfiles.copy_good(content / "reports")
    link = badfiles.symlink_outside(content, workspace / "outside")
    result = run("ingest", content, "--index", workspace / "linked-index", cwd=workspace)
    assert "Traceback" not in result.stderr
    files = _manifest(workspace / "linked-index")["files"]
    assert len(files) == len(badfiles.seed_names())
    assert result.returncode == 3
    assert f"reports/{link.name}" in result.stderr
    out = workspace / "linked-site"
    run("build", "--content", content, "--index", workspace / "linked-index", "--out", out, cwd=workspace)
    assert not any("机密测试办公室" in p.read_text("utf-8", "replace") for p in out.rglob("*.html"))


# --- duplicates ------------------------------------------------------------------------------------


def test_check_flags_both_files_with_the_same_agency_and_year(corpus) -> None:
    content, _ = corpus
    first = content / "reports" / badfiles.WENXIAN
    second = content / "reports" / "duplicate copy of wenxian.txt"
    result = CliRunner().invoke(cli, ["check", "--json", str(first), str(second)])
    assert result.exit_code == 0
    reports = json.loads(result.stdout)
    assert len(reports) == 2
    for report, other in ((reports[0], second), (reports[1], first)):
        messages = [f["message"] for f in report["findings"] if f["code"] == "duplicate_report"]
        assert len(messages) == 1 and str(other) in messages[0], report["findings"]


def test_ingest_keeps_both_duplicates(corpus, ingested, workspace: Path) -> None:
    files = _manifest(workspace / "index")["files"]
    assert f"reports/{badfiles.WENXIAN}" in files and "reports/duplicate copy of wenxian.txt" in files


def test_the_published_duplicates_are_both_flagged(corpus, ingested, built, workspace: Path) -> None:
    site = workspace / "site"
    reports = [json.loads(p.read_text("utf-8")) for p in (site / "reports").glob("*.json")]
    flagged = [r["source"] for r in reports if any(f["code"] == "duplicate_report" for f in r["findings"])]
    assert sorted(flagged) == sorted([f"reports/{badfiles.WENXIAN}", "reports/duplicate copy of wenxian.txt"])


# --- what the reader makes of odd but readable files -----------------------------------------------


def _values(report) -> dict[tuple[str, str, str], object]:
    return {
        (key, row, column): cell.value
        for key, table in report.tables.items()
        for row, columns in table.rows.items()
        for column, cell in columns.items()
    }


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(badfiles.mixed_line_endings(badfiles.seed_text()).encode(), id="crlf-lf-cr"),
        pytest.param(badfiles.seed_text().encode("gbk"), id="gbk"),
        pytest.param(badfiles.seed_text().encode("gb18030"), id="gb18030"),
        pytest.param(badfiles.seed_text().encode("utf-16"), id="utf16-bom"),
        pytest.param(badfiles.seed_text().encode("utf-16-le"), id="utf16-le-no-bom"),
        pytest.param(b"\xef\xbb\xbf" + badfiles.seed_text().encode(), id="utf8-bom"),
        pytest.param(badfiles.mixed_encodings(badfiles.seed_text()), id="utf8-then-gbk"),
    ],
)
def test_line_endings_and_encodings_give_the_same_report(data: bytes, tmp_path: Path) -> None:
    original = load_report(badfiles.SEEDS / badfiles.WENXIAN)
    report = load_report(tmp_path / "odd.txt", data=data)
    assert report.agency == original.agency and report.year == original.year
    assert _values(report) == _values(original)
    assert [s.title for s in report.sections] == [s.title for s in original.sections]


def test_a_report_cut_off_anywhere_is_read_or_refused_and_invents_no_number(tmp_path: Path) -> None:
    data = badfiles.seed_text().encode("utf-8")
    for cut in badfiles.cut_points(len(data), 40, seed=11):
        piece = data[:cut]
        try:
            report = load_report(tmp_path / f"cut-{cut}.txt", data=piece)
        except ReadError as exc:
            assert f"cut-{cut}.txt" in exc.format_message()
            continue
        text = piece.decode("utf-8", "replace")
        for where, value in _values(report).items():
            if value is not None:
                assert str(value) in text, (cut, where, value)


# --- numbers as reports print them (H2's archive/parse/table_cells.py, through load_report) ---------


@pytest.fixture(scope="module")
def numbers():
    return load_report(Path("numbers.txt"), data=badfiles.numeric_report().encode("utf-8"))


def _cell(report, key: str, row: str, column: str):
    return report.tables[key].rows[row][column]


def test_full_width_digits_are_numbers(numbers) -> None:
    cell = _cell(numbers, "active", "normative_documents", "issued")
    assert (cell.value, cell.raw, cell.state) == (5, "５", "number")
    cell = _cell(numbers, "active", "licensing", "decisions")
    assert (cell.value, cell.raw, cell.state) == (12, "１２", "number")


def test_thousands_separators_are_read(numbers) -> None:
    cell = _cell(numbers, "active", "normative_documents", "in_force")
    assert (cell.value, cell.raw, cell.state) == (1234, "1,234", "number")


def test_units_after_a_number_are_dropped_and_the_raw_kept(numbers) -> None:
    cell = _cell(numbers, "requests", "1", "natural_person")
    assert (cell.value, cell.raw, cell.state) == (16, "16件", "number")
    cell = _cell(numbers, "active", "fees", "amount_10k_yuan")
    assert (cell.value, cell.raw, cell.state) == (Decimal("12.5"), "12.5万元", "number")


def test_a_negative_number_is_kept_as_printed_with_a_finding(numbers) -> None:
    cell = _cell(numbers, "requests", "2", "natural_person")
    assert (cell.value, cell.raw, cell.state) == (-3, "-3", "number")
    assert any(f.table == "requests" and f.row == "2" and f.column == "natural_person" and f.severity == "error"
               and "负" in f.message for f in numbers.findings), numbers.findings


def test_two_numbers_in_one_cell_are_text_with_a_finding(numbers) -> None:
    cell = _cell(numbers, "requests", "3.1", "natural_person")
    assert (cell.value, cell.raw, cell.state) == (None, "1 2", "text")
    assert any(f.table == "requests" and f.row == "3.1" and f.column == "natural_person"
               for f in numbers.findings), numbers.findings
