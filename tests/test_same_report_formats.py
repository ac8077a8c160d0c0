"""The same report as text, HTML, DOCX and PDF gives the same normalised tables."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from format_writers import write_docx, write_html, write_pdf

from archive.model import Report
from archive.pipeline import load_report

SAMPLE = Path(__file__).parent.parent / "content" / "reports" / "wenxian-xianzhengfu-ban-2023.txt"
CHROMIUM = Path("/usr/bin/chromium")


def table_values(report: Report) -> dict[tuple[str, str, str], tuple[str, object]]:
    return {
        (key, row, column): (cell.state, cell.value)
        for key, table in report.tables.items()
        for row, columns in table.rows.items()
        for column, cell in columns.items()
    }


@pytest.fixture(scope="module")
def text_report() -> Report:
    report = load_report(SAMPLE)
    assert {t.status for t in report.tables.values()} == {"complete"}
    return report


@pytest.fixture(scope="module")
def copies(text_report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    return {
        "html": write_html(text_report, folder / "wenxian-2023.html"),
        "docx": write_docx(text_report, folder / "wenxian-2023.docx"),
    }


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_same_tables_as_text(fmt: str, text_report: Report, copies: dict[str, Path]) -> None:
    report = load_report(copies[fmt])
    assert report.source_format == fmt
    assert table_values(report) == table_values(text_report)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_same_metadata_and_parts(fmt: str, text_report: Report, copies: dict[str, Path]) -> None:
    report = load_report(copies[fmt])
    assert report.agency == text_report.agency == "温县人民政府办公室"
    assert report.year == 2023
    assert report.parts_found == ["一", "二", "三", "四", "五", "六"]
    assert not [f for f in report.findings if f.severity == "error"]


def test_html_copy_is_gbk_without_portal_chrome(copies: dict[str, Path]) -> None:
    from archive.readers import read_document

    document = read_document(copies["html"])
    assert document.encoding == "gb18030"
    text = "".join(b.text for b in document.text_blocks())
    assert "首页" not in text and "版权所有" not in text
    assert document.date == "2024-01-20"


def test_pdf_copy_via_libreoffice(text_report: Report, copies: dict[str, Path], tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        pytest.skip("LibreOffice is not installed: no PDF copy")
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(copies["docx"]),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    report = load_report(tmp_path / "wenxian-2023.pdf")
    assert table_values(report) == table_values(text_report)


@pytest.fixture(scope="module")
def chromium_pdf(text_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert CHROMIUM.exists(), "Debian chromium is not installed: run make browser-deps"
    return write_pdf(text_report, tmp_path_factory.mktemp("pdf") / "wenxian-2023.pdf", str(CHROMIUM))


def test_pdf_printed_by_chromium_gives_the_same_tables(text_report: Report, chromium_pdf: Path) -> None:
    report = load_report(chromium_pdf)
    assert report.source_format == "pdf"
    assert {t.status for t in report.tables.values()} == {"complete"}
    assert table_values(report) == table_values(text_report)


def test_pdf_printed_by_chromium_gives_the_same_report(text_report: Report, chromium_pdf: Path) -> None:
    report = load_report(chromium_pdf)
    assert (report.title, report.agency, report.year) == (text_report.title, "温县人民政府办公室", 2023)
    assert report.parts_found == ["一", "二", "三", "四", "五", "六"]
    assert not [f for f in report.findings if f.severity == "error"]
    pdf_sections = [(s.heading, squeeze(s.text)) for part in report.sections for _, s in part.walk()]
    text_sections = [(s.heading, squeeze(s.text)) for part in text_report.sections for _, s in part.walk()]
    assert pdf_sections == text_sections


def squeeze(text: str) -> str:
    """Text without whitespace: the PDF has no space between 2023 and 年."""
    return "".join(text.split())
