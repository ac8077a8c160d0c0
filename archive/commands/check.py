"""archive check PATH... — read reports (files, or folders of them) and show what the archive finds in them."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import click

from archive.errors import ReadError
from archive.model import Finding, Report, Table
from archive.schema import TABLE_KEYS, cell_keys, format_name, part_numbers, table_schema

STATUS_NAMES = {"complete": "完整", "partial": "不完整", "missing": "缺失"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：一个文件输出一个对象，多个文件输出一个数组。")
@click.option(
    "--brief/--detail",
    default=None,
    help="每个文件一行（给出文件夹时的默认），或每个文件的全部内容（只给出文件时的默认）。",
)
def check(paths: tuple[Path, ...], as_json: bool, brief: bool | None) -> None:
    """读取年度报告并检查：发布机关、年度、地区、六个部分、三张统计表的完整性和发现的问题。

    Read annual reports (txt, md, html, pdf, docx, and scans: image-only PDFs, png, jpg, tif) and
    print, for each one, the agency, the year, the region, the format (2021, the 2019 trial
    format, or before 2019), the parts found, how complete each of the three tables is, and every
    finding (inconsistent totals, truncated tables, missing parts…).

    Given a folder, it prints one line per file instead, to review a batch at a glance: file,
    agency, year, format, parts, the table cells read (of the cells the format has) and the
    number of findings by severity; --detail prints everything for each file.

    Pages without a text layer are read by OCR (RapidOCR, in the install; nothing is downloaded):
    the summary then says which pages, with the engine's mean confidence. A number read with low
    confidence is left out with a finding naming its cell.

    A folder stands for every report file under it (.txt .md .html .htm .shtml .pdf .docx .doc
    .png .jpg .jpeg .tif .tiff),
    recursively and sorted by path, skipping hidden files and folders and the folder's pages/
    subfolder (the site's own pages), like `archive ingest`. A symbolic link in a folder that leads
    outside it is not read: it is named on standard error.

    Findings do not fail the command. A file that cannot be read is named on standard error and
    the others are still checked. Two files with the same agency and year are both shown, each
    with a duplicate_report warning naming the other.

    \b
    Example:
        archive check content/reports/*.txt
        archive check --json content/reports/wenxian-xianzhengfu-ban-2023.txt > wenxian.json
        archive check content ~/下载/年报
        archive check --detail content/reports/crawled

    \b
    Exit codes:
        0  every file was read (whatever the findings)
        1  no file could be read
        3  partial success: the files (or report-less folders) named on stderr could not be read,
           the others were checked
    """
    from archive.duplicates import add_duplicate_findings
    from archive.pipeline import load_report

    files, failed = _expand_folders(paths)
    reports: list[Report] = []
    for path in files:
        try:
            report = load_report(path)
        except ReadError as exc:
            click.echo(f"错误：{exc.format_message()}", err=True)
            failed += 1
            continue
        except OSError as exc:
            click.echo(f"错误：无法读取 {path}：{_os_problem(exc)}", err=True)
            failed += 1
            continue
        report.source = str(path)
        reports.append(report)
    add_duplicate_findings(reports)
    if as_json and reports:
        data = [r.to_dict() for r in reports]
        one_file = len(paths) == 1 and not paths[0].is_dir()
        click.echo(json.dumps(data[0] if one_file else data, ensure_ascii=False, indent=2))
    elif not as_json:
        if brief is None:
            brief = any(path.is_dir() for path in paths)
        widths = brief_widths(reports)
        if brief and reports:
            click.echo(brief_header(widths))
        for report in reports:
            click.echo(brief_line(report, widths) if brief else format_report(report, colour=True))
    if failed:
        raise SystemExit(3 if reports else 1)


def _expand_folders(paths: tuple[Path, ...]) -> tuple[list[Path], int]:
    """The files to check, each once, in the order given; a folder without reports is named on stderr."""
    from archive.files import report_files
    from archive.readers import REPORT_SUFFIXES

    files: list[Path] = []
    outside: list[Path] = []

    def skip_outside(link: Path, problem: str) -> None:
        click.echo(f"错误：无法读取 {link}：{problem}", err=True)
        outside.append(link)

    failed = 0
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        unreadable: list[OSError] = []
        links_before = len(outside)
        found = report_files(path, unreadable.append, skip_outside)
        for exc in unreadable:
            click.echo(f"错误：无法读取文件夹 {exc.filename}：{_os_problem(exc)}", err=True)
            failed += 1
        if not found and not unreadable and len(outside) == links_before:
            click.echo(f"错误：文件夹 {path} 中没有报告文件（{' '.join(sorted(REPORT_SUFFIXES))}）", err=True)
            failed += 1
        files.extend(found)
    return list(dict.fromkeys(files)), failed + len(outside)


def format_report(report: Report, colour: bool = False) -> str:
    """A report's findings as terminal text, one fact per line."""

    def style(text: str, **kwargs: object) -> str:
        return click.style(text, **kwargs) if colour else text

    lines = [style(report.source, bold=True)]
    lines.append(f"  发布机关：{report.agency or '（未识别）'}")
    lines.append(f"  报告年度：{report.year or '（未识别）'}")
    if report.title:
        lines.append(f"  标题：{report.title}")
    region = " › ".join(report.region.path)
    lines.append(f"  所在地区：{region} ({report.region.code})" if region else "  所在地区：（未识别）")
    if report.publication_date:
        lines.append(f"  发布日期：{report.publication_date}")
    lines.append(f"  报告格式：{format_name(report.format)}")
    lines.append(f"  文字编码：{report.encoding or '—'}")
    if report.ocr is not None:
        pages = "、".join(str(p) for p in report.ocr.pages)
        lines.append(f"  文字识别：第 {pages} 页内容由 OCR 识别（{report.ocr.engine}，平均置信度 {report.ocr.confidence:.1%}）")
    lines.append("  " + _parts_line(report))
    if report.format == "pre2019":
        lines.append("  统计表：无（2019 年以前的报告没有统一的统计表，文中数字保留在正文中）")
    else:
        lines.append("  统计表：")
        for key in TABLE_KEYS:
            lines.append("    " + _table_line(key, report.tables.get(key)))
    if report.findings:
        counts = "，".join(
            f"{SEVERITY_NAMES[level]} {n}"
            for level in SEVERITY_NAMES
            if (n := sum(1 for f in report.findings if f.severity == level))
        )
        lines.append(f"  发现的问题（{counts}）：")
        for finding in sorted(report.findings, key=_severity_order):
            label = SEVERITY_NAMES.get(finding.severity, finding.severity)
            tag = style(f"[{label}]", fg=SEVERITY_COLOURS.get(finding.severity))
            where = _location(finding)
            lines.append(f"    {tag} {finding.message}" + (f"（{where}；{finding.code}）" if where else f"（{finding.code}）"))
    else:
        lines.append("  发现的问题：无")
    return "\n".join(lines) + "\n"


# What a reader met, said in the one-line summary beside the count of findings.
READER_NOTES = {"reader_needs_ocr": "需要文字识别（OCR）", "reader_ocr_no_text": "未识别出文字", "reader_ocr": "内容由 OCR 识别", "reader_encoding_damaged": "编码有损"}
BRIEF_COLUMNS = ("文件", "发布机关", "年度", "格式", "部分", "单元格", "问题")


def brief_widths(reports: list[Report]) -> list[int]:
    """How wide each column of the one-line summary is: as wide as its widest value (the last: unpadded)."""
    rows = [_brief_values(report) for report in reports]
    return [max(_width(v) for v in (name, *(row[i] for row in rows))) + 2 for i, name in enumerate(BRIEF_COLUMNS[:-1])]


def brief_header(widths: list[int]) -> str:
    return _columns(list(BRIEF_COLUMNS), widths)


def brief_line(report: Report, widths: list[int]) -> str:
    """One report on one line: file, agency, year, format, parts, cells read of the cells expected, findings."""
    return _columns(_brief_values(report), widths)


def _brief_values(report: Report) -> list[str]:
    if report.format == "pre2019":
        mapped = "".join(s.part for s in report.sections if s.level == 1 and s.part)
        parts = f"{sum(1 for s in report.sections if s.level == 1)} 部分（对应 {mapped or '无'}）"
        cells = "无统计表"
    else:
        missing = [p for p in part_numbers() if p not in report.parts_found]
        parts = "".join(report.parts_found) + (f"（缺{''.join(missing)}）" if missing else "") or "无"
        expected = sum(len(cell_keys(key)) for key in TABLE_KEYS)
        read = sum(
            1
            for key in TABLE_KEYS
            for row, column in cell_keys(key)
            if (table := report.tables.get(key)) is not None and table.cell(row, column).state == "number"
        )
        cells = f"{read}/{expected}"
    counts = " ".join(
        f"{SEVERITY_NAMES[level]}{n}" for level in SEVERITY_NAMES if (n := sum(1 for f in report.findings if f.severity == level))
    )
    notes = [READER_NOTES[f.code] for f in report.findings if f.code in READER_NOTES]
    problems = " ".join([counts or "无", *notes])
    return [report.source, report.agency or "（未识别）", str(report.year or "—"), format_name(report.format), parts, cells, problems]


def _width(text: str) -> int:
    """Columns a text takes in a terminal, a Chinese character counting as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(values: list[str], widths: list[int]) -> str:
    padded = [value + " " * (width - _width(value)) for value, width in zip(values, widths, strict=False)]
    return "".join([*padded, values[-1]]).rstrip()


def _severity_order(finding: Finding) -> int:
    order = list(SEVERITY_NAMES)
    return order.index(finding.severity) if finding.severity in order else len(order)


def _parts_line(report: Report) -> str:
    if report.format == "pre2019":
        found = [s for s in report.sections if s.level == 1]
        names = "；".join(f"{s.number}、{s.title}" + (f"（→{s.part}）" if s.part else "") for s in found)
        return f"各部分（按含义对应到现行格式）：{names or '无'}"
    names = " ".join(report.parts_found) or "无"
    missing = [p for p in part_numbers() if p not in report.parts_found]
    return f"已识别部分：{names}" + (f"（缺少：{'、'.join(missing)}）" if missing else "（六个部分齐全）")


def _table_line(key: str, table: Table | None) -> str:
    label = table_schema(key).get("label", key)
    total = len(cell_keys(key))
    if table is None:
        return f"{label}：缺失（0/{total} 个单元格）"
    present = sum(1 for row, column in cell_keys(key) if table.cell(row, column).state != "missing")
    return f"{label}：{STATUS_NAMES.get(table.status, table.status)}（{present}/{total} 个单元格）"


def _location(finding: Finding) -> str:
    parts = []
    if finding.table:
        parts.append(f"表 {finding.table}")
    if finding.row:
        parts.append(f"行 {finding.row}")
    if finding.column:
        parts.append(f"列 {finding.column}")
    if finding.section:
        parts.append(f"章节 {finding.section}")
    return "，".join(parts)


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    return f"文件无法打开（{exc.strerror or exc}）"
