"""The figures a report states in its text (``archive.parse.stated_figures``) against its tables.

A figure is compared under every usual reading of its words, and a finding (``text_table_mismatch``,
warning) is made only when no reading that the tables can give agrees with it:

* 收到/受理 N 件: new requests (表三 一), or new plus carried over from last year (一 + 二);
* 办理 N 件: any reading of 收到 or of 办结;
* 办结 N 件: the results' total (三（七）), the total less 其他处理 (三（六）), or new plus carried over
  less what is carried forward (一 + 二 − 四);
* 结转下年度 N 件: 四; 上年结转 N 件: 二;
* 行政复议 N 件: 表四 行政复议 总计;
* 行政诉讼 N 件: both kinds of litigation together, or either alone;
* 制发 / 现行有效规范性文件 N 件: 表二 行政规范性文件, or with 规章 added.

Figures of another unit or of a part (``scope``), of another year, and figures whose cells are
missing or not numbers are not compared: nothing is said rather than something wrong.
"""

from __future__ import annotations

from archive.model import Cell, Finding, Report, Section
from archive.parse.figure_readings import OTHER_HANDLING, READINGS, Reading
from archive.parse.stated_figures import KIND_LABELS, StatedFigure, stated_figures

CODE = "text_table_mismatch"
TABLE_NAMES = {"active": "表二", "requests": "表三", "review_litigation": "表四"}



def reading_value(report: Report, reading: Reading) -> int | None:
    """The reading's value in the report's tables; None when a cell it needs is missing or not a number."""
    total = 0
    for sign, table, row, column in reading.terms:
        cell = _cell(report, table, row, column)
        if cell is None or cell.state != "number" or cell.value is None:
            return None
        total += sign * int(cell.value)
    return total


def _cell(report: Report, table: str, row: str, column: str) -> Cell | None:
    found = report.tables.get(table)
    if found is None:
        return None
    if row == OTHER_HANDLING:
        return found.other_handling.get(column)
    return found.cell(row, column)


def _inferred(report: Report, reading: Reading) -> bool:
    """A cell of the reading was not printed on its own: its digits were split from a run (``Cell.inferred``)."""
    return any(getattr(_cell(report, t, r, c), "inferred", False) for _, t, r, c in reading.terms)


def comparable(figure: StatedFigure, report: Report) -> bool:
    """The agency's own figure, of the report's year."""
    return figure.scope == "own" and (figure.year is None or report.year is None or figure.year == report.year)


def check_text_against_tables(report: Report) -> list[Finding]:
    """One finding per figure of the text that no reading of the tables agrees with (the same figure said twice: once)."""
    findings: list[Finding] = []
    said: set[tuple[str, int]] = set()
    headings = _headings(report.sections)
    for figure in stated_figures(report.sections, report.agency, report.year):
        if not comparable(figure, report) or (figure.kind, figure.value) in said:
            continue
        readings = [(r, reading_value(report, r)) for r in READINGS[figure.kind]]
        known = [(r, v) for r, v in readings if v is not None]
        if not known or any(v == figure.value for _, v in known):
            continue
        said.add((figure.kind, figure.value))
        inferred = any(_inferred(report, r) for r, _ in known)
        findings.append(_finding(figure, known, headings.get(figure.section, ""), inferred))
    return findings


def _finding(figure: StatedFigure, known: list[tuple[Reading, int]], where: str, inferred: bool) -> Finding:
    first, _ = known[0]
    _, table, row, column = first.terms[0]
    tables = "、".join(dict.fromkeys(TABLE_NAMES[t] for r, _ in known for _, t, _, _ in r.terms))
    values = "；".join(f"{r.label}为 {v}" for r, v in known)
    message = (
        f"正文{where}写明“{figure.raw}”（{KIND_LABELS[figure.kind]} {figure.value}），"
        f"但{tables}中{values}，均与正文不一致，请核对原文。"
    )
    if inferred:
        message += "（表格中有的数字原文连在一起印出，是程序按勾稽关系拆分的，也可能拆分有误。）"
    return Finding(CODE, "warning", message, table, row, column, figure.section or None)


def _headings(sections: list[Section]) -> dict[str, str]:
    """Anchor → 「第一部分 › （二）依申请公开」, as a reader finds the sentence."""
    out: dict[str, str] = {}
    for part in sections:
        for path, section in part.walk():
            names = [_printed(s) for s in (*path, section) if s.heading]
            if section.anchor and names:
                out[section.anchor] = "「" + " › ".join(names) + "」"
    return out


def _printed(section: Section) -> str:
    """一、总体情况 / （二）依申请公开: the number with its mark, as printed."""
    number = section.number.strip()
    if number and number[-1] not in "）)、.．:：" and section.title:
        number += "、"
    return f"{number}{section.title.strip()}"
