"""Where the tables hold a figure the text states: every usual reading of its words, as sums of cells.

* 收到/受理 N 件: new requests (表三 一), or new plus carried over from last year (一 + 二);
* 办理 N 件: any reading of 收到 or of 办结;
* 办结 N 件: the results' total (三（七）), the total less 其他处理 (三（六）), or new plus carried over
  less what is carried forward (一 + 二 − 四);
* 结转下年度 N 件: 四; 上年结转 N 件: 二;
* 行政复议 N 件: 表四 行政复议 总计;
* 行政诉讼 N 件: both kinds of litigation together, or either alone;
* 制发 / 现行有效规范性文件 N 件: 表二 行政规范性文件, or with 规章 added.

The checks compare the text with the tables by these readings (``archive.text_against_tables``);
cutting a table's digits printed run together may use them to choose between cuts
(``archive.parse.joined_digits``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archive.parse.joined_digits import Stated
from archive.parse.stated_figures import StatedFigure
from archive.parse.table_arithmetic import CellKey
from archive.schema import column_label

Term = tuple[int, str, str, str]
"""(sign, table, row, column)."""
OTHER_HANDLING = "3.6"
"""（六）其他处理 printed as one row (the 2019 way): ``Table.other_handling``."""


@dataclass(frozen=True)
class Reading:
    """One way of reading a stated figure: a sum of table cells, and how to say it."""

    label: str
    terms: tuple[Term, ...]


def _cells(table: str, column: str, *rows: str, minus: Sequence[str] = ()) -> tuple[Term, ...]:
    return (*((1, table, row, column) for row in rows), *((-1, table, row, column) for row in minus))


RECEIVED = (
    Reading("「一、本年新收政府信息公开申请数量」", _cells("requests", "total", "1")),
    Reading("本年新收加上年结转（第一项加第二项）", _cells("requests", "total", "1", "2")),
)
HANDLED = (
    Reading("「（七）总计」", _cells("requests", "total", "3.7")),
    Reading("「（七）总计」减「（六）其他处理」", _cells("requests", "total", "3.7", minus=("3.6.1", "3.6.2", "3.6.3"))),
    Reading("「（七）总计」减「（六）其他处理」", _cells("requests", "total", "3.7", minus=(OTHER_HANDLING,))),
    Reading("第一项加第二项减第四项", _cells("requests", "total", "1", "2", minus=("4",))),
)
READINGS: dict[str, tuple[Reading, ...]] = {
    "requests_received": RECEIVED,
    "requests_processed": RECEIVED + HANDLED,
    "requests_handled": HANDLED,
    "requests_carried_over": (Reading("「二、上年结转政府信息公开申请数量」", _cells("requests", "total", "2")),),
    "requests_carried_forward": (Reading("「四、结转下年度继续办理」", _cells("requests", "total", "4")),),
    "review": (Reading("「行政复议」总计", _cells("review_litigation", "total", "review")),),
    "litigation": (
        Reading("行政诉讼两项总计之和", _cells("review_litigation", "total", "litigation_direct", "litigation_after_review")),
        Reading("「未经复议直接起诉」总计", _cells("review_litigation", "total", "litigation_direct")),
        Reading("「复议后起诉」总计", _cells("review_litigation", "total", "litigation_after_review")),
    ),
    "normative_issued": (
        Reading("「行政规范性文件」" + column_label("active", "issued"), _cells("active", "issued", "normative_documents")),
        Reading("规章与行政规范性文件的" + column_label("active", "issued") + "之和",
                _cells("active", "issued", "normative_documents", "regulations")),
    ),
    "normative_in_force": (
        Reading("「行政规范性文件」" + column_label("active", "in_force"), _cells("active", "in_force", "normative_documents")),
        Reading("规章与行政规范性文件的" + column_label("active", "in_force") + "之和",
                _cells("active", "in_force", "normative_documents", "regulations")),
    ),
}


def stated_by_table(figures: list[StatedFigure]) -> dict[str, tuple[Stated, ...]]:
    """Per table, the figures as ``Stated``: each value with its readings as (cells added, cells taken away)."""
    out: dict[str, list[Stated]] = {}
    for figure in figures:
        readings: dict[str, list[tuple[tuple[CellKey, ...], tuple[CellKey, ...]]]] = {}
        for reading in READINGS[figure.kind]:
            tables = {table for _, table, _, _ in reading.terms}
            if len(tables) != 1:
                continue
            plus = tuple((row, column) for sign, _, row, column in reading.terms if sign > 0)
            minus = tuple((row, column) for sign, _, row, column in reading.terms if sign < 0)
            readings.setdefault(tables.pop(), []).append((plus, minus))
        for table, found in readings.items():
            out.setdefault(table, []).append(Stated(figure.value, tuple(found)))
    return {table: tuple(figures) for table, figures in out.items()}
