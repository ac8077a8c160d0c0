"""A report as index documents: one per section at every level, one per table row."""

from __future__ import annotations

import json
from typing import Any

from archive import schema
from archive.model import Report, Section, Table

KINDS = ("section", "table_row")  # the two kinds of search document
PATH_SEPARATOR = " › "
PART_NUMERALS = "一二三四五六七八九十"
TABLE_PART = {"active": "二", "requests": "三", "review_litigation": "四"}


def display_heading(section: Section) -> str:
    """The heading as printed: "五、存在的主要问题", "（二）2023年存在问题", "1.加强领导"."""
    number = section.number.strip()
    if number and all(ch in PART_NUMERALS for ch in number):
        return f"{number}、{section.title}"
    return f"{number}{section.title}"


def part_of(section: Section) -> str:
    """The part of the 2021 format (一…六) a level-1 section stands for; "" when none."""
    return section.part or ""


def _common(report: Report) -> dict[str, Any]:
    return {
        "report_id": report.id,
        "agency": report.agency or "",
        "province": report.region.province or "",
        "city": report.region.city or "",
        "county": report.region.county or "",
        "year": report.year,
        "source": report.source,
    }


def section_documents(report: Report) -> list[dict[str, Any]]:
    docs = []
    common = _common(report)
    for index, (ancestors, section) in enumerate(report.all_sections()):
        top = ancestors[0] if ancestors else section
        path = PATH_SEPARATOR.join(display_heading(s) for s in [*ancestors, section])
        anchor = section.anchor or f"s{index}"
        docs.append(
            {
                **common,
                "id": f"{report.id}:{anchor}",
                "kind": "section",
                "part": part_of(top),
                "number": section.number,
                "level": section.level,
                "anchor": anchor,
                "title": path,
                "text": section.text,
            }
        )
    return docs


def _row_label_path(table: str, row: str) -> tuple[str, str]:
    spec = schema.table_schema(table)
    row_spec = spec["rows"][row]
    label = row_spec["label"]
    parts = [spec["label"], row_spec.get("group", ""), label]
    return label, PATH_SEPARATOR.join(p for p in parts if p)


def _cell_text(cell_value: Any, raw: str | None, state: str) -> str:
    if state == "number":
        return str(cell_value)
    if state == "text":
        return raw or "—"
    return "缺失"


def table_row_documents(report: Report) -> list[dict[str, Any]]:
    docs = []
    common = _common(report)
    part_anchors = {part_of(s): s.anchor for s in report.sections if s.level == 1 and part_of(s)}
    for key in schema.TABLE_KEYS:
        table: Table | None = report.tables.get(key)
        if table is None or table.status == "missing":
            continue
        part = TABLE_PART[key]
        for row in schema.row_keys(key):
            columns = schema.column_keys(key, row)
            cells = {c: table.cell(row, c) for c in columns}
            values = {c: cell.to_dict()["value"] for c, cell in cells.items()}
            label, path = _row_label_path(key, row)
            text = "；".join(
                f"{schema.column_label(key, c)}：{_cell_text(cell.value, cell.raw, cell.state)}" for c, cell in cells.items()
            )
            docs.append(
                {
                    **common,
                    "id": f"{report.id}:{key}:{row}",
                    "kind": "table_row",
                    "part": part,
                    "number": part,
                    "level": 0,
                    "anchor": part_anchors.get(part, ""),
                    "table": key,
                    "row": row,
                    "label": label,
                    "values": json.dumps(values, ensure_ascii=False),
                    "title": path,
                    "text": text,
                }
            )
    return docs


def report_documents(report: Report) -> list[dict[str, Any]]:
    """Every index document of a report (fields of ``archive.index.schema.index_schema``)."""
    return section_documents(report) + table_row_documents(report)
