"""Read a report published as page images: a PNG or JPEG of one page, a TIFF of one page per
frame, or a folder of page images (``archive.files``), which comes here as one bundle of bytes.

Every page is read by OCR (``archive.readers.ocr``); the title comes from the file (or folder)
name where it names a report, as for a PDF without metadata.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from archive.errors import ReadError
from archive.readers.document import Document
from archive.readers.ocr.pages import ImagePages
from archive.readers.ocr.reading import ocr_blocks
from archive.readers.page_bundle import BUNDLE_MAGIC, unbundle
from archive.readers.pdf import file_name_title


def read(path: Path, data: bytes, fmt: str) -> Document:
    files = unbundle(data) if data.startswith(BUNDLE_MAGIC) else [(path.name, data)]
    count = sum(decodable_frames(path / name if len(files) > 1 else path, image) for name, image in files)
    source = ImagePages(tuple(image for _, image in files))
    pages = list(range(1, count + 1))
    blocks, reading = ocr_blocks(source, pages, data)
    notes = ["ocr"] if blocks else ["ocr_no_text"]
    return Document(blocks=blocks, source=str(path), source_format="image", title=file_name_title(path), notes=notes, ocr=reading)


def decodable_frames(path: Path, data: bytes) -> int:
    """How many pages (frames) the image has, each decoded once to be sure it can be: else a ReadError naming the file."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            count = 0
            for frame in ImageSequence.Iterator(image):
                frame.load()
                count += 1
            return count
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ReadError(path, f"图片文件无法打开（{type(exc).__name__}），可能已损坏或不是完整的图片") from exc
