"""The whole archive as one SQLite database (``data/archive.db``), made with ``sqlite-utils``.

Tables (every one has a primary key; foreign keys point to ``reports`` and ``agencies``):

* ``agencies``, ``reports``: one row per agency (as the site groups them) and per report;
* ``sections``: every part and sub-section with its text; the full-text table ``sections_fts`` holds
  the text cut into words by jieba (contentless: only its index is stored; search it with words
  separated by spaces: ``政策 解读``);
* ``cells``: the three tables in long form, one row per report × table × row × column with the
  value, the text as printed and the state (number, text, missing); the view ``cells_labelled`` adds
  the row's and column's labels (from ``schema_rows`` and ``schema_columns``);
* ``findings``: the checks' findings;
* ``themes`` and ``theme_sentences``: the themes list and every sentence with its themes (a JSON array);
* ``similar_passages``: each paragraph's similar paragraphs in other agencies' reports;
* ``schema_rows``, ``schema_columns``: the labels of the tables' rows and columns.

Year, region and agency are repeated in ``cells``, ``findings`` and ``theme_sentences`` so that
Datasette can facet on them (``datasette_metadata`` names the facets and describes every column).
The cells, three quarters of the rows (2.2 million at 10,000 reports), are a table without rowid
written with ``executemany``; sqlite-utils makes the other tables.
"""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import schema
from archive.model import Report
from archive.parse.passages import paragraphs
from site_builder import fingerprint
from site_builder.pages.report import inputs_digest
from site_builder.site import MadeFile, ReportEntry, Site, section_heading

BATCH = 2000


def database_file(site: Site, words_of: Any, published: Path | None = None) -> MadeFile:
    """The database, made at the path the build gives (in its staging folder).

    ``words_of(report)``: (anchor, paragraph number) → the paragraph's words, space-separated.
    ``published``: the database the last build published; when the build cache says what it was made
    from (and it is the very file the cache describes), a copy of it is brought up to date (the reports
    whose pages changed, deleted and inserted again) instead of making every row again.
    """

    def make(path: Path) -> None:
        made = _update(site, path, words_of, published)
        if made is None:
            path.unlink(missing_ok=True)
            made = _write(site, path, words_of)
        site.cache.save(DATABASE_CACHE, {"file": _identity(path), **made})

    return MadeFile(make)


def _identity(path: Path) -> list[int]:
    """The file as the build left it (a kept file is the same inode, time and size in the next build)."""
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


DATABASE_CACHE = "database"
"""What the published database was made from: the file (``_identity``), the build's base (``base``) and each
report's page digest; each report's full-text rows are the fragments ``fts``, by that digest."""


def base(site: Site) -> str:
    """What every row depends on: the code, the agencies (their ids), the themes list and the schema."""
    agencies = [(a.key, a.name, a.slug, a.kind, a.region.to_dict()) for a in site.agencies]
    return json.dumps(
        [fingerprint.code_digest(), agencies, site.corpus.themes.to_dict(), schema.load_schema().get("format")],
        ensure_ascii=False,
        sort_keys=True,
    )


def _write(site: Site, path: Path, words_of: Any) -> dict[str, Any]:
    write_database(site, path, words_of)
    digests = {e.report.id: inputs_digest(site, e) for e in site.entries}
    site.cache.keep_fragments(FTS_FRAGMENTS, set(digests.values()))
    return {"base": base(site), "reports": digests}


def _update(site: Site, path: Path, words_of: Any, published: Path | None) -> dict[str, Any] | None:
    """A copy of the published database with the changed reports' rows made again; None when it cannot be:
    no database published, not the one the cache describes, another base, or a full-text row unknown."""
    record = site.cache.load(DATABASE_CACHE)
    made_from = base(site)
    if published is None or not record or record.get("base") != made_from:
        return None
    try:
        if _identity(published) != record.get("file"):
            return None
    except OSError:
        return None
    digests = {e.report.id: inputs_digest(site, e) for e in site.entries}
    before: dict[str, str] = record["reports"]
    stale = sorted(r for r in before if digests.get(r) != before[r])
    fresh = [e for e in site.entries if before.get(e.report.id) != digests[e.report.id]]
    shutil.copyfile(published, path)
    db = sqlite_utils.Database(path)
    try:
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.conn.execute("PRAGMA synchronous = OFF")
        with db.conn:
            if not all(_delete_report(db, site, report_id, before[report_id]) for report_id in stale):
                return None
            agency_ids = {a.key: number for number, a in enumerate(site.agencies, 1)}
            _insert_reports(db, site, agency_ids, words_of, fresh, first_section=_last_id(db, "sections"))
            insert_rows(db, "theme_sentences", _theme_rows(site, agency_ids, fresh))
            insert_rows(db, "similar_passages", _similar_rows(site, fresh))
        db.conn.execute("PRAGMA optimize")
    finally:
        db.close()
    site.cache.keep_fragments(FTS_FRAGMENTS, set(digests.values()))
    return {"base": made_from, "reports": digests}


def _delete_report(db: sqlite_utils.Database, site: Site, report_id: str, digest: str) -> bool:
    """Remove a report's rows; False when its full-text rows (which a contentless table needs word for word
    to remove them) are not in the cache."""
    stored = site.cache.fragment(FTS_FRAGMENTS, digest)
    sections = db.conn.execute("select id from sections where report_id = ? order by id", (report_id,)).fetchall()
    searchable = pickle.loads(stored) if stored is not None else None
    if searchable is None or len(searchable) != len(sections):
        return False
    db.conn.executemany(
        "insert into sections_fts (sections_fts, rowid, heading, words) values ('delete', ?, ?, ?)",
        [(section_id, heading, words) for (section_id,), (heading, words) in zip(sections, searchable, strict=True)],
    )
    for table in ("sections", "cells", "findings", "theme_sentences", "similar_passages", "reports"):
        column = "id" if table == "reports" else "report_id"
        db.conn.execute(f"delete from [{table}] where [{column}] = ?", (report_id,))
    return True


def _last_id(db: sqlite_utils.Database, table: str) -> int:
    return db.conn.execute(f"select coalesce(max(id), 0) from [{table}]").fetchone()[0]


FTS_FRAGMENTS = "fts"


def write_database(site: Site, path: Path, words_of: Any) -> None:
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    _create_tables(db)
    agency_ids = _agencies(db, site)
    with db.conn:
        _insert_reports(db, site, agency_ids, words_of, site.entries)
    _themes(db, site, agency_ids)
    insert_rows(db, "similar_passages", _similar_rows(site, site.entries))
    _schema_tables(db)
    db.create_view("cells_labelled", CELLS_LABELLED)
    for table, columns in INDEXES:
        db[table].create_index(columns)
    db.conn.execute("ANALYZE")
    db.conn.commit()
    db.close()


CELLS_LABELLED = (
    "select cells.*, schema_rows.group_label as row_group, schema_rows.label as row_label, "
    "schema_columns.label as column_label from cells "
    "join schema_rows on schema_rows.table_key = cells.table_key and schema_rows.row = cells.row "
    'join schema_columns on schema_columns.table_key = cells.table_key and schema_columns."column" = cells."column"'
)
CELLS = """create table cells (
    report_id text not null references reports(id),
    table_key text not null,
    "row" text not null,
    "column" text not null,
    value float,
    raw text,
    state text not null,
    inferred integer not null,
    ocr_confidence float,
    year integer,
    province text,
    agency_id integer references agencies(id),
    primary key (report_id, table_key, "row", "column")
) without rowid"""
"""Without rowid: the table is its primary key's index (2.2 million rows at 10,000 reports, stored once)."""
FTS = "create virtual table sections_fts using fts5(heading, words, content='', tokenize='unicode61')"
"""Contentless: the words are indexed, not stored again (the text is in ``sections``)."""


INDEXES: list[tuple[str, list[str]]] = [
    ("reports", ["agency_id"]),
    ("reports", ["year"]),
    ("sections", ["report_id"]),
    ("cells", ["table_key", "row", "column"]),
    ("findings", ["report_id"]),
    ("theme_sentences", ["report_id"]),
    ("similar_passages", ["report_id"]),
]
"""Cells are found by report through their primary key (report_id first), by table cell through the index;
an index per facet column would double their size (secondary indexes of a table without rowid hold its key)."""
CELL_COLUMNS = (
    "report_id", "table_key", "row", "column", "value", "raw", "state", "inferred", "ocr_confidence", "year", "province",
    "agency_id",
)


def _create_tables(db: sqlite_utils.Database) -> None:
    db["agencies"].create(
        {"id": int, "name": str, "slug": str, "kind": str, "province": str, "city": str, "county": str, "region_code": str},
        pk="id",
    )
    db["reports"].create(
        {
            "id": str, "agency_id": int, "agency_as_printed": str, "title": str, "year": int, "province": str,
            "city": str, "county": str, "publication_date": str, "format": str, "source": str, "source_format": str,
            "sha256": str, "page": str, "findings": int, "tables_complete": int,
        },
        pk="id",
        foreign_keys=[("agency_id", "agencies", "id")],
    )
    db["sections"].create(
        {
            "id": int, "report_id": str, "anchor": str, "part": str, "level": int, "number": str, "title": str,
            "heading": str, "text": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db.execute(FTS)
    db.execute(CELLS)
    db["findings"].create(
        {
            "id": int, "report_id": str, "code": str, "severity": str, "message": str, "table_key": str, "row": str,
            "column": str, "section": str, "year": int, "province": str, "agency_id": int,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("agency_id", "agencies", "id")],
    )
    db["themes"].create({"slug": str, "name": str, "description": str, "keywords": str, "patterns": str}, pk="slug")
    db["theme_sentences"].create(
        {
            "id": int, "report_id": str, "part": str, "anchor": str, "paragraph": int, "text": str, "themes": str,
            "year": int, "province": str, "agency_id": int,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("agency_id", "agencies", "id")],
    )
    db["similar_passages"].create(
        {
            "id": int, "report_id": str, "anchor": str, "paragraph": int, "other_report_id": str, "other_part": str,
            "other_anchor": str, "other_paragraph": int, "similarity": float, "copied": int,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("other_report_id", "reports", "id")],
    )


def _agencies(db: sqlite_utils.Database, site: Site) -> dict[str, int]:
    """Agency key → id (1, 2, … in the site's order)."""
    ids: dict[str, int] = {}
    rows = []
    for number, agency in enumerate(site.agencies, 1):
        ids[agency.key] = number
        region = agency.region
        rows.append(
            {
                "id": number, "name": agency.name, "slug": agency.slug, "kind": agency.kind,
                "province": region.province, "city": region.city, "county": region.county, "region_code": region.code,
            }
        )
    db["agencies"].insert_all(rows, batch_size=BATCH)
    return ids


def _place(entry: ReportEntry) -> dict[str, Any]:
    region = entry.agency.region if entry.agency and entry.agency.region.path else entry.report.region
    return {"province": region.province, "city": region.city, "county": region.county}


def _insert_reports(
    db: sqlite_utils.Database,
    site: Site,
    agency_ids: dict[str, int],
    words_of: Any,
    entries: list[ReportEntry],
    first_section: int = 0,
) -> None:
    """The rows of ``entries`` (reports, sections and their words, cells, findings); each report's full-text
    rows are kept in the build cache, by its page's digest, for the update that removes them."""
    reports: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    cells: list[tuple[Any, ...]] = []
    searchable: list[tuple[int, str, str]] = []
    section_id = first_section
    for entry in sorted(entries, key=lambda e: e.report.id):  # the cells' key order: each page written once
        report = site.full(entry.report)
        agency_id = agency_ids.get(entry.agency.key) if entry.agency else None
        place = _place(entry)
        reports.append(_report_row(entry, report, agency_id, place, site.store.tables_complete(entry.report)))
        own: list[tuple[str, str]] = []
        for row, words in _section_rows(report, words_of(report)):
            section_id += 1
            sections.append({"id": section_id, **row})
            searchable.append((section_id, row["heading"], words))
            own.append((row["heading"], words))
        site.cache.put_fragment(FTS_FRAGMENTS, inputs_digest(site, entry), pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL))
        facets = {"year": report.year, "province": place["province"], "agency_id": agency_id}
        cells.extend(_cell_rows(report, facets))
        findings.extend(
            {"report_id": report.id, "code": f.code, "severity": f.severity, "message": f.message, "table_key": f.table,
             "row": f.row, "column": f.column, "section": f.section, **facets}
            for f in report.findings
        )
        if len(cells) >= 50 * BATCH:
            _flush(db, reports, sections, findings, cells, searchable)
    _flush(db, reports, sections, findings, cells, searchable)


def _flush(
    db: sqlite_utils.Database,
    reports: list[dict[str, Any]],
    sections: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    cells: list[tuple[Any, ...]],
    searchable: list[tuple[int, str, str]],
) -> None:
    for name, rows in (("reports", reports), ("sections", sections), ("findings", findings)):
        insert_rows(db, name, rows)
        rows.clear()
    columns = ", ".join(f'"{c}"' for c in CELL_COLUMNS)
    db.conn.executemany(f"insert into cells ({columns}) values ({', '.join('?' * len(CELL_COLUMNS))})", cells)
    db.conn.executemany("insert into sections_fts (rowid, heading, words) values (?, ?, ?)", searchable)
    cells.clear()
    searchable.clear()


def _report_row(entry: ReportEntry, report: Report, agency_id: int | None, place: dict[str, Any], complete: bool) -> dict[str, Any]:
    return {
        "id": report.id, "agency_id": agency_id, "agency_as_printed": report.agency, "title": entry.title,
        "year": report.year, **place, "publication_date": report.publication_date, "format": report.format,
        "source": report.source, "source_format": report.source_format, "sha256": report.sha256,
        "page": entry.path, "findings": len(report.findings), "tables_complete": int(complete),
    }


def _section_rows(report: Report, words: dict[tuple[str, int], str]) -> Iterator[tuple[dict[str, Any], str]]:
    """Each section's row, with its words for the full-text table."""
    for part in report.sections:
        number = part.part or ""
        for path, section in part.walk():
            heading = " › ".join(section_heading(s) for s in (*path, section))
            text_words = "\n".join(words.get((section.anchor, p.paragraph), "") for p in paragraphs(section.text))
            row = {
                "report_id": report.id, "anchor": section.anchor, "part": number, "level": section.level,
                "number": section.number, "title": section.title, "heading": heading, "text": section.text,
            }
            yield row, text_words


def _cell_rows(report: Report, facets: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The report's cells, in CELL_COLUMNS order."""
    for table in schema.TABLE_KEYS:
        found = report.tables.get(table)
        for row, column in schema.cell_keys(table):
            cell = found.cell(row, column) if found is not None else None
            value: Any = cell.value if cell is not None else None
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            yield (
                report.id, table, row, column, value, cell.raw if cell is not None else None,
                cell.state if cell is not None else "missing", int(bool(cell and cell.inferred)),
                cell.ocr_confidence if cell is not None else None, facets["year"], facets["province"], facets["agency_id"],
            )


def _themes(db: sqlite_utils.Database, site: Site, agency_ids: dict[str, int]) -> None:
    db["themes"].insert_all(
        (
            {"slug": t.slug, "name": t.name, "description": t.description, "keywords": "、".join(t.keywords),
             "patterns": "\n".join(t.patterns)}
            for t in site.corpus.themes.themes
        ),
        batch_size=BATCH,
    )
    insert_rows(db, "theme_sentences", _theme_rows(site, agency_ids, site.entries))


def _theme_rows(site: Site, agency_ids: dict[str, int], entries: list[ReportEntry]) -> Iterable[dict[str, Any]]:
    for entry in entries:
        agency_id = agency_ids.get(entry.agency.key) if entry.agency else None
        province = _place(entry)["province"]
        for sentence in site.corpus.sentences.get(entry.report.id, []):
            if sentence.themes:
                yield {
                    "report_id": entry.report.id, "part": sentence.part, "anchor": sentence.anchor,
                    "paragraph": sentence.paragraph, "text": sentence.text, "themes": json.dumps(list(sentence.themes)),
                    "year": entry.report.year, "province": province, "agency_id": agency_id,
                }


def _similar_rows(site: Site, entries: list[ReportEntry]) -> Iterable[dict[str, Any]]:
    return (
        {
            "report_id": entry.report.id, "anchor": m.anchor, "paragraph": m.number, "other_report_id": m.other_report,
            "other_part": m.other_part, "other_anchor": m.other_anchor, "other_paragraph": m.other_number,
            "similarity": m.similarity, "copied": int(m.copied),
        }
        for entry in entries
        for m in site.corpus.similar.get(entry.report.id, [])
    )


def insert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Rows (dicts with the table's columns, values SQLite takes as they are) into a table sqlite-utils
    created, with one ``executemany``: sqlite-utils' ``insert_all`` checks and converts every value, which
    at 10,000 reports took a third of the export."""
    columns = db[table].columns_dict
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f"insert into [{table}] ({names}) values ({', '.join('?' * len(columns))})"
    with db.conn:
        db.conn.executemany(sql, (tuple(row.get(c) for c in columns) for row in rows))


def _schema_tables(db: sqlite_utils.Database) -> None:
    rows = []
    columns = []
    for table in schema.TABLE_KEYS:
        spec = schema.table_schema(table)
        for row, item in spec["rows"].items():
            rows.append({"table_key": table, "row": row, "label": item["label"], "group_label": item.get("group", "")})
        for column in schema.column_keys(table):
            item = spec["columns"][column]
            columns.append({"table_key": table, "column": column, "label": item["label"], "group_label": item.get("group", "")})
    db["schema_rows"].insert_all(rows, pk=("table_key", "row"))
    db["schema_columns"].insert_all(columns, pk=("table_key", "column"))
