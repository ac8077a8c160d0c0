"""Parse a ``Document`` into a ``Report``: metadata, sections and normalised tables."""

from __future__ import annotations

from archive.model import Finding, Report, Table
from archive.parse.meta import recognise_meta
from archive.parse.sections import split_sections
from archive.readers.document import Block, Document

# What a reader's notes mean to someone reading the report.
READER_NOTES = {
    "encoding_damaged": "文件中有少量字节不是有效的文字编码，已用替换符号（�）标出，个别字可能缺失，请对照原件。",
    "needs_ocr": (
        "文件中没有可提取的文字（可能是扫描件），需要先做文字识别（OCR）才能读取内容。"
        "请安装 tesseract 和简体中文识别数据（Debian/Ubuntu：sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim）"
        "后重新导入；目前只收录了文件的标题等元数据。"
    ),
    "ocr": "文件中没有文字层（扫描件），内容由文字识别（OCR）得到，可能有错字或漏字，数字请对照原件核实。",
}


def parse_document(document: Document) -> Report:
    """Recognise agency, year, title, date and region; split the parts; normalise the tables.

    The container's title and date (HTML <title>, PDF metadata) are used only where the body lacks them.
    """
    meta = recognise_meta(document.blocks, fallback_title=document.title, fallback_date=document.date)
    tables, findings, table_format = _normalise_tables(document.blocks)
    return Report(
        id="",
        source=document.source,
        source_format=document.source_format,
        encoding=document.encoding,
        title=meta.title,
        agency=meta.agency,
        year=meta.year,
        publication_date=meta.publication_date,
        region=meta.region,
        format=table_format,
        sections=split_sections(document.blocks, skip=meta.title_blocks),
        tables=tables,
        findings=[*_reader_findings(document), *findings],
    )


def _reader_findings(document: Document) -> list[Finding]:
    return [
        Finding(f"reader_{note}", "warning", READER_NOTES.get(note, f"读取文件时遇到问题：{note}"))
        for note in document.notes
    ]


def _normalise_tables(blocks: list[Block]) -> tuple[dict[str, Table], list[Finding], str]:
    try:
        from archive.parse.tables import normalise_tables
    except ImportError:
        return {}, [], "2021"
    return normalise_tables(blocks)
