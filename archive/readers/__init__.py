"""Readers: one file in, one ``Document`` out. The format is sniffed from the bytes, not the file name."""

from __future__ import annotations

import importlib
from pathlib import Path

from archive.errors import ReadError
from archive.readers.document import Block, Document
from archive.readers.page_bundle import BUNDLE_MAGIC

__all__ = ["Block", "Document", "read_document", "sniff_format"]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
REPORT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | IMAGE_SUFFIXES | {".pdf", ".docx", ".doc"}
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


READER_MODULES = {"txt": "text", "md": "text", "html": "html", "pdf": "pdf", "docx": "docx", "doc": "doc", "image": "image"}


def sniff_format(path: Path, data: bytes) -> str:
    """The format of a file from its first bytes: pdf, docx, doc, image (PNG, JPEG, TIFF), html, md or txt.

    The suffix only decides between text and Markdown, and tells what the file claims to be
    so that a mismatch (an image renamed .txt) can be named in the error.
    """
    head = data[:2048]
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(IMAGE_SIGNATURES) or head.startswith(BUNDLE_MAGIC):
        return "image"  # an image file, or a folder of page images bundled (archive.files.report_bytes)
    if suffix in IMAGE_SUFFIXES:
        raise ReadError(path, f"文件扩展名是 {suffix}，但内容不是 PNG、JPEG 或 TIFF 图片（文件可能已损坏）")
    if suffix == ".pdf":
        raise ReadError(path, "文件扩展名是 .pdf，但内容不是 PDF（文件可能已损坏或被截断）")
    if suffix == ".docx":
        raise ReadError(path, "文件扩展名是 .docx，但内容不是 Word 文档（文件可能已损坏）")
    lowered = head.lower()
    if suffix in HTML_SUFFIXES or b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "md"
    return "txt"


def read_document(path: Path | str, data: bytes | None = None) -> Document:
    """Read one report file into the intermediate form. Raises ``ReadError`` naming the file."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(path, f"文件无法打开（{exc.strerror or exc}）") from exc
    if not data.strip():
        raise ReadError(path, "文件是空的")
    fmt = sniff_format(path, data)
    # Imported when a file of its format comes: a text report never loads the PDF or OCR libraries.
    module = importlib.import_module(f"archive.readers.{READER_MODULES[fmt]}")
    try:
        document = module.read(path, data, fmt)
    except ReadError:
        raise
    except Exception as exc:  # a reader's library failing on damaged input is the file's fault, not a bug
        raise ReadError(path, f"{fmt} 文件无法解析（{type(exc).__name__}: {exc}）") from exc
    return document
