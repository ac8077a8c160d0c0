"""Property tests: damaged grids never give a number the source does not hold; nothing raises."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archive.parse.table_cells import read_cell
from archive.parse.tables import normalise_tables
from archive.readers.document import Block
from archive.readers.text_grid import find_table_runs
from archive.schema import column_keys, row_keys, row_label, table_schema

REQUEST_COLUMNS = column_keys("requests")
CELL_TEXT = st.text(alphabet=st.sampled_from("0123456789一二三（）().、/—无总计其他结果维持 \n\t本年规章"), max_size=12)


def requests_grid(values: list[list[int]]) -> list[list[str]]:
    rows = [
        ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", "申请人情况"],
        ["", "自然人", "法人或其他组织", "总计"],
        ["", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    for row, numbers in zip(row_keys("requests"), values, strict=True):
        spec = table_schema("requests")["rows"][row]
        rows.append([spec.get("group", ""), row_label("requests", row), *map(str, numbers)])
    return rows


def review_grid(values: list[int]) -> list[list[str]]:
    return [
        ["行政复议", "", "", "", "", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉"],
        ["", "", "", "", "", *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2],
        [str(v) for v in values],
    ]


def active_grid(values: list[int]) -> list[list[str]]:
    v = [str(x) for x in values]
    return [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", v[0], v[1], v[2]],
        ["行政规范性文件", v[3], v[4], v[5]],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", v[6]],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", v[7]],
        ["行政强制", v[8]],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", v[9]],
    ]


def numbers(count: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, 5000), min_size=count, max_size=count)


CLEAN_GRIDS = st.tuples(
    numbers(10).map(active_grid),
    st.lists(numbers(7), min_size=25, max_size=25).map(requests_grid),
    numbers(15).map(review_grid),
)


@st.composite
def damaged(draw: st.DrawFn, grid: list[list[str]]) -> list[list[str]]:
    """The grid with rows dropped, swapped or duplicated and cells dropped, blanked, split, shifted or junk."""
    rows = [list(row) for row in grid]
    for _ in range(draw(st.integers(0, 12))):
        if not rows:
            break
        index = draw(st.integers(0, len(rows) - 1))
        row = rows[index]
        action = draw(
            st.sampled_from(
                [
                    "drop_row",
                    "swap_rows",
                    "copy_row",
                    "drop_cell",
                    "blank_cell",
                    "empty_cell",
                    "split_cell",
                    "junk_cell",
                    "wrap_label",
                    "truncate",
                ]
            )
        )
        position = draw(st.integers(0, max(len(row) - 1, 0)))
        if action == "drop_row":
            del rows[index]
        elif action == "swap_rows":
            other = draw(st.integers(0, len(rows) - 1))
            rows[index], rows[other] = rows[other], rows[index]
        elif action == "copy_row":
            rows.insert(index, list(row))
        elif action == "truncate":
            del rows[index:]
        elif not row:
            continue
        elif action == "drop_cell":
            del row[position]
        elif action == "blank_cell":
            row[position] = draw(st.sampled_from(["", "/", "—", "无", "-"]))
        elif action == "empty_cell":
            row.insert(position, "")
        elif action == "split_cell":
            text = row[position]
            cut = draw(st.integers(0, len(text)))
            row[position : position + 1] = [text[:cut], text[cut:]]
        elif action == "junk_cell":
            row.insert(position, draw(CELL_TEXT))
        elif action == "wrap_label":
            text = row[position]
            cut = draw(st.integers(0, len(text)))
            row[position] = text[:cut] + "\n" + text[cut:]
    return rows


def source_cells(grids: list[list[list[str]]]) -> set[str]:
    return {cell.strip() for grid in grids for row in grid for cell in row}


def assert_numbers_from_source(tables, grids: list[list[list[str]]]) -> None:
    cells = source_cells(grids)
    for table in tables.values():
        for row, columns in table.rows.items():
            for column, cell in columns.items():
                if cell.state == "missing":
                    assert cell.value is None and cell.raw is None
                    continue
                assert cell.raw in cells, (table.key, row, column, cell)
                if cell.state == "number":
                    assert cell.value == read_cell(cell.raw, decimal=(column == "amount_10k_yuan")).value
                else:
                    assert cell.value is None


@given(CLEAN_GRIDS)
def test_clean_grids_are_read_exactly(grids):
    active, requests, review = grids
    tables, findings, fmt = normalise_tables([Block("table", rows=g) for g in grids])
    assert fmt == "2021" and findings == []
    for row_index, row in enumerate(row_keys("requests")):
        for column_index, column in enumerate(REQUEST_COLUMNS):
            assert tables["requests"].value(row, column) == int(requests[3 + row_index][2 + column_index])
    assert [
        tables["review_litigation"].value(r, c)
        for r in row_keys("review_litigation")
        for c in column_keys("review_litigation")
    ] == [int(v) for v in review[-1]]
    assert tables["active"].value("normative_documents", "in_force") == int(active[3][3])
    assert all(t.status == "complete" for t in tables.values())


@given(CLEAN_GRIDS.flatmap(lambda grids: st.tuples(*(damaged(g) for g in grids))))
def test_damaged_grids_never_give_a_number_not_in_the_source(grids):
    blocks = [Block("table", rows=g) for g in grids]
    tables, findings, fmt = normalise_tables(blocks)
    assert fmt in {"2021", "2019"}
    assert_numbers_from_source(tables, list(grids))
    for finding in findings:
        assert finding.code and finding.severity in {"error", "warning", "info"} and finding.message


@given(CLEAN_GRIDS.flatmap(lambda grids: st.tuples(*(damaged(g) for g in grids))), st.data())
def test_damaged_grids_through_text_lines(grids, data):
    """The same damage written out as text (a row per line, or a cell per line) and read back."""
    one_cell_per_line = data.draw(st.booleans())
    lines: list[str] = []
    for heading, grid in zip(
        ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"],
        grids,
        strict=True,
    ):
        lines.extend(["", heading, ""])
        for row in grid:
            if one_cell_per_line:
                lines.extend("\t" + cell.replace("\n", "") for cell in row)
                lines.append("")
            else:
                lines.append("\t".join(cell.replace("\n", "") for cell in row))
    if data.draw(st.booleans()):
        lines = [line for line in lines if line]
    runs = find_table_runs(lines)
    blocks = []
    position = 0
    for start, end, grid in runs:
        blocks.extend(Block("paragraph", text=line) for line in lines[position:start] if line.strip())
        blocks.append(Block("table", rows=grid))
        position = end
    tables, _, _ = normalise_tables(blocks)
    assert_numbers_from_source(tables, [grid for _, _, grid in runs])


@given(st.lists(st.lists(st.text(max_size=30), max_size=20), max_size=30), st.lists(st.text(max_size=60), max_size=5))
def test_arbitrary_strings_never_raise(grid, texts):
    blocks = [Block("paragraph", text=t) for t in texts] + [Block("table", rows=grid)]
    tables, findings, fmt = normalise_tables(blocks)
    assert set(tables) == {"active", "requests", "review_litigation"}
    assert_numbers_from_source(tables, [grid])


@given(st.lists(CELL_TEXT | st.text(max_size=40), max_size=60))
def test_find_table_runs_on_arbitrary_lines(lines):
    runs = find_table_runs(lines)
    end = 0
    for start, stop, grid in runs:
        assert end <= start < stop <= len(lines)
        assert all(isinstance(cell, str) for row in grid for cell in row)
        end = stop


@given(CLEAN_GRIDS, st.booleans())
def test_clean_grids_as_text_are_read_exactly(grids, one_cell_per_line):
    lines: list[str] = []
    for heading, grid in zip(
        ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"],
        grids,
        strict=True,
    ):
        lines.extend(["", heading, ""])
        for row in grid:
            if one_cell_per_line:
                lines.extend(["\t" + cell for cell in row] + [""])
            else:
                lines.append("\t".join(row))
    blocks: list[Block] = []
    position = 0
    for start, end, grid in find_table_runs(lines):
        blocks.extend(Block("paragraph", text=line) for line in lines[position:start] if line.strip())
        blocks.append(Block("table", rows=grid))
        position = end
    tables, findings, _ = normalise_tables(blocks)
    assert findings == []
    requests = grids[1]
    for row_index, row in enumerate(row_keys("requests")):
        for column_index, column in enumerate(REQUEST_COLUMNS):
            assert tables["requests"].value(row, column) == int(requests[3 + row_index][2 + column_index])
    assert all(t.status == "complete" for t in tables.values())
