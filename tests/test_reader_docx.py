"""The Word readers: the real 2021 template, a document made with python-docx, and the old .doc."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from real_files import real_file

from archive.errors import ReadError
from archive.readers import read_document


def test_template_blocks_in_document_order() -> None:
    document = read_document(real_file("template-2021-format.docx"))
    assert document.source_format == "docx"
    kinds = [b.kind for b in document.blocks]
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == [
        "政府信息公开工作年度报告格式模板",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    # each table right after its part's heading
    for part in ("二、", "三、", "四、"):
        index = next(i for i, b in enumerate(document.blocks) if b.text.startswith(part))
        assert kinds[index + 1] == "table"


def test_template_tables_with_merged_cells_expanded() -> None:
    active, requests, review = read_document(real_file("template-2021-format.docx")).tables()
    assert (len(active.rows), len(active.rows[0])) == (14, 4)
    assert active.rows[5] == ["信息内容"] + ["本年处理决定数量"] * 3
    assert (len(requests.rows), len(requests.rows[0])) == (28, 10)
    assert requests.rows[1][4:9] == ["法人或其他组织"] * 5
    assert [row[0] for row in requests.rows[5:27]] == ["三、本年度办理结果"] * 22  # vMerge continued
    assert requests.rows[23][1:3] == [
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ]
    assert all(cell == "" for row in requests.rows[3:] for cell in row[3:])  # blank template: no values
    assert review.rows[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert review.rows[2][5:10] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def test_heading_styles_and_vertical_merge(tmp_path: Path) -> None:
    word = docx.Document()
    word.core_properties.title = "测试报告"
    word.add_heading("某局2023年政府信息公开工作年度报告", level=0)
    word.add_heading("一、总体情况", level=1)
    word.add_paragraph("正文第一段。")
    word.add_heading("（一）主动公开", level=2)
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "合并"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "横向"
    table.cell(1, 1).text = "1"
    table.cell(1, 2).text = "2"
    table.cell(2, 1).text = "3"
    word.add_paragraph("表后文字。")
    path = tmp_path / "made.docx"
    word.save(str(path))
    document = read_document(path)
    assert document.title == "测试报告"
    blocks = [(b.kind, b.text, b.level) for b in document.blocks if b.kind != "table"]
    assert blocks == [
        ("heading", "某局2023年政府信息公开工作年度报告", 1),
        ("heading", "一、总体情况", 1),
        ("paragraph", "正文第一段。", None),
        ("heading", "（一）主动公开", 2),
        ("paragraph", "表后文字。", None),
    ]
    assert document.tables()[0].rows == [["合并", "横向", "横向"], ["合并", "1", "2"], ["合并", "3", ""]]
    assert document.blocks[4].kind == "table"


def test_damaged_docx_is_a_clear_error(tmp_path: Path) -> None:
    data = real_file("template-2021-format.docx").read_bytes()
    path = tmp_path / "broken.docx"
    path.write_bytes(data[:4000])
    with pytest.raises(ReadError) as error:
        read_document(path)
    assert "broken.docx" in str(error.value)


def test_old_doc_says_to_convert(tmp_path: Path) -> None:
    if shutil.which("soffice") or shutil.which("libreoffice"):
        pytest.skip("LibreOffice is installed: .doc files are converted")
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    with pytest.raises(ReadError) as error:
        read_document(path)
    assert "旧版 Word（.doc）" in str(error.value) and "另存为 .docx" in str(error.value)
