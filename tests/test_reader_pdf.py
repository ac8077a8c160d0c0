"""The PDF reader on the real 洪泽 reports and on damaged or scanned PDFs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2
import pytest
from real_files import real_file

from archive.errors import ReadError
from archive.readers import read_document
from archive.readers.document import Document


@pytest.fixture(scope="module", params=[2023, 2024])
def hongze(request: pytest.FixtureRequest) -> tuple[int, Document]:
    return request.param, read_document(real_file(f"hongze-{request.param}.pdf"))


def test_headings_in_reading_order(hongze: tuple[int, Document]) -> None:
    year, document = hongze
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings[1] == f"{year}年政府信息公开工作年度报告"
    parts = [h for h in headings if re.match(r"^[一二三四五六]、", h)]
    assert [p[0] for p in parts] == list("一二三四五六")


def test_page_numbers_and_table_text_not_in_paragraphs(hongze: tuple[int, Document]) -> None:
    _, document = hongze
    for block in document.text_blocks():
        assert not re.fullmatch(r"-\s*\d+\s*-", block.text)
        assert "本年新收政府信息公开申请数量" not in block.text
        assert "行政事业性收费" not in block.text


def test_wrapped_lines_joined_into_paragraphs(hongze: tuple[int, Document]) -> None:
    year, document = hongze
    intro = document.blocks[2]
    assert intro.kind == "paragraph"
    assert intro.text.startswith(
        "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）"
    )
    assert intro.text.endswith("）。")
    first_items = [b.text for b in document.blocks if b.text.startswith("（一）主动公开情况。")]
    assert len(first_items) == 1 and "政府网站平台主动" in first_items[0] and first_items[0].endswith("。")


def test_tables_joined_across_pages(hongze: tuple[int, Document]) -> None:
    year, document = hongze
    active, requests, review = document.tables()
    # 表二 runs from page 2 to page 3 with fewer columns there; 表三 from page 3 to page 4.
    assert (len(active.rows), len(active.rows[0])) == (14, 4)
    assert active.rows[9][0] == "行政处罚" and len(set(active.rows[9][1:])) == 1
    assert (len(requests.rows), len(requests.rows[0])) == (26, 10)
    assert (len(review.rows), len(review.rows[0])) == (4, 15)
    labels = [row[2] for row in requests.rows]
    assert "2.没有现成信息需要另行制作" in labels and "3.补正后申请内容仍不明确" in labels
    carried = requests.rows[labels.index("3.补正后申请内容仍不明确")]
    assert carried[:2] == ["三、本年度办理结果", "（四）无法提供"]  # merged cells cut by the page break
    assert requests.rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_values_of_2023(hongze: tuple[int, Document]) -> None:
    year, document = hongze
    if year != 2023:
        pytest.skip("values checked once; the end-to-end test checks both years")
    active, requests, review = document.tables()
    assert active.rows[3] == ["行政规范性文件", "0", "5", "5"]
    assert active.rows[13][1] == "7730.28"
    assert requests.rows[3][3:] == ["21", "0", "0", "0", "0", "0", "21"]
    assert review.rows[3] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]


def test_metadata_title_decoded(hongze: tuple[int, Document]) -> None:
    year, document = hongze
    expected = "洪泽区人民政府2023年政府信息公开工作年度报告" if year == 2023 else "政府信息公开工作年度报告"
    assert document.title == expected


def test_truncated_pdf_is_a_clear_error(tmp_path: Path) -> None:
    data = real_file("hongze-2023.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError) as error:
        read_document(path)
    assert "truncated.pdf" in str(error.value) and "不完整" in str(error.value)


def test_blank_pdf_says_nothing_could_be_read(tmp_path: Path) -> None:
    pdf = pypdfium2.PdfDocument.new()
    pdf.new_page(595, 842)
    buffer = io.BytesIO()
    pdf.save(buffer)
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    document = read_document(path)
    assert document.blocks == [] and document.notes == ["ocr_no_text"] and document.ocr is None


def test_pdf_without_structure_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"x" * 5000 + b"\n%%EOF\n")
    with pytest.raises(ReadError) as error:
        read_document(path)
    assert "garbage.pdf" in str(error.value) and "已损坏" in str(error.value)


def test_radical_code_points_from_a_font_are_read_as_characters() -> None:
    from archive.readers.pdf import ideographs

    # as pdfminer decodes Chromium's embedded Noto CJK: ⼈ (Kangxi), ⺠ (supplement), ⼾ for 户
    assert ideographs("温县⼈⺠政府⼯作，门⼾⽹站，⻓期") == "温县人民政府工作，门户网站，长期"
    assert ideographs("（一）主动公开") == "（一）主动公开"  # full-width punctuation untouched
