"""The tables as data: one row per report × table row, for CSV and JSON downloads."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from archive import schema
from archive.model import Report
from site_builder.figures import cell_csv
from site_builder.site import ReportEntry

META_COLUMNS = ("report_id", "agency", "province", "city", "county", "year", "table", "row", "row_label")


def value_columns() -> list[str]:
    """Every column key of the three tables, each once, in the schema's order."""
    out: list[str] = []
    for table in schema.TABLE_KEYS:
        for column in schema.column_keys(table):
            if column not in out:
                out.append(column)
    return out


def csv_header() -> list[str]:
    return [*META_COLUMNS, *value_columns(), "missing_cells", "text_cells", "inferred_cells"]


def table_rows(entry: ReportEntry, report: Report) -> list[dict[str, Any]]:
    """The report's table rows as flat records (CSV values; see the data dictionary); ``report`` is the full one."""
    agency = entry.agency.name if entry.agency else report.agency
    region = entry.agency.region if entry.agency and entry.agency.region.path else report.region
    out = []
    for table in schema.TABLE_KEYS:
        t = report.tables.get(table)
        for row in schema.row_keys(table):
            record: dict[str, Any] = {
                "report_id": report.id,
                "agency": agency or "",
                "province": region.province or "",
                "city": region.city or "",
                "county": region.county or "",
                "year": report.year or "",
                "table": table,
                "row": row,
                "row_label": schema.row_label(table, row),
            }
            missing, text, inferred = [], [], []
            for column in schema.column_keys(table, row):
                cell = t.cell(row, column) if t is not None else None
                if cell is None or cell.state == "missing":
                    missing.append(column)
                elif cell.state == "text":
                    text.append(column)
                if cell is not None and cell.inferred:
                    inferred.append(column)
                record[column] = cell_csv(cell) if cell is not None else ""
            record["missing_cells"] = " ".join(missing)
            record["text_cells"] = " ".join(text)
            record["inferred_cells"] = " ".join(inferred)
            out.append(record)
    return out


def json_rows(entry: ReportEntry, report: Report) -> list[dict[str, Any]]:
    """The same rows for JSON: each cell as {value, raw, state}."""
    out = []
    for record in table_rows(entry, report):
        table, row = record["table"], record["row"]
        t = report.tables.get(table)
        cells = {}
        for column in schema.column_keys(table, row):
            cell = t.cell(row, column) if t is not None else None
            cells[column] = cell.to_dict() if cell is not None else {"value": None, "raw": None, "state": "missing"}
        meta = {k: record[k] for k in META_COLUMNS}
        meta["year"] = report.year
        out.append({**meta, "cells": cells})
    return out


def to_csv(records: list[dict[str, Any]], header: list[str], bom: bool = True) -> bytes:
    """CSV in UTF-8, with a byte-order mark so that Excel reads the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def csv_records(records: list[dict[str, Any]], header: list[str]) -> bytes:
    """The records' CSV lines, without the header: what ``to_csv`` writes after it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def to_json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def report_json(report: Report) -> bytes:
    return to_json(report.to_dict())
