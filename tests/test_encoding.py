"""Text reports in any of the encodings agencies use decode to the same text and the same report."""

from __future__ import annotations

import codecs

import pytest

from archive.errors import ReadError
from archive.pipeline import load_report
from archive.readers import read_document
from archive.readers.encoding import decode

TEXT = "温县人民政府办公室 2023 年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开\t16\t0\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16be-bom", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_every_encoding_decodes_to_the_same_text(data: bytes, expected: str) -> None:
    text, encoding = decode("report.txt", data)
    assert text == TEXT
    assert encoding == expected


def test_line_endings_become_newlines() -> None:
    text, _ = decode("report.txt", "一、总体情况\r\n正文。\r二、主动公开\n".encode("gbk"))
    assert text == "一、总体情况\n正文。\n二、主动公开\n"


def test_the_file_name_does_not_decide_the_encoding() -> None:
    text, encoding = decode("report.utf8.txt", TEXT.encode("gb18030"))
    assert (text, encoding) == (TEXT, "gb18030")


def test_an_image_renamed_txt_is_refused_with_a_clear_message() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(ReadError) as error:
        decode("scan.txt", png)
    assert "scan.txt" in error.value.format_message()
    assert "PNG" in error.value.problem


def test_binary_data_with_nul_bytes_is_refused() -> None:
    with pytest.raises(ReadError) as error:
        decode("data.txt", b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x10" * 50)
    assert "二进制" in error.value.problem


def _comparable(report_dict: dict) -> dict:
    return {k: v for k, v in report_dict.items() if k not in ("sha256", "encoding")}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_a_recoded_sample_parses_to_the_same_report(sample_path, encoding: str) -> None:
    path = sample_path("wenxian")
    original = load_report(path)
    recoded = load_report(path, data=path.read_text("utf-8").encode(encoding))
    assert recoded.encoding != original.encoding
    assert _comparable(recoded.to_dict()) == _comparable(original.to_dict())
    assert recoded.agency == "温县人民政府办公室"
    assert recoded.tables["requests"].value("1", "natural_person") == 16


def test_a_gb18030_copy_of_a_one_cell_per_line_sample_parses_the_same(sample_path) -> None:
    path = sample_path("guanzhuang")
    original = load_report(path)
    recoded = load_report(path, data=path.read_text("utf-8").replace("\n", "\r\n").encode("gb18030"))
    assert recoded.encoding == "gb18030"
    assert _comparable(recoded.to_dict()) == _comparable(original.to_dict())


def test_utf8_with_a_damaged_byte_keeps_the_text_and_says_so(sample_path) -> None:
    data = sample_path("wenxian").read_bytes()
    damaged = data[:1000] + b"\xff" + data[1000:]
    text, encoding = decode("report.txt", damaged)
    assert encoding == "utf-8"
    assert 1 <= text.count("\ufffd") <= 3  # the stray byte, and the character it was dropped into
    assert "温县人民政府办公室" in text
    assert read_document(sample_path("wenxian"), damaged).notes == ["encoding_damaged"]
    report = load_report(sample_path("wenxian"), data=damaged)
    assert report.agency == "温县人民政府办公室"
    assert [f.code for f in report.findings if f.code.startswith("reader_")] == ["reader_encoding_damaged"]
