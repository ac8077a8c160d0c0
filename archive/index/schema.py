"""The fields of the search index: one document per section (at every level) and per table row."""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from archive.index.analysis import analyzer

# BM25F field weights: a word in a section's title path counts more than one in its text.
FIELD_BOOSTS = {"title": 2.0, "text": 1.0}
SEARCH_FIELDS = tuple(FIELD_BOOSTS)


def index_schema() -> Schema:
    """The Whoosh schema. ``title`` is the section path (or table › group › row label), ``text`` the body.

    Only what queries match or filter on is indexed: the two text fields, ``report_id`` (to replace a
    report's documents), agency, province, city, county, year, part and kind.
    """
    return Schema(
        id=STORED(),  # "<report_id>:<anchor>" or "<report_id>:<table>:<row>"
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
        table=STORED(),
        row=STORED(),
        label=STORED(),
        values=STORED(),
        source=STORED(),
        title=TEXT(analyzer=analyzer(), stored=True, phrase=False, field_boost=FIELD_BOOSTS["title"]),
        text=TEXT(analyzer=analyzer(), stored=True, phrase=False, field_boost=FIELD_BOOSTS["text"]),
    )
