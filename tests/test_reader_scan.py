"""Scanned reports (pages as images, no text layer) read by OCR, out of the box, tables included.

The known truth is the text layer of a real report: hongze-2024.pdf is rendered to page images at
300 dpi and saved as an image-only PDF, as a scanner would. The scan must give what the text PDF
gives: agency, year, six parts, the table cells (≥ 98 % equal, the others null with a finding,
a different number caught by a table rule), and a search must find a sentence of each part.

The scan and its OCR readings are made once per test run and shared by the xdist workers (a lock
file: the second worker waits for the first one's readings, then reads them from the cache).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from click.testing import CliRunner
from PIL import Image
from real_files import real_file
from scans import caught, compare_tables, explained, make_scan, page_images

from archive.cli import cli
from archive.commands.check import format_report
from archive.files import report_files
from archive.index.ingest import OCR_CACHE_DIR, ingest
from archive.index.search import ArchiveSearcher, Filters
from archive.model import Cell, Report
from archive.parse.ocr_cells import LOW_CONFIDENCE
from archive.pipeline import load_report
from archive.readers import read_document
from archive.readers.ocr import cache

SOURCE = "hongze-2024.pdf"
SENTENCE = re.compile(r"[^。；！？\n]{12,}[。；！？]")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder of this test run shared by its xdist workers, used as the OCR cache folder."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "ocr-shared"
    folder.mkdir(exist_ok=True)
    before = os.environ.get(cache.CACHE_ENV)
    os.environ[cache.CACHE_ENV] = str(folder / "cache")
    yield folder
    if before is None:
        del os.environ[cache.CACHE_ENV]
    else:
        os.environ[cache.CACHE_ENV] = before


def made_once(shared: Path, name: str, make: Callable[[Path], object]) -> Path:
    """``shared/name`` made by ``make(path)`` in the first worker that asks; the others wait on the lock."""
    path = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            make(path)
        fcntl.flock(lock, fcntl.LOCK_UN)
    return path


@pytest.fixture(scope="module")
def scan(shared: Path) -> Path:
    return made_once(shared, "hongze-2024-scan-300dpi.pdf", lambda p: make_scan(real_file(SOURCE), p, "300dpi"))


@pytest.fixture(scope="module")
def truth() -> Report:
    return load_report(real_file(SOURCE))


@pytest.fixture(scope="module")
def scanned(shared: Path, scan: Path) -> Report:
    """The scan's report; the first worker OCRs it into the shared cache, the other reads it from there."""
    made_once(shared, "read", lambda p: (load_report(scan), p.write_text("done")))
    return load_report(scan)


def test_the_scan_has_no_text_layer(scan: Path) -> None:
    import pdfplumber

    with pdfplumber.open(scan) as pdf:
        assert len(pdf.pages) == 5
        assert all(not page.chars and page.images for page in pdf.pages)


def test_agency_year_and_six_parts_equal_the_text_layer(scanned: Report, truth: Report) -> None:
    assert (scanned.agency, scanned.year, scanned.region.code) == (truth.agency, truth.year, truth.region.code)
    assert scanned.parts_found == truth.parts_found == ["一", "二", "三", "四", "五", "六"]
    assert [s.title for s in scanned.sections if s.level == 1] == [s.title for s in truth.sections if s.level == 1]


def test_cells_equal_the_text_layer(scanned: Report, truth: Report) -> None:
    accuracy = compare_tables(truth, scanned)
    assert accuracy.cells > 150
    assert accuracy.equal_share >= 0.98, (accuracy.null, accuracy.different)
    assert accuracy.different_share <= 0.005, accuracy.different
    assert all(explained(scanned, where) for where in accuracy.null), accuracy.null
    assert all(caught(scanned, where) for where in accuracy.different), accuracy.different
    assert scanned.tables.keys() == truth.tables.keys()
    assert {t.status for t in scanned.tables.values()} == {t.status for t in truth.tables.values()}


def test_ocr_is_marked_in_the_model_the_json_and_check(scanned: Report, scan: Path) -> None:
    assert scanned.ocr is not None and scanned.ocr.pages == [1, 2, 3, 4, 5]
    assert scanned.ocr.engine.startswith("RapidOCR") and 0.9 < scanned.ocr.confidence <= 1.0
    note = next(f for f in scanned.findings if f.code == "reader_ocr")
    assert "内容由 OCR 识别" in note.message and "RapidOCR" in note.message
    numbers = [c for t in scanned.tables.values() for cols in t.rows.values() for c in cols.values() if c.state == "number"]
    assert numbers and all(c.ocr_confidence is not None and c.ocr_confidence >= LOW_CONFIDENCE for c in numbers)
    data = json.loads(json.dumps(scanned.to_dict(), ensure_ascii=False))
    assert data["ocr"]["pages"] == [1, 2, 3, 4, 5]
    assert data["tables"]["requests"]["1"]["total"]["ocr_confidence"] > 0.9
    assert Report.from_dict(data) == scanned


def test_archive_check_prints_the_same_summary_as_for_the_text_pdf(scan: Path, scanned: Report, truth: Report) -> None:
    result = CliRunner().invoke(cli, ["check", str(scan)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text_summary = format_report(truth).splitlines()
    scan_summary = result.output.splitlines()
    for label in ("发布机关", "报告年度", "所在地区", "报告格式", "已识别部分", "二、主动公开", "三、收到和处理", "四、政府信息公开"):
        expected = next(line for line in text_summary if label in line)
        assert expected in scan_summary, label
    assert any(line.startswith("  文字识别：第 1、2、3、4、5 页内容由 OCR 识别（RapidOCR") for line in scan_summary)
    assert "内容由 OCR 识别" in result.output


def test_search_finds_a_sentence_of_each_part_of_the_scan(shared: Path, scan: Path, truth: Report) -> None:
    content = shared.parent / f"search-{os.getpid()}" / "content"
    (content / "reports").mkdir(parents=True)
    (content / "reports" / scan.name).write_bytes(scan.read_bytes())
    index_dir = content.parent / "index"
    assert ingest(content, index_dir).exit_code == 0
    assert any((index_dir / OCR_CACHE_DIR).glob("*.json"))  # ingest keeps its readings beside the index
    found = []
    with ArchiveSearcher(index_dir) as searcher:
        for part in (s for s in truth.sections if s.level == 1):
            text = "\n".join(sec.text for _, sec in part.walk())
            sentence = next(iter(SENTENCE.findall(text)), None)
            if sentence is None:
                continue
            hits = searcher.search(sentence[:16], limit=5).hits
            found.append((part.number, any(h.fields.get("part") == part.number for h in hits)))
        rows = searcher.search("本年新收政府信息公开申请数量", Filters(kind="table_row"), limit=3).hits
    assert [n for n, _ in found] == ["一", "五", "六"] and all(ok for _, ok in found), found  # 二 to 四 are tables
    assert rows and json.loads(rows[0].fields["values"])["natural_person"] == 95


def test_a_low_confidence_digit_is_null_with_a_finding_naming_the_cell(scan: Path, scanned: Report, shared: Path) -> None:
    """The cached reading of the scan, with the engine less sure of one number: that cell is not used."""
    readings = cached_readings(scan)
    box = next(b for b in readings["pages"]["3"]["boxes"] if b["text"] == "95")  # 一、本年新收 自然人
    box["confidence"] = 0.41
    report = load_report(copy_with_readings(scan, shared / "doubtful", readings))
    cell = report.tables["requests"].cell("1", "natural_person")
    assert (cell.value, cell.state, cell.raw, cell.ocr_confidence) == (None, "text", "95", 0.41)
    finding = next(f for f in report.findings if f.code == "ocr_low_confidence")
    assert (finding.table, finding.row, finding.column) == ("requests", "1", "natural_person")
    assert "「95」" in finding.message and "41%" in finding.message
    assert not any(f.code == "requests_row_total" and f.row == "1" for f in report.findings)  # not checked, not failed


def test_a_misread_number_is_caught_by_a_table_rule_that_names_it(scan: Path, scanned: Report, shared: Path) -> None:
    """A 3 read as an 8 with some doubt (still above the threshold): the row total fails and names that cell."""
    readings = cached_readings(scan)
    box = next(b for b in readings["pages"]["4"]["boxes"] if b["text"] == "3")  # 表四 复议后起诉 总计
    box["text"], box["confidence"] = "8", 0.93
    report = load_report(copy_with_readings(scan, shared / "misread", readings))
    finding = next(f for f in report.findings if f.code == "review_litigation_total")
    assert (finding.table, finding.row, finding.column) == ("review_litigation", "litigation_after_review", "total")
    assert "最可能误读" in finding.message and "读作「8」" in finding.message and "93.0%" in finding.message


def cached_name(scan: Path) -> str:
    return hashlib.sha256(scan.read_bytes()).hexdigest() + ".json"


def copy_with_readings(scan: Path, folder: Path, readings: dict[str, Any]) -> Path:
    """Another file (a comment after %%EOF, naming ``folder``) of the same pages, whose cached OCR readings are ``readings``."""
    folder.mkdir(exist_ok=True)
    copy = folder / scan.name
    copy.write_bytes(scan.read_bytes() + b"\n%" + folder.name.encode() + b"\n")
    (Path(os.environ[cache.CACHE_ENV]) / cached_name(copy)).write_text(json.dumps(readings), "utf-8")
    return copy


def cached_readings(scan: Path) -> dict[str, Any]:
    """The readings the ``scanned`` fixture left in the cache (a test that reads them asks for it: under
    xdist it may otherwise run first, on a worker where nothing was read yet)."""
    path = Path(os.environ[cache.CACHE_ENV]) / cached_name(scan)
    return json.loads(path.read_text("utf-8"))


def test_a_cached_reading_is_used_instead_of_running_ocr_again(scan: Path, scanned: Report) -> None:
    """What the cache holds is what the report shows: the file was not OCR'd again."""
    readings = cached_readings(scan)
    assert scanned.ocr is not None and readings["engine"].startswith(scanned.ocr.engine)
    assert sorted(readings["pages"]) == ["1", "2", "3", "4", "5"]
    texts = "".join(b["text"] for page in readings["pages"].values() for b in page["boxes"])
    assert "洪泽区" in texts


def test_a_mixed_pdf_is_read_by_ocr_only_where_a_page_has_no_text(shared: Path) -> None:
    """Pages 1, 2, 4, 5 keep their text layer; page 3 is a scan of itself."""

    def make(path: Path) -> None:
        text = pypdfium2.PdfDocument(real_file(SOURCE).read_bytes())
        page3 = shared / "page3.pdf"
        page_images(real_file(SOURCE), 200)[2].save(page3, "PDF", resolution=200)
        mixed = pypdfium2.PdfDocument.new()
        mixed.import_pages(text, [0, 1])
        mixed.import_pages(pypdfium2.PdfDocument(page3.read_bytes()), [0])
        mixed.import_pages(text, [3, 4])
        mixed.save(path)

    mixed = made_once(shared, "hongze-2024-mixed.pdf", make)
    report = load_report(mixed)
    truth = load_report(real_file(SOURCE))
    assert report.ocr is not None and report.ocr.pages == [3]
    assert report.parts_found == truth.parts_found
    accuracy = compare_tables(truth, report)
    assert accuracy.equal_share >= 0.98 and not accuracy.different
    note = next(f for f in report.findings if f.code == "reader_ocr")
    assert "第 3 页" in note.message
    ocr_cells = [c for t in report.tables.values() for cols in t.rows.values() for c in cols.values() if c.ocr_confidence]
    text_cells = [c for t in report.tables.values() for cols in t.rows.values() for c in cols.values() if c.state == "number"]
    assert ocr_cells and len(ocr_cells) < len(text_cells)  # only page 3's cells carry a confidence


def test_page_images_are_read_a_multi_page_tiff_as_one_report(shared: Path) -> None:
    def make(path: Path) -> None:
        images = page_images(real_file(SOURCE), 150)
        images[0].save(path, "TIFF", save_all=True, append_images=[images[4]], compression="tiff_lzw", dpi=(150, 150))

    tiff = made_once(shared, "洪泽区2024年政府信息公开工作年度报告.tif", make)
    report = load_report(tiff)
    assert report.source_format == "image"
    assert (report.agency, report.year) == ("淮安市洪泽区人民政府", 2024)
    assert report.ocr is not None and report.ocr.pages == [1, 2] and report.ocr.dpi is None
    assert {"一", "六"} <= set(report.parts_found)  # page 1 holds part 一, page 5 part 六


def test_a_png_of_one_page_is_a_report(shared: Path) -> None:
    png = made_once(shared, "scan0001.png", lambda p: page_images(real_file(SOURCE), 150)[0].save(p, "PNG"))
    document = read_document(png)
    assert document.source_format == "image" and document.notes == ["ocr"]
    assert document.blocks[0].kind == "heading" and "洪泽区" in document.blocks[0].text


def test_a_damaged_image_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "第3页.jpg"
    image = Image.new("L", (400, 300), 255)
    image.save(path, "JPEG")
    path.write_bytes(path.read_bytes()[:200])
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "第3页.jpg" in result.output and "图片文件无法打开" in result.output


def test_a_folder_of_page_images_is_one_report(shared: Path) -> None:
    def make(folder: Path) -> None:
        folder.mkdir()
        images = page_images(real_file(SOURCE), 150)
        images[4].save(folder / "第2页.jpg", "JPEG", quality=85)
        images[0].save(folder / "第1页.png", "PNG")

    folder = made_once(shared, "洪泽区2024年政府信息公开工作年度报告（图片版）", make)
    assert report_files(folder) == [folder]
    result = CliRunner().invoke(cli, ["check", "--detail", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "淮安市洪泽区人民政府" in result.output and "第 1、2 页内容由 OCR 识别" in result.output
    report = load_report(folder)
    assert report.ocr is not None and report.ocr.pages == [1, 2]
    assert [p for p in report.parts_found if p in ("一", "六")] == ["一", "六"]  # page 1 first, then page 5


def test_a_table_without_rules_is_read_by_its_columns(tmp_path: Path) -> None:
    """A table printed without ruling lines (a Word table with borders off): its columns are the gaps between its cells."""
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 30)
    image = Image.new("L", (1240, 520), 255)
    draw = ImageDraw.Draw(image)
    draw.text((120, 40), "二、主动公开政府信息情况", font=font, fill=0)
    rows = [("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "0", "0", "5"), ("行政规范性文件", "3", "1", "12")]
    for n, row in enumerate(rows):
        for x, text in zip((120, 480, 740, 1000), row, strict=True):
            draw.text((x, 150 + 90 * n), text, font=font, fill=0)
    path = tmp_path / "table.png"
    image.save(path, dpi=(150, 150))
    document = read_document(path)
    grids = [b.rows for b in document.tables()]
    assert grids == [[list(row) for row in rows]]
    table = load_report(path).tables["active"]
    assert [table.value("regulations", c) for c in ("issued", "repealed", "in_force")] == [0, 0, 5]
    assert [table.value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [3, 1, 12]


def test_the_report_page_says_what_ocr_read_and_how_surely(scanned: Report, tmp_path: Path) -> None:
    from site_builder.build import build

    report = Report.from_dict(scanned.to_dict())
    report.tables["requests"].rows["1"]["natural_person"] = Cell(None, "95", "text", ocr_confidence=0.41)
    out = tmp_path / "site"
    build(real_file(SOURCE).parent.parent, out, reports=[report])
    page = next(p for p in (out / "reports").rglob("*.html")).read_text("utf-8")
    assert "内容由 OCR 识别" in page and "RapidOCR" in page and "第 1、2、3、4、5 页" in page
    assert re.search(r'data-key="requests\.1\.total"[^>]*title="内容由 OCR 识别，置信度 \d+\.\d%"', page)
    assert re.search(r'data-key="requests\.1\.natural_person"[^>]*>识别存疑（95）', page)
    csv = next(p for p in out.rglob("*.csv") if "hongze" in p.name or p.parent.name == "reports").read_text("utf-8")
    assert "识别存疑（95）" in csv


def test_a_page_scanned_askew_is_turned_straight_before_its_rules_are_found() -> None:
    """Page 3 of hongze-2023.pdf (two ruled tables), as scanned straight and turned 1.5°: the same tables."""
    import numpy as np

    from archive.readers.ocr.rulings import ruled_tables
    from archive.readers.ocr.scan import skew_of, straighten

    page = page_images(real_file("hongze-2023.pdf"), 150)[2]
    straight = np.asarray(page)
    askew = np.asarray(page.rotate(-1.5, resample=Image.BICUBIC, fillcolor=255))
    assert skew_of(straight) == 0.0
    angle = skew_of(askew)
    assert abs(angle - 1.5) <= 0.1
    turned, _ = straighten(askew, [], angle)
    expected = [len(t.cells) for t in ruled_tables(straight)]
    assert len(expected) == 2 and [len(t.cells) for t in ruled_tables(turned)] == expected
