"""Report pages: the parts with anchors, the three tables in the official layout, findings, downloads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial

from archive import schema
from archive.corpus.similar import Match
from archive.model import Finding, Report, Section
from archive.parse.passages import paragraph_id, paragraphs
from site_builder import table_downloads, tables
from site_builder.context_key import inputs_key
from site_builder.site import Page, ReportEntry, Site, agency_path, section_anchors, section_heading

TABLE_IN_PART = {"二": "active", "三": "requests", "四": "review_litigation"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class ParagraphView:
    id: str
    text: str
    similar: list[dict[str, object]]
    """Paragraphs of other agencies' reports like this one (``_similar_view``), best first."""

    @property
    def copied(self) -> dict[str, object] | None:
        """The first match that is the same text, nearly: the paragraph is flagged as copied."""
        return next((m for m in self.similar if m["copied"]), None)


@dataclass
class SectionView:
    section: Section
    anchor: str
    heading_level: int
    table: tables.TableLayout | None = None
    paragraphs: list[ParagraphView] | None = None


def pages(site: Site) -> list[Page]:
    out: list[Page] = []
    for entry in site.entries:
        key = partial(inputs_digest, site, entry)
        out.append(
            Page(entry.path, "report", "report.html", partial(_context, site, entry), title=entry.title, key=key)
        )
        json_bytes = partial(_json, site, entry)
        out.append(Page(entry.json_path, "download", content=json_bytes, in_sitemap=False, key=key))
        out.append(Page(entry.csv_path, "download", content=partial(_csv, site, entry), in_sitemap=False, key=key))
    return out


def inputs_digest(site: Site, entry: ReportEntry) -> str:
    """The digest of what the report's page and downloads are made from (kept for the build: the inputs
    themselves are as large as the report); the archive-wide downloads are put together by it too."""
    digest = site.report_digests.get(entry.report.id)
    if digest is None:
        digest = site.report_digests[entry.report.id] = hashlib.sha256(_inputs(site, entry).encode("utf-8")).hexdigest()
    return digest


def _inputs(site: Site, entry: ReportEntry) -> str:
    """What the report's page and downloads are made from: its entry (its place in the site, its agency, the
    whole report by its digest and the findings that compare it with other reports), the similar passages
    and each other report they point to (its entry: the page shows its name, year, headings and link)."""
    report_id = entry.report.id
    others = sorted({m.other_report for m in site.corpus.similar.get(report_id, [])})
    return inputs_key(site, [entry, site.corpus.match_digests.get(report_id), [site.entry_by_id(o) for o in others]])


def _json(site: Site, entry: ReportEntry) -> bytes:
    return table_downloads.report_json(site.full(entry.report))


def _csv(site: Site, entry: ReportEntry) -> bytes:
    return table_downloads.to_csv(table_downloads.table_rows(entry, site.full(entry.report)), table_downloads.csv_header())


def _context(site: Site, entry: ReportEntry) -> dict[str, object]:
    report = site.full(entry.report)
    # A report before 2019 has no standard tables: none is laid out, its figures are in its text.
    layouts = {} if report.format == "pre2019" else {t.key: t for t in tables.layouts(report)}
    sections = _section_views(report, layouts, similar_views(site, entry.report.id))
    placed = {v.table.key for v in sections if v.table is not None}
    crumbs: list[tuple[str, str | None]] = [("index.html", "首页")]
    if entry.agency is not None:
        crumbs.append((agency_path(entry.agency), entry.agency.name))
    crumbs.append(("", entry.year_label))
    return {
        "entry": entry,
        "report": report,
        "agency_link": agency_path(entry.agency) if entry.agency else None,
        "sections": sections,
        "unplaced_tables": [t for k, t in layouts.items() if k not in placed],
        "findings": [_finding_view(i, f, report) for i, f in enumerate(report.findings, 1)],
        "severity_labels": SEVERITY_LABELS,
        "breadcrumbs": crumbs,
        "ocr_pages": "、".join(str(p) for p in report.ocr.pages) if report.ocr else "",
        "format_name": schema.format_name(report.format),
    }


def _section_views(
    report: Report, layouts: dict[str, tables.TableLayout], similar: dict[str, list[dict[str, object]]]
) -> list[SectionView]:
    views: list[SectionView] = []
    anchors = section_anchors(report)
    for path, section in report.all_sections():
        anchor = anchors[id(section)]
        table = None
        if not path and section.part in TABLE_IN_PART:
            table = layouts.get(TABLE_IN_PART[section.part])
        paras = [
            ParagraphView(paragraph_id(anchor, p.paragraph), p.text, similar.get(paragraph_id(section.anchor, p.paragraph), []))
            for p in paragraphs(section.text)
        ]
        views.append(SectionView(section, anchor, min(2 + len(path), 6), table, paras))
    return views


def similar_views(site: Site, report_id: str) -> dict[str, list[dict[str, object]]]:
    """Paragraph id → the similar paragraphs of other agencies, as the page shows them."""
    out: dict[str, list[dict[str, object]]] = {}
    for (anchor, number), matches in site.corpus.matches_of(report_id).items():
        out[paragraph_id(anchor, number)] = [_similar_view(site, m) for m in matches]
    return out


def _similar_view(site: Site, match: Match) -> dict[str, object]:
    other = site.entry_by_id(match.other_report)
    heading = _headings(site, other).get(match.other_anchor, "")
    return {
        "name": other.agency.name if other.agency else (other.report.agency or other.title),
        "year": other.year_label,
        "part": match.other_part,
        "heading": heading,
        "number": match.other_number,
        "href": f"{other.path}#{paragraph_id(match.other_anchor, match.other_number)}",
        "percent": int(match.similarity * 100),
        "copied": match.copied,
        "elsewhere": match.same_text_elsewhere,
        "excerpt": site.corpus.excerpts.get((match.other_report, match.other_anchor, match.other_number), ""),
    }


def _headings(site: Site, entry: ReportEntry) -> dict[str, str]:
    """Anchor → heading of the report's sections (the first section with that anchor), kept for the build."""
    headings = site.headings.get(entry.report.id)
    if headings is None:
        headings = site.headings[entry.report.id] = {}
        for _, section in entry.report.all_sections():
            if section.anchor and section.anchor not in headings:
                headings[section.anchor] = section_heading(section)
    return headings


def section_anchor(report: Report, anchor: str | None) -> str | None:
    if not anchor:
        return None
    return anchor if any(s.anchor == anchor for _, s in report.all_sections()) else None


def _known_cell(table: str | None, row: str | None, column: str | None) -> bool:
    return (
        table in schema.TABLE_KEYS
        and row in schema.row_keys(table)
        and (column is None or column in schema.column_keys(table, row))
    )


def _finding_view(number: int, finding: Finding, report: Report) -> dict[str, object]:
    """The finding with the in-page target it points to: a cell, a row's first cell, a table or a section."""
    target = None
    where = ""
    if finding.table and finding.row and _known_cell(finding.table, finding.row, finding.column):
        column = finding.column or schema.column_keys(finding.table, finding.row)[0]
        target = tables.cell_id(finding.table, finding.row, column)
        where = ".".join(p for p in (finding.table, finding.row, finding.column) if p)
    elif finding.table in schema.TABLE_KEYS:
        target = tables.table_id(finding.table)
        where = finding.table
    elif finding.section:
        target = section_anchor(report, finding.section)
        where = finding.section if target else ""
    return {"number": number, "finding": finding, "target": target, "where": where}
