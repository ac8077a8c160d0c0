"""A scanned PDF (pages as images, no text layer): a clear finding that it needs OCR, still listed
with its metadata; read by OCR where tesseract with simplified Chinese is installed.

The scan is made from the first page of a real report (hongze-2024.pdf), rendered to an image and
saved as an image-only PDF, as a scanner would.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner
from real_files import real_file

from archive.cli import cli
from archive.pipeline import load_report
from archive.readers import read_document

TITLE = "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"


def scan_of_first_page(path: Path, title: str | None) -> Path:
    document = pypdfium2.PdfDocument(real_file("hongze-2024.pdf").read_bytes())
    image = document[0].render(scale=3).to_pil().convert("L")
    document.close()
    metadata = {"title": title} if title else {}
    image.save(path, "PDF", resolution=216, **metadata)
    return path


def chinese_ocr_installed() -> bool:
    tesseract = shutil.which("tesseract")
    if not tesseract:
        return False
    languages = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    return "chi_sim" in languages.split()


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scan_of_first_page(tmp_path_factory.mktemp("scan") / "hongze-2024-scan.pdf", TITLE)


@pytest.fixture
def without_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine where tesseract is not installed: nothing on PATH."""
    monkeypatch.setenv("PATH", str(tmp_path))


def test_scan_has_no_text_layer(scan: Path) -> None:
    import pdfplumber

    with pdfplumber.open(scan) as pdf:
        assert len(pdf.pages) == 1 and not pdf.pages[0].chars and pdf.pages[0].images


@pytest.mark.usefixtures("without_tesseract")
def test_scan_gives_a_clear_needs_ocr_finding(scan: Path) -> None:
    report = load_report(scan)
    assert [(f.code, f.severity) for f in report.findings] == [("reader_needs_ocr", "warning")]
    message = report.findings[0].message
    assert "扫描件" in message and "OCR" in message
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in message


@pytest.mark.usefixtures("without_tesseract")
def test_scan_is_listed_with_its_metadata(scan: Path) -> None:
    report = load_report(scan)
    assert report.source_format == "pdf"
    assert (report.title, report.agency, report.year) == (TITLE, "淮安市洪泽区人民政府", 2024)
    assert report.region.code == "320813"
    assert report.sections == [] or all(not s.text for s in report.sections)
    values = [cell.value for table in report.tables.values() for row in table.rows.values() for cell in row.values()]
    assert all(value is None for value in values)  # nothing read is nothing, never 0


@pytest.mark.usefixtures("without_tesseract")
def test_scan_without_metadata_title_is_named_by_its_file(tmp_path: Path) -> None:
    path = scan_of_first_page(tmp_path / "洪泽区人民政府2024年政府信息公开工作年度报告（扫描件）.pdf", None)
    report = load_report(path)
    assert report.title == "洪泽区人民政府2024年政府信息公开工作年度报告（扫描件）"
    assert (report.agency, report.year) == ("洪泽区人民政府", 2024)
    unnamed = load_report(scan_of_first_page(tmp_path / "scan0001.pdf", None))
    assert unnamed.title is None and [f.code for f in unnamed.findings] == ["reader_needs_ocr"]


@pytest.mark.usefixtures("without_tesseract")
def test_archive_check_lists_the_scan_and_says_it_needs_ocr(scan: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--detail", str(scan.parent)])
    assert result.exit_code == 0, result.output
    assert scan.name in result.output and "OCR" in result.output and "tesseract-ocr-chi-sim" in result.output
    brief = CliRunner().invoke(cli, ["check", str(scan.parent)]).output
    assert scan.name in brief and "需要文字识别（OCR）" in brief


def test_tesseract_without_chinese_data_needs_ocr(scan: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a tesseract with no language data at all
    assert read_document(scan).notes == ["needs_ocr"]


def test_ocr_reads_the_scan_where_tesseract_is_installed(scan: Path) -> None:
    if not chinese_ocr_installed():
        pytest.skip("tesseract with chi_sim is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
    report = load_report(scan)
    assert report.findings[0].code == "reader_ocr" and report.findings[0].severity == "warning"
    assert "OCR" in report.findings[0].message and "原件" in report.findings[0].message
    assert report.year == 2024
    assert report.agency and report.agency.endswith("人民政府")  # OCR may misread a character of the name
    text = "".join(s.heading + s.text for part in report.sections for _, s in part.walk())
    assert "总体情况" in text and "政府信息公开" in text
