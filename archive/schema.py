"""The data contract: the three tables' rows, columns, labels and rules (a copy of the shared schema)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

TABLE_KEYS = ("active", "requests", "review_litigation")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(resources.files("archive.data").joinpath("schema.json").read_text("utf-8"))


def table_schema(table: str) -> dict[str, Any]:
    return load_schema()["tables"][table]


def row_keys(table: str) -> list[str]:
    return list(table_schema(table)["rows"])


def column_keys(table: str, row: str | None = None) -> list[str]:
    """The columns of a table; for ``active`` the columns of one row."""
    spec = table_schema(table)
    if row is not None and "columns" in spec["rows"][row]:
        return list(spec["rows"][row]["columns"])
    return list(spec["columns"])


def row_label(table: str, row: str) -> str:
    return table_schema(table)["rows"][row]["label"]


def column_label(table: str, column: str) -> str:
    return table_schema(table)["columns"][column]["label"]


def cell_keys(table: str) -> list[tuple[str, str]]:
    """Every (row, column) pair of a table, in the schema's order."""
    return [(r, c) for r in row_keys(table) for c in column_keys(table, r)]
