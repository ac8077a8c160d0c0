"""Parse a ``Document`` into a ``Report``: metadata, sections and normalised tables."""

from __future__ import annotations

from archive.model import Finding, OcrInfo, Report
from archive.parse.figure_readings import stated_by_table
from archive.parse.flattened import restore_structure
from archive.parse.meta import recognise_meta
from archive.parse.sections import split_sections
from archive.parse.stated_figures import stated_figures
from archive.parse.tables import normalise_tables
from archive.readers.document import Block, Document

FIRST_STANDARD_YEAR = 2019  # reports on 2019 and later follow the trial (2019) or the 2021 format

# What a reader's notes mean to someone reading the report.
READER_NOTES = {
    "encoding_damaged": "文件中有少量字节不是有效的文字编码，已用替换符号（�）标出，个别字可能缺失，请对照原件。",
    "ocr_no_text": (
        "文件中没有文字层（扫描件或图片），文字识别（OCR）也没有识别出文字（图像可能空白、过于模糊或不是文字）；"
        "目前只收录了文件的标题等元数据，请对照原件。"
    ),
    "ocr": "内容由 OCR 识别：{pages}没有文字层（扫描件或图片），由文字识别（{engine}，平均置信度 {confidence}）得到，"
    "可能有错字或漏字；表格中每个数字都带有识别置信度，置信度低的数字不作为数值，数字请对照原件核实。",
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
    sections = split_sections(blocks, skip=meta.title_blocks, older=older)
    if older:
        tables, findings, table_format = {}, [], "pre2019"
    else:
        own = [f for f in stated_figures(sections, meta.agency, meta.year) if f.scope == "own" and f.year in (None, meta.year)]
        tables, findings, table_format = normalise_tables(blocks, stated_by_table(own))
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
        sections=sections,
        tables=tables,
        findings=[*_reader_findings(document), *findings],
        ocr=_ocr_info(document),
        empty=not any(block.text.strip() or block.rows for block in document.blocks),
    )


def _reader_findings(document: Document) -> list[Finding]:
    return [Finding(f"reader_{note}", "warning", _note_text(note, document)) for note in document.notes]


def _note_text(note: str, document: Document) -> str:
    text = READER_NOTES.get(note, f"读取文件时遇到问题：{note}")
    if note != "ocr" or document.ocr is None:
        return text
    pages = document.ocr.pages
    every = document.source_format != "pdf" or not any(b.page not in pages for b in document.blocks if b.page)
    where = "文件" if every else f"第 {'、'.join(str(p) for p in pages)} 页"
    return text.format(pages=where, engine=document.ocr.engine, confidence=f"{document.ocr.confidence:.1%}")


def _ocr_info(document: Document) -> OcrInfo | None:
    reading = document.ocr
    if reading is None:
        return None
    return OcrInfo(reading.engine, list(reading.pages), reading.confidence, reading.dpi)


def _table_as_text(block: Block) -> Block:
    """A table of a report before the standard formats, as a paragraph: its figures stay in its text."""
    if block.kind != "table":
        return block
    return Block("paragraph", "\n".join(" ".join(cell for cell in row if cell) for row in block.rows), page=block.page)
