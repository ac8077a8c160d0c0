"""The whole archive as one SQLite database (``data/archive.db``), made with ``sqlite-utils``.

Tables (every one has a primary key; foreign keys point to ``reports`` and ``agencies``):

* ``agencies``, ``reports``: one row per agency (as the site groups them) and per report;
* ``sections``: every part and sub-section with its text, and the text cut into words by jieba
  (``words``) for the full-text table ``sections_fts`` (search it with words separated by spaces:
  ``政策 解读``);
* ``cells``: the three tables in long form, one row per report × table × row × column with the
  value, the text as printed, the state (number, text, missing) and the row's and column's labels;
* ``findings``: the checks' findings;
* ``themes`` and ``theme_sentences``: the themes list and every sentence with each of its themes;
* ``similar_passages``: each paragraph's similar paragraphs in other agencies' reports;
* ``schema_rows``, ``schema_columns``: the labels of the tables' rows and columns.

Year, region and agency are repeated in ``cells``, ``findings`` and ``theme_sentences`` so that
Datasette can facet on them (``datasette_metadata`` names the facets and describes every column).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import schema
from archive.model import Report
from archive.parse.passages import paragraphs
from site_builder.site import ReportEntry, Site, section_heading

CHUNK = 1 << 20
BATCH = 2000


def database_chunks(site: Site, words_of: Any) -> Iterator[bytes]:
    """The database file's bytes, made in a temporary file that is removed afterwards.

    ``words_of(report)``: (anchor, paragraph number) → the paragraph's words, space-separated.
    """
    fd, name = tempfile.mkstemp(prefix="archive-", suffix=".db")
    os.close(fd)
    path = Path(name)
    try:
        path.unlink()
        write_database(site, path, words_of)
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    finally:
        path.unlink(missing_ok=True)


def write_database(site: Site, path: Path, words_of: Any) -> None:
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    _create_tables(db)
    agency_ids = _agencies(db, site)
    with db.conn:
        _insert_reports(db, site, agency_ids, words_of)
    _themes(db, site, agency_ids)
    _similar(db, site)
    _schema_tables(db)
    db["sections"].enable_fts(["heading", "words"], tokenize="unicode61", create_triggers=False)
    for table, columns in INDEXES:
        db[table].create_index(columns)
    db.conn.execute("ANALYZE")
    db.conn.commit()
    db.vacuum()
    db.close()


INDEXES: list[tuple[str, list[str]]] = [
    ("reports", ["agency_id"]),
    ("reports", ["year"]),
    ("reports", ["province"]),
    ("sections", ["report_id"]),
    ("cells", ["report_id"]),
    ("cells", ["table_key", "row", "column"]),
    ("cells", ["year"]),
    ("cells", ["province"]),
    ("cells", ["agency_id"]),
    ("findings", ["report_id"]),
    ("findings", ["code"]),
    ("theme_sentences", ["theme"]),
    ("theme_sentences", ["report_id"]),
    ("theme_sentences", ["year"]),
    ("similar_passages", ["report_id"]),
    ("similar_passages", ["other_report_id"]),
]


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
            "heading": str, "text": str, "words": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["cells"].create(
        {
            "report_id": str, "table_key": str, "row": str, "column": str, "value": float, "raw": str, "state": str,
            "row_label": str, "column_label": str, "year": int, "province": str, "agency_id": int,
        },
        pk=("report_id", "table_key", "row", "column"),
        foreign_keys=[("report_id", "reports", "id"), ("agency_id", "agencies", "id")],
    )
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
            "id": int, "report_id": str, "theme": str, "part": str, "anchor": str, "paragraph": int, "text": str,
            "year": int, "province": str, "agency_id": int,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("theme", "themes", "slug"), ("agency_id", "agencies", "id")],
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


def _insert_reports(db: sqlite_utils.Database, site: Site, agency_ids: dict[str, int], words_of: Any) -> None:
    reports, sections, cells, findings = [], [], [], []
    for entry in site.entries:
        report = site.full(entry.report)
        agency_id = agency_ids.get(entry.agency.key) if entry.agency else None
        place = _place(entry)
        reports.append(_report_row(entry, report, agency_id, place, site.store.tables_complete(entry.report)))
        sections.extend(_section_rows(report, words_of(report)))
        facets = {"year": report.year, "province": place["province"], "agency_id": agency_id}
        cells.extend(_cell_rows(report, facets))
        findings.extend(
            {"report_id": report.id, "code": f.code, "severity": f.severity, "message": f.message, "table_key": f.table,
             "row": f.row, "column": f.column, "section": f.section, **facets}
            for f in report.findings
        )
        if len(cells) >= 50 * BATCH:
            _flush(db, reports, sections, cells, findings)
    _flush(db, reports, sections, cells, findings)


def _flush(db: sqlite_utils.Database, *batches: list[dict[str, Any]]) -> None:
    for name, rows in zip(("reports", "sections", "cells", "findings"), batches, strict=True):
        if rows:
            db[name].insert_all(rows, batch_size=BATCH)
            rows.clear()


def _report_row(entry: ReportEntry, report: Report, agency_id: int | None, place: dict[str, Any], complete: bool) -> dict[str, Any]:
    return {
        "id": report.id, "agency_id": agency_id, "agency_as_printed": report.agency, "title": entry.title,
        "year": report.year, **place, "publication_date": report.publication_date, "format": report.format,
        "source": report.source, "source_format": report.source_format, "sha256": report.sha256,
        "page": entry.path, "findings": len(report.findings), "tables_complete": int(complete),
    }


def _section_rows(report: Report, words: dict[tuple[str, int], str]) -> Iterator[dict[str, Any]]:
    for part in report.sections:
        number = part.number.strip().rstrip("、.．").strip("（()）")
        for path, section in part.walk():
            heading = " › ".join(section_heading(s) for s in (*path, section))
            text_words = "\n".join(words.get((section.anchor, p.paragraph), "") for p in paragraphs(section.text))
            yield {
                "report_id": report.id, "anchor": section.anchor, "part": number, "level": section.level,
                "number": section.number, "title": section.title, "heading": heading, "text": section.text,
                "words": text_words,
            }


def _cell_rows(report: Report, facets: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for table in schema.TABLE_KEYS:
        found = report.tables.get(table)
        for row, column in schema.cell_keys(table):
            cell = found.cell(row, column) if found is not None else None
            value: Any = cell.value if cell is not None else None
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            yield {
                "report_id": report.id, "table_key": table, "row": row, "column": column, "value": value,
                "raw": cell.raw if cell is not None else None, "state": cell.state if cell is not None else "missing",
                "row_label": _row_label(table, row), "column_label": schema.column_label(table, column), **facets,
            }


def _row_label(table: str, row: str) -> str:
    spec = schema.table_schema(table)["rows"][row]
    group = spec.get("group", "")
    return f"{group} {spec['label']}" if group else spec["label"]


def _themes(db: sqlite_utils.Database, site: Site, agency_ids: dict[str, int]) -> None:
    db["themes"].insert_all(
        (
            {"slug": t.slug, "name": t.name, "description": t.description, "keywords": "、".join(t.keywords),
             "patterns": "\n".join(t.patterns)}
            for t in site.corpus.themes.themes
        ),
        batch_size=BATCH,
    )
    db["theme_sentences"].insert_all(_theme_rows(site, agency_ids), batch_size=BATCH)


def _theme_rows(site: Site, agency_ids: dict[str, int]) -> Iterable[dict[str, Any]]:
    for entry in site.entries:
        agency_id = agency_ids.get(entry.agency.key) if entry.agency else None
        province = _place(entry)["province"]
        for sentence in site.corpus.sentences.get(entry.report.id, []):
            for slug in sentence.themes:
                yield {
                    "report_id": entry.report.id, "theme": slug, "part": sentence.part, "anchor": sentence.anchor,
                    "paragraph": sentence.paragraph, "text": sentence.text, "year": entry.report.year,
                    "province": province, "agency_id": agency_id,
                }


def _similar(db: sqlite_utils.Database, site: Site) -> None:
    rows = (
        {
            "report_id": entry.report.id, "anchor": m.anchor, "paragraph": m.number, "other_report_id": m.other_report,
            "other_part": m.other_part, "other_anchor": m.other_anchor, "other_paragraph": m.other_number,
            "similarity": m.similarity, "copied": int(m.copied),
        }
        for entry in site.entries
        for m in site.corpus.similar.get(entry.report.id, [])
    )
    db["similar_passages"].insert_all(rows, batch_size=BATCH)


def _schema_tables(db: sqlite_utils.Database) -> None:
    rows = []
    columns = []
    for table in schema.TABLE_KEYS:
        spec = schema.table_schema(table)
        for row, item in spec["rows"].items():
            rows.append({"table_key": table, "row": row, "label": item["label"], "group_label": item.get("group", "")})
        for column, item in spec["columns"].items():
            columns.append({"table_key": table, "column": column, "label": item["label"], "group_label": item.get("group", "")})
    db["schema_rows"].insert_all(rows, pk=("table_key", "row"))
    db["schema_columns"].insert_all(columns, pk=("table_key", "column"))
