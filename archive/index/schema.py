"""The fields of the search index: one document per section (at every level) and per table row."""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from archive.index.analysis import analyzer

# BM25F field weights: a word in a section's title path counts more than one in its text.
FIELD_BOOSTS = {"title": 2.0, "text": 1.0}
SEARCH_FIELDS = tuple(FIELD_BOOSTS)


def index_schema() -> Schema:
    """The Whoosh schema. ``title`` is the section path (or table › group › row label), ``text`` the body."""
    return Schema(
        id=ID(stored=True, unique=True),
        report_id=ID(stored=True),
        agency=ID(stored=True),
        province=ID(stored=True),
        city=ID(stored=True),
        county=ID(stored=True),
        year=NUMERIC(int, stored=True),
        part=ID(stored=True),
        kind=ID(stored=True),
        number=STORED(),
        level=STORED(),
        anchor=STORED(),
        table=ID(stored=True),
        row=ID(stored=True),
        label=STORED(),
        values=STORED(),
        source=STORED(),
        title=TEXT(analyzer=analyzer(), stored=True, phrase=True, field_boost=FIELD_BOOSTS["title"]),
        text=TEXT(analyzer=analyzer(), stored=True, phrase=True, field_boost=FIELD_BOOSTS["text"]),
    )
