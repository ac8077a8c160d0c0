"""Normalise the grids of a document into the schema's three tables.

Every row of every grid is read on its own: its label cells say which schema row it is
(whatever the table heading before it said, since headings get lost), its value cells
are aligned to the columns. A value always comes from one cell of the source; a cell
the source does not have stays ``missing``. What could not be placed becomes a finding.

Rows without a label are placed only where no guess is involved: the 15 numbers of the
review/litigation table (its single data row has no label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.model import Cell, Finding, Table
from archive.parse.joined_digits import Decision, JoinedRun, Stated, decide
from archive.parse.joined_tables import OTHER_HANDLING
from archive.parse.ocr_cells import RowConfidence, mark
from archive.parse.table_arithmetic import OTHER_HANDLING_ROW, equations
from archive.parse.table_cells import compact, holds_two_numbers, is_value, read_cell
from archive.parse.table_labels import COLUMNS_2019, LabelMatch, match_column, match_row
from archive.readers.document import Block
from archive.schema import TABLE_KEYS, column_keys, column_label, row_keys, row_label, row_name

TABLE_NAMES = {
    "active": "表二（主动公开政府信息情况）",
    "requests": "表三（收到和处理政府信息公开申请情况）",
    "review_litigation": "表四（政府信息公开行政复议、行政诉讼情况）",
}
TABLE_HEADINGS = {
    "active": re.compile(r"主动公开政府信息情况"),
    "requests": re.compile(r"收到和处理政府信息公开申请情况"),
    "review_litigation": re.compile(r"行政复议.{0,3}行政诉讼"),
}
OTHER_PART_HEADING = re.compile(r"^[一五六][、.]|总体情况|存在的主要问题|其他需要报告")
HEADING_MAX_CHARS = 40
HEADER_WORDS = {
    "active": ("信息内容", "第二十条", "本年制发件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "本年新制作数量"),
    "requests": ("申请人情况", "自然人", "商业企业", "科研机构", "法人或其他组织", "勾稽关系"),
    "review_litigation": (
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "尚未审结",
        "未经复议直接起诉",
        "复议后起诉",
        "审结",
    ),
}
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_ROW_WIDTH = 15
SIGNS_2019_HEADERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
SIGNS_2019_LABELS = ("第二十条第(九)项", "政府集中采购")
SIGNS_2019_COLUMNS = frozenset(compact(label) for label in COLUMNS_2019)
SIGN_OTHER_HANDLING = "（六）其他处理未分项"
SIGN_NORMATIVE = "规范性文件"
# Alone, either of these is a 2021 report's slip; the 2019 columns or 第二十条第（九）项 are not.
WEAK_SIGNS_2019 = (SIGN_OTHER_HANDLING, SIGN_NORMATIVE)


@dataclass
class TableBuilder:
    """What has been read so far from a document's grids."""

    cells: dict[str, dict[str, dict[str, Cell]]] = field(default_factory=lambda: {t: {} for t in TABLE_KEYS})
    findings: list[Finding] = field(default_factory=list)
    context: str | None = None
    active_columns: list[str | None] | None = None
    active_column_labels: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    signs_2019: list[str] = field(default_factory=list)
    unmapped_2019: list[str] = field(default_factory=list)
    other_handling_printed: list[str] = field(default_factory=list)
    """（六）其他处理 printed as one row: its values as printed; its cells are the grid's row ``OTHER_HANDLING_ROW``."""

    def add_finding(self, finding: Finding) -> None:
        if finding not in self.findings:
            self.findings.append(finding)

    def put(self, table: str, row: str, column: str, cell: Cell) -> bool:
        columns = self.cells[table].setdefault(row, {})
        if column in columns:
            return False
        columns[column] = cell
        return True


def split_row(cells: list[str]) -> tuple[list[str], list[str]]:
    """(label cells, value cells): the values are the cells after the last label cell.

    Label cells repeated side by side (a merged cell expanded) are kept once.
    """
    last_label = -1
    for index, cell in enumerate(cells):
        if cell and not is_value(cell):
            last_label = index
    labels: list[str] = []
    for cell in cells[: last_label + 1]:
        if cell and not is_value(cell) and (not labels or compact(labels[-1]) != compact(cell)):
            labels.append(cell)
    return labels, cells[last_label + 1 :]


def align(tokens: list[str], width: int) -> tuple[list[str | None], str | None]:
    """The ``width`` value cells of a row, in column order; None where the row has no cell.

    Empty cells that only shift the values (text extraction's extra tabs) are dropped when
    the non-empty cells are exactly as many as the columns; otherwise empty cells keep
    their position. Returns a problem ("short", "long") when the count does not fit.
    """
    filled = [t for t in tokens if t]
    if len(filled) == width:
        return list(filled), None
    if len(tokens) == width:
        return list(tokens), None
    first = next((i for i, t in enumerate(tokens) if t), 0)
    last = max((i for i, t in enumerate(tokens) if t), default=-1)
    span = tokens[first : last + 1]
    if len(span) == width:
        return list(span), None
    if not filled:
        return ([""] * width, None) if len(tokens) >= width else ([None] * width, "short")
    if len(filled) > width:
        collapsed = [t for i, t in enumerate(filled) if i == 0 or t != filled[i - 1]]
        if len(collapsed) == width:  # a merged cell expanded: its value repeated in every cell it spans
            return collapsed, None
        return list(filled[:width]), "long"
    return [*filled, *([None] * (width - len(filled)))], "short"


def heading_context(text: str) -> tuple[bool, str | None]:
    """(is it a part heading, the table that part holds) for a heading or paragraph."""
    text = compact(text)
    if not text or len(text) > HEADING_MAX_CHARS:
        return False, None
    for table, pattern in TABLE_HEADINGS.items():
        if pattern.search(text):
            return True, table
    return bool(OTHER_PART_HEADING.search(text)), None


def header_table(labels: list[str]) -> str | None:
    joined = "".join(compact(label) for label in labels)
    for table, words in HEADER_WORDS.items():
        if any(word in joined for word in words):
            return table
    return None


class Normaliser:
    """Reads the blocks of one document in order; ``finish`` gives the tables."""

    def __init__(self, stated: dict[str, tuple[Stated, ...]] | None = None) -> None:
        self.stated = stated or {}  # per table, the figures the text states (for cutting run-together digits)
        self.built = TableBuilder()
        self.pending_labels: list[str] = []
        self.review_pieces: list[str] = []
        self.ocr = RowConfidence()
        self.run_together = False  # the grid being read was printed as running text
        self.joined: dict[str, list[JoinedRun]] = {table: [] for table in TABLE_KEYS}

    def feed_text(self, text: str) -> None:
        self.pending_labels = []
        is_heading, table = heading_context(text)
        if is_heading:
            self.built.context = table
            if table:
                self.built.seen.add(table)
            self.built.active_columns = None

    def feed_grid(self, block: Block) -> None:
        self.run_together = block.run_together
        rows = _rejoined(block.rows)
        same_rows = len(rows) == len(block.rows)  # a row put back together has no OCR confidences of its own
        confidence = dict(enumerate(block.cell_confidence or [])) if same_rows else {}
        for n, row in enumerate(rows):
            self.feed_row(row, confidence.get(n))
        self.run_together = False

    def feed_row(self, cells: list[str], confidence: list[float | None] | None = None) -> None:
        cells = [(c or "").strip() for c in cells]
        self.ocr.start_row(cells, confidence, keep=bool(self.review_pieces))
        if not any(cells):
            if self.built.context == "review_litigation" and len(cells) == REVIEW_ROW_WIDTH:
                self._review_line(cells)  # the 15 cells printed, all of them left blank
            return
        labels, tokens = split_row(cells)
        self._note_2019_labels(labels)
        match = match_row(labels) if labels else None
        has_values = any(tokens)
        if match is None and has_values and labels and self.pending_labels:
            match = match_row([*self.pending_labels, *labels])  # a label wrapped onto the line of its values
        self.pending_labels = labels if not has_values else []
        if match is None:
            if has_values:
                self._unlabelled_row(labels, tokens)
            elif labels:
                self._header_row(labels)
            return
        if not has_values:
            blank_row = match.entry.table != "review_litigation" and header_table(labels) is None
            if not (blank_row and tokens):
                self._header_row(labels)
                return
        self.built.context = match.entry.table
        self.built.seen.add(match.entry.table)
        if match.entry.table == "active":
            self._active_row(match, tokens)
        elif match.entry.table == "requests":
            self._requests_row(match, tokens)
        else:
            self._review_row(match, tokens)

    def _note_2019_labels(self, labels: list[str]) -> None:
        for label in labels:
            text = compact(label)
            for sign in SIGNS_2019_LABELS:
                if sign in text and sign not in self.built.signs_2019:
                    self.built.signs_2019.append(sign)

    def _header_row(self, labels: list[str]) -> None:
        table = header_table(labels)
        if table is None:
            return
        self.built.context = table
        self.built.seen.add(table)
        texts = [compact(label) for label in labels]
        if table != "active":
            return
        if "信息内容" in texts:
            column_labels = labels[texts.index("信息内容") + 1 :]
        else:  # the columns' labels without 信息内容 before them: each must be a column's
            column_labels = [label for label in labels if not compact(label).startswith("第二十条")]
            if not column_labels or any(match_column(label, "active") is None for label in column_labels):
                self.built.active_columns = None
                return
        columns: list[str | None] = []
        for label in column_labels:
            found = match_column(label, "active")
            columns.append(found.entry.key if found else None)
            if compact(label) in SIGNS_2019_HEADERS and compact(label) not in self.built.signs_2019:
                self.built.signs_2019.append(compact(label))
            if (
                found is not None
                and found.entry.key is not None
                and not found.is_official
                and compact(label) not in SIGNS_2019_HEADERS
            ):
                self._label_variant("active", None, found.entry.key, label, found.entry.official)
        self.built.active_columns = columns
        self.built.active_column_labels = column_labels

    def _unmapped(self, label: str) -> None:
        if label not in self.built.unmapped_2019:
            self.built.unmapped_2019.append(label)

    def _label_variant(self, table: str, row: str | None, column: str | None, printed: str, official: str) -> None:
        where = "行" if row else "列"
        self.built.add_finding(
            Finding(
                "label_variant",
                "info",
                f"{TABLE_NAMES[table]}的{where}名印作「{printed}」，官方格式为「{official}」，已按「{official}」读取。",
                table=table,
                row=row,
                column=column,
            )
        )

    def _check_row_label(self, match: LabelMatch) -> None:
        if not match.is_official:
            self._label_variant(match.entry.table, match.entry.key, None, match.text, match.entry.official)

    def _store(
        self, table: str, row: str, columns: list[str], raws: list[str | None], problem: str | None, printed: list[str]
    ) -> None:
        duplicate = False
        for column, raw in zip(columns, raws, strict=True):
            if raw is None:
                continue
            cell = read_cell(raw, decimal=(column == "amount_10k_yuan"))
            doubt = mark(cell, self.ocr.take(raw), f"{TABLE_NAMES[table]}「{row_label(table, row)}」", table, row, column)
            if doubt is not None:
                self.built.add_finding(doubt)
            if not self.built.put(table, row, column, cell):
                duplicate = True
            elif holds_two_numbers(raw):
                self._two_numbers(table, row, column, raw)
        label = row_label(table, row)
        if duplicate:
            self.built.add_finding(
                Finding(
                    "row_duplicate",
                    "warning",
                    f"{TABLE_NAMES[table]}「{label}」一行出现了不止一次，只采用第一次出现的数值。",
                    table=table,
                    row=row,
                )
            )
        if problem == "long":
            self.built.add_finding(
                Finding(
                    "row_extra_cells",
                    "warning",
                    f"{TABLE_NAMES[table]}「{label}」一行的数值多于 {len(columns)} 个（{'、'.join(printed)}），"
                    f"只按顺序采用前 {len(columns)} 个，请核对原文。",
                    table=table,
                    row=row,
                )
            )
        elif problem == "short":
            absent = [column_label(table, c) for c, raw in zip(columns, raws, strict=True) if raw is None]
            self.built.add_finding(
                Finding(
                    "row_incomplete",
                    "warning",
                    f"{TABLE_NAMES[table]}「{label}」一行只有 {len(columns) - len(absent)} 个数值，"
                    f"按顺序对应到前面的栏目；缺少：{'、'.join(absent)}。",
                    table=table,
                    row=row,
                )
            )

    def _two_numbers(self, table: str, row: str | None, column: str, raw: str, label: str = "") -> None:
        printed = " ".join(raw.split())
        label = label or row_name(table, row or "")
        self.built.add_finding(
            Finding(
                "cell_two_numbers",
                "warning",
                f"{TABLE_NAMES[table]}「{label}」行「{column_label(table, column)}」列的单元格"
                f"印有不止一个数（{printed}，以空格或换行分开），无法确定是哪一个，记为文字，不作为数值，请核对原文。",
                table=table,
                row=row,
                column=column,
            )
        )

    def _active_row(self, match: LabelMatch, tokens: list[str]) -> None:
        row = match.entry.key
        assert row is not None
        self._check_row_label(match)
        if compact(match.text) == SIGN_NORMATIVE and SIGN_NORMATIVE not in self.built.signs_2019:
            self.built.signs_2019.append(SIGN_NORMATIVE)
        official = column_keys("active", row)
        header = self.built.active_columns
        if self.run_together and self._active_run(row, official, header, tokens):
            return
        if header and any(key in official for key in header):
            raws, problem = align(tokens, len(header))
            kept_columns = [k for k in header if k in official]
            kept_raws = [raw for k, raw in zip(header, raws, strict=True) if k in official]
            for key, label, raw in zip(header, self.built.active_column_labels, raws, strict=False):
                if key not in official and raw:
                    self._unmapped(f"表二「{match.text}」的「{label}」：{raw}")
            self._store("active", row, kept_columns, kept_raws, problem, [t for t in tokens if t])
        elif header and all(compact(label) in SIGNS_2019_COLUMNS for label in self.built.active_column_labels):
            # 2019 columns none of which this row has in 2021 (行政事业性收费: 上一年项目数量, 本年增/减)
            raws, _ = align(tokens, len(header))
            for label, raw in zip(self.built.active_column_labels, raws, strict=False):
                if raw:
                    self._unmapped(f"表二「{match.text}」的「{label}」：{raw}")
        else:
            raws, problem = align(tokens, len(official))
            self._store("active", row, official, raws, problem, [t for t in tokens if t])

    def _active_run(self, row: str, official: list[str], header: list[str | None] | None, tokens: list[str]) -> bool:
        """A row of table 二 printed as running text: its digits take a cell for each column of the header
        above it; a column the 2021 format has not (2019: 本年新公开数量) takes its share and is then set
        aside. Without a header the digits are not read: they may be columns this format has not."""
        filled = [t for t in tokens if t]
        if not filled:
            return False
        if not header:
            run = JoinedRun(tuple((row, c) for c in official), tuple(filled))
            self._unsplit("active", run, Decision(None, "no_header"))
            for column in official:
                self.built.put("active", row, column, Cell(None, run.raw, "text"))
            return True
        labels = self.built.active_column_labels
        cells = [(row, key if key in official else f"{UNMAPPED}{label}") for key, label in zip(header, labels, strict=False)]
        return self._joined("active", cells, tokens)

    def _requests_row(self, match: LabelMatch, tokens: list[str]) -> None:
        row = match.entry.key
        assert row is not None
        self._check_row_label(match)
        columns = column_keys("requests")
        if self._joined("requests", [(row, c) for c in columns], tokens):
            return
        raws, problem = align(tokens, len(columns))
        self._store("requests", row, columns, raws, problem, [t for t in tokens if t])

    def _review_row(self, match: LabelMatch, tokens: list[str]) -> None:
        row = match.entry.key
        assert row is not None
        columns = column_keys("review_litigation")
        if self._joined("review_litigation", [(row, c) for c in columns], tokens):
            return
        raws, problem = align(tokens, len(columns))
        self._store("review_litigation", row, columns, raws, problem, [t for t in tokens if t])

    def _unlabelled_row(self, labels: list[str], tokens: list[str]) -> None:
        filled = [t for t in tokens if t]
        if labels and compact(labels[-1]).endswith(OTHER_HANDLING):
            if SIGN_OTHER_HANDLING not in self.built.signs_2019:
                self.built.signs_2019.append(SIGN_OTHER_HANDLING)
            if self.run_together and 0 < len(filled) < len(column_keys("requests")):
                if not self.built.other_handling_printed:
                    cells = tuple((OTHER_HANDLING_ROW, c) for c in column_keys("requests"))
                    self.joined["requests"].append(JoinedRun(cells, tuple(filled)))
                    self.built.other_handling_printed = filled
                return
            if not self.built.other_handling_printed:
                columns = column_keys("requests")
                raws, _ = align(tokens, len(columns))
                for column, raw in zip(columns, raws, strict=True):
                    if raw:
                        self.built.put("requests", OTHER_HANDLING_ROW, column, read_cell(raw))
                self.built.other_handling_printed = filled
                for column, raw in zip(columns, raws, strict=True):
                    if raw and holds_two_numbers(raw):
                        self._two_numbers("requests", None, column, raw, label=labels[-1])
            return
        if self.run_together and not labels and self.built.context == "review_litigation":
            self._review_line(tokens)
            return
        review_like = len(filled) > len(column_keys("requests")) or self.built.context == "review_litigation"
        if review_like and not labels:
            self._review_line(tokens)
            return
        text = "｜".join([*labels, *filled])
        if any(sign in compact(label) for label in labels for sign in SIGNS_2019_LABELS + ("其他对外管理服务事项",)):
            header = self.built.active_column_labels
            if len(header) == len(filled):  # each value under its printed column
                for label, raw in zip(header, filled, strict=True):
                    self._unmapped(f"表二「{'、'.join(labels)}」的「{label}」：{raw}")
            else:
                self._unmapped(f"表二「{'、'.join(labels)}」：{'、'.join(filled)}")
            return
        self.built.add_finding(
            Finding(
                "row_unplaced",
                "warning",
                f"表格中有一行无法确定对应哪一栏目，未采用：「{text}」。",
                table=self.built.context,
            )
        )

    def _joined(self, table: str, cells: list[tuple[str, str]], tokens: list[str]) -> bool:
        """Take a row of a table printed as running text whose digits stand for more cells than they
        are: it is cut when the document ends, by the table's arithmetic (``joined_digits``).

        A one-cell row is read as printed, unless its digits are one number printed several times
        over (``848484``: a merged cell's value, once for each column it spans), which is not read.
        """
        filled = [t for t in tokens if t]
        if not self.run_together or not filled or len(filled) > len(cells):
            return False
        if len(cells) == 1 or len(filled) == len(cells):
            if not _repeated(filled[0]) or len(filled) > 1:
                return False
            self._unsplit(table, JoinedRun(tuple(cells), tuple(filled)), Decision(None, "repeated"))
            self.built.put(table, *cells[0], Cell(None, filled[0], "text"))
            return True
        self.joined[table].append(JoinedRun(tuple(cells), tuple(filled)))
        self.built.context = table
        self.built.seen.add(table)
        return True

    def _place_joined(self) -> None:
        """Cut the rows printed as running text, table by table, where the arithmetic allows one cut only."""
        for table, runs in self.joined.items():
            if not runs:
                continue
            fixed = {
                (row, column): int(cell.value)
                for row, columns in self.built.cells[table].items()
                for column, cell in columns.items()
                if cell.state == "number" and cell.value is not None and cell.value == int(cell.value)
            }
            split: list[str] = []
            for run, decision in zip(runs, decide(runs, fixed, equations(table), self.stated.get(table, ())), strict=True):
                if decision.values is None:
                    self._unsplit(table, run, decision)
                    for row, column in run.cells:
                        if not column.startswith(UNMAPPED):
                            self.built.put(table, row, column, Cell(None, run.raw, "text"))
                    continue
                for (row, column), value in zip(run.cells, decision.values, strict=True):
                    if column.startswith(UNMAPPED):
                        self._unmapped(f"表二「{row_label(table, row)}」的「{column[len(UNMAPPED):]}」：{value}（由连写的数字拆分）")
                    else:
                        self.built.put(table, row, column, Cell(value, run.raw, "number", inferred=True))
                split.append(f"「{_run_name(table, run)}」{run.raw}")
            if split:
                self.built.add_finding(
                    Finding(
                        "digits_split",
                        "info",
                        f"{TABLE_NAMES[table]}有 {len(split)} 行的数字在原文中连写在一起（"
                        + "、".join(split[:3])
                        + ("等" if len(split) > 3 else "")
                        + f"），{SPLIT_HOW[table]}，原文数字保留，请对照原件核实。",
                        table=table,
                    )
                )

    def _unsplit(self, table: str, run: JoinedRun, decision: Decision) -> None:
        why = {
            "none": "没有一种拆分方式符合表内的合计关系",
            "repeated": "像是同一个数（合并单元格）重复印了几遍",
            "no_header": "表头没有读到，无法确定这些数字属于哪几栏",
        }.get(decision.reason, "有不止一种拆分方式都说得通（表内的合计关系不足以确定）")
        rows = {row for row, _ in run.cells}
        self.built.add_finding(
            Finding(
                "digits_run_together",
                "warning",
                f"{TABLE_NAMES[table]}「{_run_name(table, run)}」的数字在原文中连写在一起（{run.raw}），{why}，"
                f"无法确定各栏的数值，这一行记为空，请对照原件。",
                table=table,
                row=next(iter(rows)) if len(rows) == 1 else None,
            )
        )

    def _review_line(self, tokens: list[str]) -> None:
        """A line of the review/litigation table's 15 numbers.

        A line of exactly 15 cells is placed at once. Lines that are pieces (a PDF wrapped
        the 15 numbers over two lines, or the table was cut) are collected and placed in
        order when the document ends.
        """
        self.built.context = "review_litigation"
        self.built.seen.add("review_litigation")
        every_cell = [(row, c) for row in REVIEW_GROUPS for c in column_keys("review_litigation")]
        if not self.review_pieces and self._joined("review_litigation", every_cell, tokens):
            return
        raws, problem = align(tokens, REVIEW_ROW_WIDTH)
        if not any(tokens) and (self.review_pieces or self.built.cells["review_litigation"]):
            return
        if problem is None and not self.review_pieces:
            self._place_review_line(raws)
        else:
            self.review_pieces.extend(t for t in tokens if t)

    def _place_review_line(self, raws: list[str | None]) -> None:
        columns = column_keys("review_litigation")
        for group_index, row in enumerate(REVIEW_GROUPS):
            part = raws[group_index * len(columns) : (group_index + 1) * len(columns)]
            self._store("review_litigation", row, columns, part, None, [])

    def _place_review_pieces(self) -> None:
        if not self.review_pieces:
            return
        printed = self.review_pieces
        raws, problem = align(printed, REVIEW_ROW_WIDTH)
        self._place_review_line(raws)
        if problem == "long":
            self.built.add_finding(
                Finding(
                    "row_extra_cells",
                    "warning",
                    f"{TABLE_NAMES['review_litigation']}的数值多于 15 个（共 {len(printed)} 个），只按顺序采用前 15 个，请核对原文。",
                    table="review_litigation",
                )
            )
        elif problem == "short":
            self.built.add_finding(
                Finding(
                    "row_incomplete",
                    "warning",
                    f"{TABLE_NAMES['review_litigation']}只有 {len(printed)} 个数值（应为 15 个），按顺序对应到前面的栏目。",
                    table="review_litigation",
                )
            )

    def _other_handling(self, requests: Table) -> list[Finding]:
        """（六）其他处理 printed as one row, as the 2019 format had it: named, and kept in the table, where
        the checks use it for the results total.

        Where the report also prints the three sub-items, the row is a subtotal the 2021 format lacks.
        """
        printed = self.built.other_handling_printed
        if not printed:
            return []
        sub_items = [r for r in row_keys("requests") if r.startswith("3.6.")]
        if any(requests.cell(r, c).state != "missing" for r in sub_items for c in column_keys("requests")):
            self._unmapped(f"表三「（六）其他处理」（各小项之外的合计行）：{'、'.join(printed)}")
            return []
        values = "、".join(
            f"{column_label('requests', c)} {cell.value if cell.inferred else cell.raw}"
            for c, cell in self.built.cells["requests"].get(OTHER_HANDLING_ROW, {}).items()
        )
        unsplit = Finding(
            "other_handling_unsplit",
            "warning",
            f"{TABLE_NAMES['requests']}的「（六）其他处理」在原文中只有一行（{values}），"
            "没有按2021年格式分为「1.申请人无正当理由逾期不补正」「2.申请人逾期未按收费通知要求缴纳费用」「3.其他」三项"
            "（2019年试行格式的写法）。这三项记为缺失，不按 0 计；「办理结果总计等于各项之和」按这一行的数值核对。",
            table="requests",
            row=sub_items[0],
        )
        requests.other_handling = dict(self.built.cells["requests"].get(OTHER_HANDLING_ROW, {}))
        return [unsplit]

    def finish(self) -> tuple[dict[str, Table], list[Finding], str]:
        self._place_review_pieces()
        self._place_joined()
        tables: dict[str, Table] = {}
        for table in TABLE_KEYS:
            rows: dict[str, dict[str, Cell]] = {}
            for row in row_keys(table):
                found = self.built.cells[table].get(row, {})
                rows[row] = {column: found.get(column, Cell.missing()) for column in column_keys(table, row)}
            tables[table] = Table(table, rows)
            if table in self.built.seen and tables[table].status == "missing":
                self.built.add_finding(
                    Finding(
                        "table_without_values",
                        "warning",
                        f"{TABLE_NAMES[table]}只有表头或标题，没有任何数值。",
                        table=table,
                    )
                )
        for finding in self._other_handling(tables["requests"]):
            self.built.add_finding(finding)
        weak = [s for s in self.built.signs_2019 if s in WEAK_SIGNS_2019]
        strong = [s for s in self.built.signs_2019 if s not in WEAK_SIGNS_2019]
        fmt = "2019" if strong or len(weak) >= 2 else "2021"
        if self.built.unmapped_2019:
            lead = "按2019年试行格式填报的以下栏目" if fmt == "2019" else "以下栏目（如2019年试行格式的写法）"
            self.built.add_finding(
                Finding(
                    "format_2019_unmapped",
                    "warning",
                    f"{lead}在2021年格式中没有对应项，未纳入表格（原文数值如下）："
                    + "；".join(self.built.unmapped_2019)
                    + "。",
                )
            )
        return tables, self.built.findings, fmt


UNMAPPED = "?"  # a column key of a 2019 column the 2021 format has not, in a row printed as running text
SPLIT_HOW = {
    "active": "各行只有一种拆分方式（数字的位数和“数不以 0 开头”决定），已拆分到各栏（按位数推算）",
    "requests": "已按表内的合计关系拆分到各栏（由合计推算），只有一种拆分方式符合全部合计关系",
    "review_litigation": "已按表内的合计关系拆分到各栏（由合计推算），只有一种拆分方式符合全部合计关系",
}


def _repeated(digits: str) -> bool:
    """``848484``: a shorter string of digits printed two or more times over."""
    return any(
        len(digits) % size == 0 and digits[:size] * (len(digits) // size) == digits for size in range(1, len(digits) // 2 + 1)
    )


def _run_name(table: str, run: JoinedRun) -> str:
    rows = list(dict.fromkeys(row for row, _ in run.cells))
    if rows == [OTHER_HANDLING_ROW]:
        return "（六）其他处理"
    return row_name(table, rows[0]) if len(rows) == 1 else "十五个数值"


def rejoin_cut_row(first: list[str], second: list[str]) -> list[str] | None:
    """A requests or review row broken by a line break inside one of its cells, put back together; else None.

    ``first`` is a labelled row with too few values, ``second`` the row after it, values only. When
    their values are one more than the row's columns, the break cut a cell in two ("17" | "0"):
    the two pieces go back into one cell ("17\\n0"), which then holds two numbers apart and is
    read as text (never 170, never 17), and the other values keep their printed order.
    """
    labels, tokens = split_row([(c or "").strip() for c in first])
    extra_labels, more = split_row([(c or "").strip() for c in second])
    head, tail = [t for t in tokens if t], [t for t in more if t]
    if not labels or extra_labels or not head or not tail:
        return None
    match = match_row(labels)
    if match is None or match.entry.table == "active":
        return None
    width = len(column_keys(match.entry.table))
    if len(head) >= width or len(head) + len(tail) != width + 1:
        return None
    return [*labels, *head[:-1], head[-1] + "\n" + tail[0], *tail[1:]]


def _rejoined(rows: list[list[str]]) -> list[list[str]]:
    joined: list[list[str]] = []
    index = 0
    while index < len(rows):
        whole = rejoin_cut_row(rows[index], rows[index + 1]) if index + 1 < len(rows) else None
        joined.append(whole if whole is not None else rows[index])
        index += 2 if whole is not None else 1
    return joined


def normalise_tables(
    blocks: list[Block], stated: dict[str, tuple[Stated, ...]] | None = None
) -> tuple[dict[str, Table], list[Finding], str]:
    """The three tables of a document, the findings of reading them, and the format ("2021" or "2019").

    ``blocks`` are all blocks of the document in order: headings and paragraphs set the
    context (the table a grid most likely belongs to), table blocks give the rows. Every
    row and column of the schema is in each table; what the source lacks is ``missing``.
    """
    normaliser = Normaliser(stated)
    for block in blocks:
        if block.kind == "table":
            normaliser.feed_grid(block)
        else:
            normaliser.feed_text(block.text)
    return normaliser.finish()
