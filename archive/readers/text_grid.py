"""Find the statistical tables in the lines of a plain-text report and turn them into grids.

Text extracted from the published reports lays a table out in one of two ways:

* one row per line, cells separated by tabs (empty tabs may shift cells to the right);
* one cell per line, each cell a line that starts with a tab, rows separated by blank
  lines; a cell may go on over the next line without a tab ("\\t商业" + "企业").

A Markdown report's pipe tables ("| 规章 | 0 | 0 | 0 |") are read as the first layout.
Both may also wrap a short label onto a line of its own between two table lines.
"""

from __future__ import annotations

import re

from archive.schema import part_words

Grid = list[list[str]]

# A part heading of the report ("三、收到和处理政府信息公开申请情况"); the table's own row
# labels ("一、本年新收政府信息公开申请数量") carry cells and are not headings.
PART_TITLE = re.compile(
    r"^\s*[一二三四五六七八]\s*[、.．]\s*\S*(" + "|".join(word for words in part_words().values() for word in words) + ")"
)
MARKDOWN_ROW = re.compile(r"^\s*\|.*\|\s*$")
MARKDOWN_RULE = re.compile(r"^[\s|:\-]+$")
CONTINUATION_MAX_CHARS = 12
# A short line that starts like this is a label of its own ("第二十条第（五）项", "（三）不予公开").
OWN_LABEL_START = re.compile(r"^\s*(第|[一二三四五六七八九十]+[、.．]|[（(]|\d+\s*[.．、])")
VALUE_TEXT = re.compile(r"^[\d.,，\s/／—\-–－无]*$")
PROSE_MIN_CHARS = 40
SENTENCE_END = ("。", "；", ";")


def is_part_heading(line: str) -> bool:
    return "\t" not in line.strip() and bool(PART_TITLE.match(line))


def is_cell_line(line: str) -> bool:
    """A line of the one-cell-per-line layout: a single leading tab, then the cell."""
    return line.startswith("\t") and "\t" not in line[1:]


def is_prose(text: str) -> bool:
    text = text.strip()
    return len(text) >= PROSE_MIN_CHARS and text.endswith(SENTENCE_END)


def is_table_line(line: str) -> bool:
    if "\t" not in line or is_part_heading(line):
        return False
    return not (is_cell_line(line) and is_prose(line))


def is_continuation(line: str) -> bool:
    """A short piece of a cell wrapped onto its own line ("企业", "审结")."""
    text = line.strip()
    return (
        bool(text)
        and "\t" not in line
        and len(text) <= CONTINUATION_MAX_CHARS
        and not text.endswith(SENTENCE_END)
        and not is_part_heading(line)
    )


def markdown_as_tabs(line: str) -> str:
    """A Markdown table row ("| 规章 | 0 |") as the tab-separated row it stands for; its rule line blank."""
    if not MARKDOWN_ROW.match(line):
        return line
    if MARKDOWN_RULE.match(line):
        return ""
    cells = [cell.strip() for cell in line.strip()[1:-1].split("|")]
    return "\t".join(cells) if len(cells) > 1 else cells[0] + "\t"


def _continues(previous: str, line: str) -> bool:
    """Whether a line without a tab goes on with the last cell of the line before it."""
    last_cell = previous.rsplit("\t", 1)[-1]
    return not VALUE_TEXT.match(last_cell) and not OWN_LABEL_START.match(line)


def _row_groups(lines: list[str], start: int, end: int) -> list[list[str]]:
    """The non-blank lines of a run, grouped by the blank lines between them; continuations joined."""
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines[start:end]:
        if not line.strip() and "\t" not in line:
            if current:
                groups.append(current)
                current = []
            continue
        if "\t" not in line and current and _continues(current[-1], line):
            current[-1] = current[-1] + "\n" + line.strip()
            continue
        current.append(line)
    if current:
        groups.append(current)
    return groups


def _group_rows(group: list[str]) -> Grid:
    if all(is_cell_line(line.split("\n", 1)[0]) for line in group):
        return [[line[1:].strip() for line in group]]
    rows: Grid = []
    for line in group:
        cells = line.split("\t")
        rows.append([cell.strip() for cell in cells])
    return rows


def find_table_runs(lines: list[str], pipes: bool = True) -> list[tuple[int, int, Grid]]:
    """Each table region in the lines of a text report, as (start, end exclusive, grid rows).

    ``pipes``: read Markdown pipe rows as table lines (a Markdown reader leaves them to its parser).

    ``lines`` are the decoded lines without line-ending characters. A region starts at a
    line holding a tab (a cell separator or the lead of a cell line) and goes on over
    blank lines and short wrapped label pieces as long as more table lines follow; part
    headings and prose paragraphs end it. Cells are stripped of surrounding blanks; a
    label wrapped over two lines keeps its line break ("商业\\n企业"); an empty cell is "".
    """
    if pipes:
        lines = [markdown_as_tabs(line) for line in lines]
    runs: list[tuple[int, int, Grid]] = []
    index = 0
    count = len(lines)
    while index < count:
        if not is_table_line(lines[index]):
            index += 1
            continue
        start = index
        last_table_line = index
        probe = index + 1
        while probe < count:
            line = lines[probe]
            if is_table_line(line):
                last_table_line = probe
            elif not line.strip():
                pass
            elif is_continuation(line) and last_table_line == probe - 1:
                last_table_line = probe
            else:
                break
            probe += 1
        end = last_table_line + 1
        grid: Grid = []
        for group in _row_groups(lines, start, end):
            grid.extend(_group_rows(group))
        runs.append((start, end, grid))
        index = end
    return runs
