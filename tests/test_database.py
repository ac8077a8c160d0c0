"""data/archive.db: the sample archive as SQLite (sqlite-utils), and Datasette opening it with metadata.json."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from archive import schema
from archive.index.ingest import ingest
from site_builder.build import build
from site_builder.sources import parse_content

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built from an ingested index (the way `make site` builds it)."""
    base = tmp_path_factory.mktemp("db")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    ingest(content, base / "index")
    out = base / "site"
    build(content, out, base / "index")
    return out


@pytest.fixture(scope="module")
def db(site: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(site / "data" / "archive.db")


def test_every_table_with_keys_foreign_keys_and_indexes(db: sqlite_utils.Database) -> None:
    expected = {
        "agencies", "reports", "sections", "cells", "findings", "themes", "theme_sentences", "similar_passages",
        "schema_rows", "schema_columns",
    }
    assert expected <= set(db.table_names())
    assert db["cells"].pks == ["report_id", "table_key", "row", "column"]
    assert {(fk.column, fk.other_table) for fk in db["cells"].foreign_keys} == {
        ("report_id", "reports"), ("agency_id", "agencies")
    }
    assert ("agency_id", "agencies") in {(fk.column, fk.other_table) for fk in db["reports"].foreign_keys}
    assert ("report_id", "reports") in {(fk.column, fk.other_table) for fk in db["theme_sentences"].foreign_keys}
    assert "cells_labelled" in db.view_names()
    assert any(index.columns == ["table_key", "row", "column"] for index in db["cells"].indexes)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_cells_in_long_form_are_the_reports_cells(db: sqlite_utils.Database, tmp_path: Path) -> None:
    reports, _ = parse_content(ROOT / "content")
    assert db["reports"].count == len(reports)
    per_report = sum(len(schema.cell_keys(t)) for t in schema.TABLE_KEYS)
    assert db["cells"].count == per_report * len(reports)
    for report in reports:
        rows = {(r["table_key"], r["row"], r["column"]): r for r in db["cells"].rows_where("report_id = ?", [report.id])}
        for table in schema.TABLE_KEYS:
            for row, column in schema.cell_keys(table):
                cell = report.tables[table].cell(row, column) if table in report.tables else None
                stored = rows[(table, row, column)]
                state = cell.state if cell is not None else "missing"
                assert stored["state"] == state, (report.source, table, row, column)
                if state == "number":
                    assert stored["value"] == float(cell.value)  # type: ignore[union-attr, arg-type]
                else:
                    assert stored["value"] is None  # a gap is never 0
    labelled = db.execute(
        "select row_label, column_label from cells_labelled where table_key = 'requests' and row = '1' and column = 'total'"
    ).fetchall()
    assert set(labelled) == {(schema.row_label("requests", "1"), schema.column_label("requests", "total"))}
    assert db.execute("select count(*) from cells_labelled").fetchone()[0] == db["cells"].count


def test_sections_findings_themes_and_full_text(db: sqlite_utils.Database) -> None:
    texts = [r["text"] for r in db["sections"].rows_where("part = '五' and text != ''")]
    assert texts
    found = db.execute(
        "select sections.heading from sections_fts join sections on sections.id = sections_fts.rowid "
        "where sections_fts match ?",
        ["政策 解读"],
    ).fetchall()
    assert found
    assert db["findings"].count > 0
    assert db["themes"].count >= 8
    found = db.execute(
        "select count(*) from theme_sentences, json_each(theme_sentences.themes) where json_each.value = ?",
        ["policy-interpretation"],
    ).fetchone()[0]
    assert found > 0
    (year,) = db.execute("select year from reports where source like '%pingtan-2025%'").fetchone()
    assert year == 2025


def test_datasette_opens_it_with_facets_and_search(site: Path) -> None:
    from datasette.app import Datasette

    folder = site / "data"
    metadata = json.loads((folder / "metadata.json").read_text("utf-8"))
    ds = Datasette([str(folder / "archive.db")], metadata=metadata)

    async def get(path: str) -> dict[str, Any]:
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.json()

    async def run() -> None:
        cells = await get("/archive/cells.json?_size=1")
        assert {"table_key", "year", "province", "agency_id"} <= set(cells["facet_results"])
        years = {item["value"] for item in cells["facet_results"]["year"]["results"]}
        assert {2023, 2024, 2025} <= years
        reports = await get("/archive/reports.json?_size=1")
        assert {"year", "province", "agency_id"} <= set(reports["facet_results"])
        agencies = reports["facet_results"]["agency_id"]["results"]
        assert any(item["label"] == "平潭综合实验区管委会" for item in agencies)  # the agency's name, by its label column
        search = await get("/archive/sections.json?_search=%E6%94%BF%E7%AD%96+%E8%A7%A3%E8%AF%BB")
        assert search["rows"]
        themes = await get("/archive/theme_sentences.json?_size=1")
        assert any(item["value"] == "policy-interpretation" for item in themes["facet_results"]["themes"]["results"])
        described = await get("/-/metadata.json")
        assert described["databases"]["archive"]["tables"]["cells"]["columns"]["state"].startswith("number")

    asyncio.run(run())


def test_the_database_is_the_same_when_nothing_changed(site: Path, tmp_path: Path) -> None:
    before = (site / "data" / "archive.db").read_bytes()
    index = site.parent / "index"
    build(site.parent / "content", site, index)
    assert (site / "data" / "archive.db").read_bytes() == before
    assert sqlite3.connect(site / "data" / "archive.db").execute("pragma integrity_check").fetchone() == ("ok",)
