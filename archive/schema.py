"""The data contract: the three tables' rows, columns, labels and rules (a copy of the shared schema)."""

from __future__ import annotations

import json
import re
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


def row_name(table: str, row: str) -> str:
    """A row's label as a reader finds it in the printed table: sub-items with their group."""
    spec = table_schema(table)["rows"][row]
    group = spec.get("group", "")
    return f"{group} {spec['label']}" if group.startswith("（") else spec["label"]


def column_label(table: str, column: str) -> str:
    return table_schema(table)["columns"][column]["label"]


def cell_keys(table: str) -> list[tuple[str, str]]:
    """Every (row, column) pair of a table, in the schema's order."""
    return [(r, c) for r in row_keys(table) for c in column_keys(table, r)]


def format_name(code: str) -> str:
    """How a report format is called on the site and in the command line: "2021 年版", "2019 年以前（无统一格式）"."""
    return load_schema()["formats"].get(code, {}).get("name", code)


def part_numbers() -> list[str]:
    """The six parts of the 2021 format: 一 … 六."""
    return [part["number"] for part in load_schema()["parts"]]


def part_title(number: str) -> str:
    """The official title of a part: 五 → 存在的主要问题及改进情况."""
    return next(part["title"] for part in load_schema()["parts"] if part["number"] == number)


def part_words() -> dict[str, list[str]]:
    """Words that identify a part in a heading worded differently from the official title."""
    return {part["number"]: part["words"] for part in load_schema()["parts"]}


@lru_cache(maxsize=1)
def part_titles() -> tuple[str, ...]:
    """Every part title reports print, official, variant and older, longest first."""
    schema = load_schema()
    titles = {part["title"] for part in schema["parts"]}
    titles.update(schema["part_title_variants"])
    titles.update(schema["older_parts"]["titles"])
    return tuple(sorted(titles, key=len, reverse=True))


def older_part(title: str) -> str:
    """The part of the 2021 format that a title of a report before 2019 stands for, "" where none does."""
    for pattern, part in load_schema()["older_parts"]["meaning"]:
        if re.search(pattern, title):
            return part
    return ""
