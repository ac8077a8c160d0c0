"""The old binary Word format (.doc): converted to .docx with LibreOffice where it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from archive.errors import ReadError
from archive.readers import docx as docx_reader
from archive.readers.document import Document

CONVERT_HINT = "这是旧版 Word（.doc）文件，请另存为 .docx 后再导入"


def read(path: Path, data: bytes, fmt: str) -> Document:
    """Convert with ``soffice --headless`` and read the result; a clear error where LibreOffice is missing."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        raise ReadError(path, f"{CONVERT_HINT}（或安装 LibreOffice 以自动转换）")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.doc"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    office,
                    "--headless",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                capture_output=True,
                timeout=180,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ReadError(path, f"{CONVERT_HINT}（LibreOffice 转换超时）") from exc
        converted = Path(tmp) / "report.docx"
        if not converted.exists():
            raise ReadError(path, f"{CONVERT_HINT}（LibreOffice 无法转换此文件）")
        document = docx_reader.read(path, converted.read_bytes(), "docx")
    document.source_format = "doc"
    return document
