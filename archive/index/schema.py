"""The fields of the search index: one document per section (at every level) and per table row."""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from archive.index.analysis import analyzer

# The one searched field: a document's title (section path, or table › group › row label) and
# its text, indexed together. One field keeps every query term a single posting list (fast
# intersections, simple to reproduce in the browser); ranking is Whoosh's BM25F on it.
SEARCH_FIELD = "content"
SEARCH_FIELDS = (SEARCH_FIELD,)


def content_of(title: str, text: str) -> str:
    return f"{title}\n{text}" if text else title


def index_schema() -> Schema:
    """The Whoosh schema. ``title`` is the section path (or table › group › row label), ``text`` the body.

    Only what queries match or filter on is indexed: ``content`` (title and text), ``report_id``
    (to replace a report's documents), agency, province, city, county, year, part and kind.
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
        title=STORED(),
        text=STORED(),
        content=TEXT(analyzer=analyzer(), stored=False, phrase=False),
    )
