"""The data page: the whole archive's tables as CSV (with BOM) and JSON, and a data dictionary from the schema."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from archive import schema
from site_builder import database, datasette, table_downloads
from site_builder.pages.report import inputs_digest
from site_builder.site import Page, ReportEntry, Site

META_DESCRIPTIONS = {
    "report_id": "报告编号（由来源文件路径生成，重建时不变）",
    "agency": "发布机关（跨年度统一后的名称）",
    "province": "省级行政区",
    "city": "地级行政区",
    "county": "县级行政区",
    "year": "报告年度",
    "table": "表格键：active（主动公开）、requests（依申请公开）、review_litigation（复议诉讼）",
    "row": "行键（见下方各表的行）",
    "row_label": "行的官方名称",
}


def _archive_csv(site: Site) -> Iterator[bytes]:
    yield table_downloads.to_csv([], table_downloads.csv_header())
    yield from _report_fragments(site, "csv")


def _archive_json(site: Site) -> Iterator[bytes]:
    head = {"schema_format": schema.load_schema().get("format"), "columns": table_downloads.csv_header()}
    opening = table_downloads.to_json({**head, "rows": []})
    yield opening[: -len(b"]}\n")]
    for number, fragment in enumerate(_report_fragments(site, "json")):
        yield fragment if number == 0 else b"," + fragment
    yield b"]}\n"


def _report_fragments(site: Site, kind: str) -> Iterator[bytes]:
    """Each report's rows in the archive-wide CSV or JSON, in the site's order: from the build cache when
    the report's page has the inputs they were made from, else made from the whole report."""
    used: set[str] = set()
    for entry in site.entries:
        digest = inputs_digest(site, entry)
        used.add(digest)
        yield _cached_fragment(site, entry, kind, digest)
    site.cache.keep_fragments(kind, used)


def _cached_fragment(site: Site, entry: ReportEntry, kind: str, digest: str) -> bytes:
    fragment = site.cache.fragment(kind, digest)
    if fragment is None:
        fragment = _fragment(site, entry, kind)
        site.cache.put_fragment(kind, digest, fragment)
    return fragment


def _fragment(site: Site, entry: ReportEntry, kind: str) -> bytes:
    report = site.full(entry.report)
    if kind == "csv":
        return table_downloads.csv_records(table_downloads.table_rows(entry, report), table_downloads.csv_header())
    rows = table_downloads.json_rows(entry, report)
    return b",".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") for row in rows)


def _download(path: str, content: Any, key: Callable[[], str | None] | None = None) -> Page:
    return Page(path, "download", content=content, in_sitemap=False, key=key)


def _report_inputs_key(site: Site) -> str:
    """The database is made from every report page's inputs, in the site's order."""
    return json.dumps([[e.report.id, inputs_digest(site, e)] for e in site.entries])


def _fragments_key(site: Site, kind: str) -> str:
    """The archive-wide CSV or JSON is its reports' fragments, in the site's order: as the digests of
    their bytes (a report whose text changed and not its tables leaves the file as it was). A fragment's
    digest is kept by the digest of its page's inputs (``FRAGMENT_SUMS``); a fragment not made yet is
    made now (the file, if made, reads it from the cache)."""
    name = f"{FRAGMENT_SUMS}-{kind}"
    known = site.cache.load(name)
    sums: dict[str, str] = {}
    for entry in site.entries:
        digest = inputs_digest(site, entry)
        found = known.get(digest)
        if found is None:
            found = hashlib.sha256(_cached_fragment(site, entry, kind, digest)).hexdigest()
        sums[digest] = found
    if sums != known:
        site.cache.save(name, sums)
    return json.dumps([kind, [sums[inputs_digest(site, e)] for e in site.entries]])


FRAGMENT_SUMS = "fragment-sums"


def pages(site: Site) -> list[Page]:
    rows_per_report = sum(len(schema.row_keys(t)) for t in schema.TABLE_KEYS)
    published_database = site.out / "data/archive.db" if site.out else None
    return [
        _download("data/archive.csv", partial(_archive_csv, site), partial(_fragments_key, site, "csv")),
        _download(
            "data/archive.db",
            partial(database.database_file, site, site.store.words, published_database),
            partial(_database_key, site),
        ),
        _download("data/metadata.json", datasette.metadata_bytes()),
        _download("data/archive.json", partial(_archive_json, site), partial(_fragments_key, site, "json")),
        Page(
            "data/index.html",
            "data",
            "data.html",
            {
                "row_count": rows_per_report * len(site.entries),
                "report_count": len(site.entries),
                "meta_columns": [(k, META_DESCRIPTIONS[k]) for k in table_downloads.META_COLUMNS],
                "value_columns": _value_columns(),
                "tables": _tables(),
                "db_tables": [(name, spec["description"]) for name, spec in datasette.TABLES.items()],
                "breadcrumbs": [("index.html", "首页"), ("", "数据下载")],
            },
            title="数据下载与数据字典",
        ),
    ]


def _database_key(site: Site) -> str:
    """The database is made from every report page's inputs and what all its rows depend on."""
    return json.dumps([database.base(site), _report_inputs_key(site)], ensure_ascii=False)


def _value_columns() -> list[dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for table in schema.TABLE_KEYS:
        for column, spec in schema.table_schema(table)["columns"].items():
            item = out.setdefault(column, {"key": column, "labels": "", "tables": ""})
            label = f"{spec.get('group', '') + ' · ' if spec.get('group') else ''}{spec['label']}"
            item["labels"] = "；".join(x for x in (item["labels"], label) if x)
            item["tables"] = " ".join(x for x in (item["tables"], table) if x)
    return list(out.values())


def _tables() -> list[dict[str, Any]]:
    out = []
    for table in schema.TABLE_KEYS:
        spec = schema.table_schema(table)
        rows = [
            {
                "key": r,
                "label": (f"{s['group']} · " if s.get("group") else "") + s["label"],
                "columns": " ".join(schema.column_keys(table, r)),
            }
            for r, s in spec["rows"].items()
        ]
        out.append({"key": table, "label": spec["label"], "rows": rows})
    return out
