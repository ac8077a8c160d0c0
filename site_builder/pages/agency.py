"""Agency pages: reports by year, key figures over the years, changes, carry-over and repeated text."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from archive import schema
from archive.agencies import KIND_LABELS, Agency
from archive.model import Report
from site_builder import charts, similarity
from site_builder.figures import CHARTED, KEY_FIGURES, cell_display, figure, format_number
from site_builder.site import Page, Site, agency_path


def pages(site: Site) -> list[Page]:
    return [
        Page(
            agency_path(agency),
            "agency",
            "agency.html",
            partial(_context, site, agency),
            title=agency.name,
            key=partial(_inputs, site, agency),
        )
        for agency in site.agencies
    ]


def _inputs(site: Site, agency: Agency) -> str:
    """What the agency's page is made from: the agency, and its reports (whole, by their digests) as listed."""
    entries = [site.entry_for(r) for r in agency.reports]
    return json.dumps(
        [
            [agency.name, agency.names_seen, agency.kind, agency.region.to_dict()],
            [[e.path, e.title, e.year_label, e.report.publication_date, site.store.digest(e.report)] for e in entries],
        ],
        ensure_ascii=False,
    )


def _context(site: Site, agency: Agency) -> dict[str, Any]:
    entries = [site.entry_for(r) for r in agency.reports]
    reports = [site.full(r) for r in agency.reports]
    years = [e.year_label for e in entries]
    return {
        "agency": agency,
        "kind_label": KIND_LABELS.get(agency.kind, agency.kind),
        "entries": entries,
        "years": years,
        "figure_rows": _figure_rows(reports),
        "charts": _charts(agency, reports, years),
        "changes": _changes(reports),
        "carry_over": _carry_over(reports),
        "repeats": _repeats(reports),
        "near_copy": int(similarity.NEAR_COPY * 100),
        "breadcrumbs": [("index.html", "首页"), ("", agency.name)],
    }


def _figure_rows(reports: list[Report]) -> list[dict[str, Any]]:
    rows = []
    for f in KEY_FIGURES:
        cells = []
        for r in reports:
            cell = f.cell(r)
            text, css = cell_display(cell)
            cells.append({"text": text, "css": css})
        rows.append({"label": f.label, "cells": cells, "key": f"{f.table}.{f.row}.{f.column}"})
    return rows


def _charts(agency: Agency, reports: list[Report], years: list[str]) -> list[dict[str, str]]:
    out = []
    for key in CHARTED:
        f = figure(key)
        points = [(label, f.value(r)) for label, r in zip(years, reports, strict=True)]
        out.append({"label": f.label, "svg": charts.bar_chart(f"chart-{key}", f"{agency.name}：{f.label}", points)})
    return out


def _pairs(reports: list[Report]) -> list[tuple[Report, Report]]:
    """Consecutive years (N-1, N) with a report each."""
    by_year = {r.year: r for r in reports if r.year}
    return [(by_year[y - 1], by_year[y]) for y in sorted(by_year) if y - 1 in by_year]


def _changes(reports: list[Report]) -> dict[str, Any]:
    """One row per key figure, one column per pair of consecutive years: the change from N-1 to N."""
    pairs = _pairs(reports)
    rows = []
    for f in KEY_FIGURES:
        cells = []
        for previous, current in pairs:
            before, after = f.value(previous), f.value(current)
            if before is None or after is None:
                cells.append({"text": "无法比较", "css": "cell-missing"})
                continue
            delta = after - before
            text = "持平" if delta == 0 else f"{'+' if delta > 0 else '−'}{format_number(abs(delta))}"
            cells.append({"text": text, "css": "num"})
        rows.append({"label": f.label, "cells": cells})
    return {"headers": [f"{c.year} 较 {p.year}" for p, c in pairs], "rows": rows if pairs else []}


def _carry_over(reports: list[Report]) -> list[dict[str, Any]]:
    """Row 4 (carried forward) of year N-1 against row 2 (carried over) of year N, per column."""
    out = []
    for previous, current in _pairs(reports):
        rows, verdicts = [], []
        for column in schema.column_keys("requests"):
            before = previous.tables.get("requests")
            after = current.tables.get("requests")
            a = before.cell("4", column) if before else None
            b = after.cell("2", column) if after else None
            if a is None or b is None or a.state != "number" or b.state != "number":
                verdict = "无法核对"
            else:
                verdict = "一致" if a.value == b.value else "不一致"
            verdicts.append(verdict)
            rows.append(
                {
                    "label": schema.column_label("requests", column),
                    "carried_forward": _shown(a),
                    "carried_over": _shown(b),
                    "verdict": verdict,
                }
            )
        summary = (
            "不一致" if "不一致" in verdicts else ("一致" if all(v == "一致" for v in verdicts) else "部分无法核对")
        )
        out.append({"from": previous.year, "to": current.year, "rows": rows, "summary": summary})
    return out


def _shown(cell: Any) -> str:
    if cell is None or cell.state == "missing":
        return "缺失"
    if cell.state == "text":
        return (cell.raw or "").strip() or "（空白）"
    return format_number(cell.value)


def _repeats(reports: list[Report]) -> list[dict[str, Any]]:
    out = []
    for previous, current in _pairs(reports):
        before = similarity.part_texts(previous)
        rows = []
        for number, (heading, text) in similarity.part_texts(current).items():
            if number not in before:
                rows.append({"heading": heading, "share": None, "near_copy": False, "note": "上一年无此部分"})
                continue
            share = similarity.repeated_share(text, before[number][1])
            rows.append(
                {
                    "heading": heading,
                    "share": None if share is None else round(share * 100),
                    "near_copy": share is not None and share >= similarity.NEAR_COPY,
                    "note": "正文很短或只有表格，不作判断" if share is None else "",
                }
            )
        out.append({"from": previous.year, "to": current.year, "rows": rows})
    return out
