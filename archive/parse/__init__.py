"""Parse a ``Document`` into a ``Report``: metadata, sections and normalised tables."""

from __future__ import annotations

from archive.model import Finding, Report
from archive.parse.flattened import restore_structure
from archive.parse.meta import recognise_meta
from archive.parse.sections import split_sections
from archive.parse.tables import normalise_tables
from archive.readers.document import Block, Document

FIRST_STANDARD_YEAR = 2019  # reports on 2019 and later follow the trial (2019) or the 2021 format

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
    A report on a year before 2019 has no standard tables: its tables stay text of its sections, and
    no cell of the 2021 tables is filled from it.
    """
    blocks = restore_structure(document.blocks)
    meta = recognise_meta(
        blocks, fallback_title=document.title, fallback_date=document.date, publisher=document.publisher
    )
    older = meta.year is not None and meta.year < FIRST_STANDARD_YEAR
    if older:
        blocks = [_table_as_text(block) for block in blocks]
        tables, findings, table_format = {}, [], "pre2019"
    else:
        tables, findings, table_format = normalise_tables(blocks)
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
        sections=split_sections(blocks, skip=meta.title_blocks, older=older),
        tables=tables,
        findings=[*_reader_findings(document), *findings],
    )


def _reader_findings(document: Document) -> list[Finding]:
    return [
        Finding(f"reader_{note}", "warning", READER_NOTES.get(note, f"读取文件时遇到问题：{note}"))
        for note in document.notes
    ]


def _table_as_text(block: Block) -> Block:
    """A table of a report before the standard formats, as a paragraph: its figures stay in its text."""
    if block.kind != "table":
        return block
    return Block("paragraph", "\n".join(" ".join(cell for cell in row if cell) for row in block.rows), page=block.page)
