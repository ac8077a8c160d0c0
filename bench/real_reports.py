"""docs/real-reports.md: what the reader makes of every real report, and of each damaged copy of it.

One row per real file of the repository, then one per kind of damage (archive.synth.variants):
agency, year, format, parts found, table cells (read / null / expected), findings by severity, and
the numbers that differ from the truth, which must be none. The truth of a file is what it gives
itself; the truth of a crawled copy of a portal page is what the portal page gives.

    .venv/bin/python bench/real_reports.py        # or: make real-report
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.model import Report  # noqa: E402
from archive.pipeline import load_report  # noqa: E402
from archive.readers import REPORT_SUFFIXES, read_document  # noqa: E402
from archive.schema import TABLE_KEYS, cell_keys, format_name, part_numbers  # noqa: E402
from archive.synth.variants import VARIANTS, compare_cells  # noqa: E402

SAMPLES = ROOT / "content" / "reports"
CRAWLED_COPIES = ROOT / "tests" / "fixtures" / "real" / "crawled"
OUT = ROOT / "docs" / "real-reports.md"
SEVERITIES = (("error", "错误"), ("warning", "警告"), ("info", "提示"))


def real_reports() -> list[Path]:
    files = sorted(p for p in SAMPLES.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES)
    return files + sorted(CRAWLED_COPIES.glob("*.txt"))


def truth_of(path: Path) -> Path:
    """The file whose reading is the truth for ``path``: the portal page a crawled copy was saved from."""
    if path.parent == CRAWLED_COPIES:
        return SAMPLES / path.name.replace("-crawled.txt", ".html")
    return path


def parts(report: Report) -> str:
    if report.format == "pre2019":
        mapped = "".join(report.parts_found)
        return f"{sum(1 for s in report.sections if s.level == 1)} 部分，对应 {mapped or '无'}"
    missing = [p for p in part_numbers() if p not in report.parts_found]
    return "".join(report.parts_found) + (f"（缺{''.join(missing)}）" if missing else "")


def findings(report: Report) -> str:
    counts = [f"{name} {n}" for level, name in SEVERITIES if (n := sum(f.severity == level for f in report.findings))]
    return "，".join(counts) or "无"


def numbers(report: Report) -> int:
    return sum(
        1
        for key in TABLE_KEYS
        for row, column in cell_keys(key)
        if (table := report.tables.get(key)) is not None and table.cell(row, column).state == "number"
    )


def row(name: str, damage: str, report: Report, truth: Report, same_file: bool) -> str:
    if report.format == "pre2019" and truth.format == "pre2019":
        cells, different = "（无统计表）", "—"
    elif same_file:
        expected = sum(len(cell_keys(key)) for key in TABLE_KEYS)
        read = numbers(report)
        cells, different = f"{read} / {expected - read} / {expected}", "—"
    else:
        compared = compare_cells(truth, report)
        cells = f"{compared.equal} / {compared.null} / {compared.expected}"
        different = str(len(compared.different or []))
    agency = report.agency or "（未识别）"
    if truth.agency != report.agency:
        agency += f" ≠ {truth.agency}"
    return (
        f"| {name} | {damage} | {agency} | {report.year or '—'} | {format_name(report.format)} | {parts(report)} "
        f"| {cells} | {different} | {findings(report)} |"
    )


def main() -> None:
    lines = [
        "# What the reader makes of the real reports",
        "",
        "Written by `bench/real_reports.py` (`make real-report`) on "
        + datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        + ". One row per real file of the repository, then one per damaged copy of it made by "
        "`archive.synth.variants` (压成一行: the report on one line as a crawler saves a page; 表格数字连写: "
        "every table row's cells run together; Markdown: as a PDF-to-Markdown converter writes it; "
        "爬虫头部与导航: a crawler's header and the portal's furniture above the text; 首行为“正文”; "
        "爬虫保存的网页文本: all of these together; 括号式爬虫头部: a header of 【标题】-style keys, the page on its 【正文】 line; "
        "Markdown 加粗标题: headings as bold paragraphs, as Word converters write them).",
        "",
        "**Cells** are *read / null / expected*: for a file itself, the numbers read, the cells of the 2021 "
        "tables without one, and all the cells of the tables; for a copy, the cells equal to the truth, the "
        "cells left null, and the truth's numbers. **Different** counts numbers that are not the truth's: it "
        "must be 0 everywhere. The truth of a crawled copy of a portal page is that page "
        "(`content/reports/pingtan-YYYY.html`); of a damaged copy, the file it was made from.",
        "",
        "| file | damage | agency | year | format | parts | cells | different | findings |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for path in real_reports():
            name = path.relative_to(ROOT).as_posix()
            report = load_report(path)
            truth_path = truth_of(path)
            truth = load_report(truth_path) if truth_path != path else report
            damage = "爬虫保存的网页文本" if truth_path != path else "—"
            lines.append(row(name, damage, report, truth, truth_path == path))
            document = read_document(path)
            for variant in VARIANTS:
                copy = Path(folder) / f"{path.stem}-{variant.name}{variant.suffix}"
                copy.write_text(variant.make(document, report.title or ""), "utf-8")
                lines.append(row("", variant.label, load_report(copy), truth, False))
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
