"""Write one parsed report as HTML and as DOCX, its three tables in the official layout with merged cells.

Used by the tests that check the same report gives the same tables whatever its format.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import docx

from archive.model import Cell, Report
from archive.schema import column_keys, row_keys, row_label

REQUEST_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
REQUEST_COLUMNS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other", "total"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
TABLE_PARTS = {"二": "active", "三": "requests", "四": "review_litigation"}


@dataclass
class Span:
    text: str
    rows: int = 1
    cols: int = 1


def shown(cell: Cell) -> str:
    if cell.raw is not None:
        return cell.raw
    return "" if cell.value is None else str(cell.value)


def active_layout(report: Report) -> list[list[Span]]:
    table = report.tables["active"]
    out: list[list[Span]] = [
        [Span("第二十条第（一）项", 1, 4)],
        [Span("信息内容"), Span("本年制发件数"), Span("本年废止件数"), Span("现行有效件数")],
    ]
    for row in ("regulations", "normative_documents"):
        out.append(
            [Span(row_label("active", row))] + [Span(shown(table.cell(row, c))) for c in column_keys("active", row)]
        )
    for item, header, rows in (
        ("第二十条第（五）项", "本年处理决定数量", ["licensing"]),
        ("第二十条第（六）项", "本年处理决定数量", ["penalty", "enforcement"]),
        ("第二十条第（八）项", "本年收费金额（单位：万元）", ["fees"]),
    ):
        out.append([Span(item, 1, 4)])
        out.append([Span("信息内容"), Span(header, 1, 3)])
        for row in rows:
            column = column_keys("active", row)[0]
            out.append([Span(row_label("active", row)), Span(shown(table.cell(row, column)), 1, 3)])
    return out


def requests_layout(report: Report) -> list[list[Span]]:
    table = report.tables["requests"]

    def values(row: str) -> list[Span]:
        return [Span(shown(table.cell(row, c))) for c in REQUEST_COLUMNS]

    out: list[list[Span]] = [
        [Span(REQUEST_NOTE, 3, 3), Span("申请人情况", 1, 7)],
        [Span("自然人", 2), Span("法人或其他组织", 1, 5), Span("总计", 2)],
        [Span(t) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
        [Span(row_label("requests", "1"), 1, 3), *values("1")],
        [Span(row_label("requests", "2"), 1, 3), *values("2")],
    ]
    results = [r for r in row_keys("requests") if r.startswith("3.")]
    groups = {"3.3": "（三）不予公开", "3.4": "（四）无法提供", "3.5": "（五）不予处理", "3.6": "（六）其他处理"}
    first = True
    for row in results:
        cells: list[Span] = []
        if first:
            cells.append(Span("三、本年度办理结果", len(results)))
            first = False
        group = row[:3]
        if row.count(".") == 1:
            cells.append(Span(row_label("requests", row), 1, 2))
        else:
            if row.endswith(".1"):
                members = [r for r in results if r.startswith(group + ".")]
                cells.append(Span(groups[group], len(members)))
            cells.append(Span(row_label("requests", row)))
        out.append(cells + values(row))
    out.append([Span(row_label("requests", "4"), 1, 3), *values("4")])
    return out


def review_layout(report: Report) -> list[list[Span]]:
    table = report.tables["review_litigation"]
    return [
        [Span("行政复议", 1, 5), Span("行政诉讼", 1, 10)],
        [*(Span(label, 2) for label in REVIEW_LABELS), Span("未经复议直接起诉", 1, 5), Span("复议后起诉", 1, 5)],
        [Span(label) for label in REVIEW_LABELS * 2],
        [
            Span(shown(table.cell(row, c)))
            for row in ("review", "litigation_direct", "litigation_after_review")
            for c in REVIEW_COLUMNS
        ],
    ]


LAYOUTS = {"active": active_layout, "requests": requests_layout, "review_litigation": review_layout}


def outline(report: Report) -> list[tuple[str, str]]:
    """(kind, text) in reading order: title, then each part's heading, text, sub-sections and table."""
    out: list[tuple[str, str]] = [("title", report.title or "")]
    for part in report.sections:
        out.append(("h2", f"{part.number}、{part.title}" if part.number else part.title))
        out.extend(("p", line) for line in part.text.splitlines() if line.strip() and part.number not in TABLE_PARTS)
        if part.number in TABLE_PARTS:
            out.append(("table", TABLE_PARTS[part.number]))
        for _, child in part.walk()[1:]:
            out.append(("h3", child.heading))
            out.extend(("p", line) for line in child.text.splitlines() if line.strip())
    return out


def write_html(report: Report, path: Path) -> Path:
    """A portal-like page: navigation, the report in an article container, a footer; GBK encoded."""
    page = (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        f"<title>{html.escape(report.title or '')}_政府信息公开年报_示例门户</title></head><body>"
        '<div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/hdjl">互动交流</a></div>'
        '<div class="main"><div class="article"><div class="info">发布时间：2024-01-20</div>'
        f'<div class="TRS_Editor">{report_body(report)}</div></div></div>'
        '<div class="footer">主办单位：示例人民政府办公室 网站标识码 0000000000 版权所有</div></body></html>'
    )
    path.write_bytes(page.encode("gbk"))
    return path


PRINT_CSS = (
    "@page { size: A4; margin: 20mm 18mm; }"
    "body { font-size: 12pt; line-height: 1.5; }"
    "table { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 9pt; }"
    "td { border: 0.75pt solid #000; padding: 2pt 3pt; text-align: center; }"
    "td p { margin: 0; }"
    "p { text-align: justify; }"
)


def write_pdf(report: Report, path: Path, chromium: str) -> Path:
    """The report printed to PDF by headless Chromium, the tables ruled by CSS borders.

    Only the report itself is printed (as a reader would print the article), with Chromium's
    own page header and footer switched off.
    """
    from playwright.sync_api import sync_playwright

    from site_builder.preview import CHROMIUM_ARGS

    page_html = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{PRINT_CSS}</style>'
        f"<title>{html.escape(report.title or '')}</title></head><body>{report_body(report)}</body></html>"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.set_content(page_html, wait_until="load")
            page.pdf(path=str(path), format="A4", print_background=True, display_header_footer=False)
        finally:
            browser.close()
    return path


def report_body(report: Report) -> str:
    """The report as HTML: title, part headings, paragraphs and the three tables."""
    body: list[str] = []
    for kind, text in outline(report):
        if kind == "title":
            body.append(f"<h1>{html.escape(text)}</h1>")
        elif kind == "h2":
            body.append(f"<p><strong>{html.escape(text)}</strong></p>")
        elif kind == "h3":
            body.append(f"<p>{html.escape(text)}</p>")
        elif kind == "p":
            body.append(f'<p style="text-indent:2em">{html.escape(text)}</p>')
        else:
            body.append(html_table(LAYOUTS[text](report)))
    return "".join(body)


def html_table(layout: list[list[Span]]) -> str:
    rows = []
    for row in layout:
        cells = []
        for span in row:
            attributes = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (
                f' colspan="{span.cols}"' if span.cols > 1 else ""
            )
            cells.append(f"<td{attributes}><p>{html.escape(span.text)}</p></td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table border="1"><tbody>{"".join(rows)}</tbody></table>'


def write_docx(report: Report, path: Path) -> Path:
    """A Word file: heading styles for the parts, tables with real merged cells."""
    document = docx.Document()
    for kind, text in outline(report):
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "h2":
            document.add_heading(text, level=1)
        elif kind == "h3":
            document.add_heading(text, level=2)
        elif kind == "p":
            document.add_paragraph(text)
        else:
            docx_table(document, LAYOUTS[text](report))
    document.save(str(path))
    return path


def docx_table(document: docx.document.Document, layout: list[list[Span]]) -> None:
    width = sum(span.cols for span in layout[0])
    table = document.add_table(rows=len(layout), cols=width)
    table.style = "Table Grid"
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(layout):
        c = 0
        for span in row:
            while (r, c) in taken:
                c += 1
            start = table.cell(r, c)
            end = table.cell(r + span.rows - 1, c + span.cols - 1)
            merged = start.merge(end) if (span.rows, span.cols) != (1, 1) else start
            merged.text = span.text
            taken.update((r + dr, c + dc) for dr in range(span.rows) for dc in range(span.cols))
            c += span.cols
