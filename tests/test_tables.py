"""normalise_tables: every table value of the five samples, and grids of other layouts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from real_files import real_file

from archive.model import Cell, Table
from archive.parse.tables import normalise_tables
from archive.pipeline import load_report
from archive.readers.document import Block
from archive.readers.text_grid import find_table_runs
from archive.schema import column_keys, row_keys

SAMPLES = Path(__file__).resolve().parent.parent / "content" / "reports"
ZERO_REQUESTS = [0] * 7
REQUEST_ROWS = row_keys("requests")


def blocks_from_text(text: str) -> list[Block]:
    """The text as blocks: non-table lines as paragraphs, table runs as grids."""
    lines = text.split("\n")
    blocks: list[Block] = []
    position = 0
    for start, end, grid in [*find_table_runs(lines), (len(lines), len(lines), [])]:
        blocks.extend(Block("paragraph", text=line.strip()) for line in lines[position:start] if line.strip())
        if grid:
            blocks.append(Block("table", rows=grid))
        position = end
    return blocks


def sample_text(name: str) -> str:
    return (SAMPLES / name).read_text("utf-8-sig")


def requests_rows(present: list[str], **nonzero: int) -> dict[str, list[int] | None]:
    """Expected requests rows: the present ones all 0 except natural_person = total = nonzero[row]."""
    rows: dict[str, list[int] | None] = {}
    for row in REQUEST_ROWS:
        if row not in present:
            rows[row] = None
            continue
        value = nonzero.get("r" + row.replace(".", "_"), 0)
        rows[row] = [value, 0, 0, 0, 0, 0, value]
    return rows


ACTIVE_ZERO = {
    "regulations": [0, 0, 0],
    "normative_documents": [0, 0, 0],
    "licensing": [0],
    "penalty": [0],
    "enforcement": [0],
    "fees": [0],
}
REVIEW_ZERO = {"review": [0] * 5, "litigation_direct": [0] * 5, "litigation_after_review": [0] * 5}
REVIEW_NONE = dict.fromkeys(REVIEW_ZERO)

EXPECTED = {
    "wenxian-xianzhengfu-ban-2023.txt": {
        "active": {**ACTIVE_ZERO, "normative_documents": [5, 0, 27]},
        "requests": requests_rows(REQUEST_ROWS, r1=16, r3_1=1, r3_4_1=11, r3_6_3=4, r3_7=16),
        "review_litigation": REVIEW_ZERO,
    },
    "anqiu-guanzhuangzhen-2023.txt": {
        "active": ACTIVE_ZERO,
        "requests": requests_rows(REQUEST_ROWS, r1=3, r3_1=3, r3_7=3),
        "review_litigation": REVIEW_ZERO,
    },
    "jinxiang-xianzhengfu-ban-2023.txt": {
        "active": {**ACTIVE_ZERO, "normative_documents": [2, 0, 8]},
        "requests": requests_rows(["1"], r1=17),
        "review_litigation": {**REVIEW_ZERO, "review": [0, 0, 0, 1, 1]},
    },
    "jinxiang-hujizhen-2022.txt": {
        "active": {**ACTIVE_ZERO, "enforcement": None, "fees": None},
        "requests": requests_rows(REQUEST_ROWS[REQUEST_ROWS.index("3.3.7") :]),
        "review_litigation": REVIEW_NONE,
    },
    "yangcheng-dongfengxiang-2023.txt": {
        "active": {**ACTIVE_ZERO, "penalty": [3]},
        "requests": requests_rows(REQUEST_ROWS[: REQUEST_ROWS.index("3.4.3") + 1]),
        "review_litigation": REVIEW_NONE,
    },
}


def assert_table(table: Table, expected: dict[str, list[int] | None]) -> None:
    assert list(table.rows) == row_keys(table.key)
    for row, values in expected.items():
        columns = column_keys(table.key, row)
        assert list(table.rows[row]) == columns
        for index, column in enumerate(columns):
            cell = table.cell(row, column)
            where = f"{table.key}/{row}/{column}"
            if values is None:
                assert (cell.state, cell.value, cell.raw) == ("missing", None, None), where
            else:
                assert cell.state == "number", where
                assert cell.value == values[index], where
                assert cell.raw == str(values[index]), where


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_value_of_the_sample_grids(name: str):
    tables, _, fmt = normalise_tables(blocks_from_text(sample_text(name)))
    assert fmt == "2021"
    assert set(tables) == {"active", "requests", "review_litigation"}
    for key, expected in EXPECTED[name].items():
        assert_table(tables[key], expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_report_gives_the_same_tables(name: str):
    report = load_report(SAMPLES / name, root=SAMPLES.parent)
    for key, expected in EXPECTED[name].items():
        assert_table(report.tables[key], expected)
    assert report.format == "2021"


def test_wenxian_requests_values_and_no_balance_error():
    report = load_report(SAMPLES / "wenxian-xianzhengfu-ban-2023.txt")
    requests = report.tables["requests"]
    assert requests.value("1", "natural_person") == 16
    assert requests.value("3.4.1", "total") == 11
    assert requests.value("3.6.3", "total") == 4
    assert requests.value("3.7", "total") == 16
    assert requests.status == "complete"
    codes = {f.code for f in report.findings}
    assert not codes & {"requests_balance", "requests_results_total", "requests_row_total", "rule_not_checked"}
    assert not [f for f in report.findings if f.severity == "error"]


def test_guanzhuang_one_cell_per_line():
    report = load_report(SAMPLES / "anqiu-guanzhuangzhen-2023.txt")
    assert report.tables["requests"].value("1", "total") == 3
    assert report.tables["requests"].value("3.1", "natural_person") == 3
    assert all(t.status == "complete" for t in report.tables.values())
    assert not [f for f in report.findings if f.severity == "error"]


def test_dongfeng_penalty_and_review_litigation_missing():
    report = load_report(SAMPLES / "yangcheng-dongfengxiang-2023.txt")
    assert report.tables["active"].value("penalty", "decisions") == 3
    assert report.tables["review_litigation"].status == "missing"
    missing = [f for f in report.findings if f.code == "table_missing"]
    assert [(f.table, f.severity) for f in missing] == [("review_litigation", "error")]
    truncated = next(f for f in report.findings if f.code == "table_truncated" and f.table == "requests")
    assert "（五）不予处理 1.信访举报投诉类申请" in truncated.message and "四、结转下年度继续办理" in truncated.message


def test_jinxiang_requests_truncated_after_row_one():
    report = load_report(SAMPLES / "jinxiang-xianzhengfu-ban-2023.txt")
    requests = report.tables["requests"]
    assert requests.status == "partial"
    assert requests.value("1", "total") == 17
    for row in REQUEST_ROWS[1:]:
        for column in column_keys("requests"):
            assert requests.cell(row, column).state == "missing"
            assert requests.value(row, column) is None
    truncated = [f for f in report.findings if f.code == "table_truncated" and f.table == "requests"]
    assert len(truncated) == 1
    assert truncated[0].row == "2"
    assert "二、上年结转政府信息公开申请数量" in truncated[0].message
    assert "四、结转下年度继续办理" in truncated[0].message
    assert not [f for f in report.findings if f.code == "requests_balance"]
    # part 四's heading is lost, its numbers are not
    assert report.tables["review_litigation"].value("review", "pending") == 1


@pytest.mark.parametrize("name", ["jinxiang-xianzhengfu-ban-2023.txt", "yangcheng-dongfengxiang-2023.txt"])
def test_ocr_typo_in_column_label_is_read_and_named(name: str):
    _, findings, _ = normalise_tables(blocks_from_text(sample_text(name)))
    variants = [f for f in findings if f.code == "label_variant"]
    assert [(f.table, f.column) for f in variants] == [("active", "repealed")]
    assert "本年度止件数" in variants[0].message and "本年废止件数" in variants[0].message


def test_header_only_table_is_named():
    _, findings, _ = normalise_tables(blocks_from_text(sample_text("jinxiang-hujizhen-2022.txt")))
    assert [(f.code, f.table) for f in findings] == [("table_without_values", "review_litigation")]


# Grids as the HTML, PDF and DOCX readers give them: merged cells repeated in every cell they span.
MERGED_REQUESTS = [
    ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)"] * 3 + ["申请人情况"] * 7,
    ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)"] * 3
    + ["自然人"]
    + ["法人或其他组织"] * 5
    + ["总计"],
    ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)"] * 3
    + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ["一、本年新收政府信息公开申请数量"] * 3 + ["5", "1", "0", "0", "0", "0", "6"],
    ["二、上年结转政府信息公开申请数量"] * 3 + ["1", "/", "—", "无", "", "0", "1"],
    ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "2", "1", "0", "0", "0", "0", "3"],
    ["三、本年度办理结果", "（三）不予公开", "1. 属于国家秘密", "1", "0", "0", "0", "0", "0", "1"],
    ["三、本年度办理结果", "（六）其他处理", "3．其他", "３", "0", "0", "0", "0", "0", "3"],
    ["三、本年度办理结果", "（七）总计", "（七）总计", "6", "1", "0", "0", "0", "0", "7"],
    ["四、结转下年度继续办理"] * 3 + ["0", "0", "0", "0", "0", "0", "0"],
]
MERGED_REVIEW = [
    ["行政复议"] * 5 + ["行政诉讼"] * 10,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
    ["1", "2", "0", "0", "3", "0", "0", "0", "1", "1", "/", "/", "/", "/", "/"],
]


def test_merged_cells_are_deduplicated_and_placeholders_kept_as_text():
    blocks = [
        Block("heading", text="三、收到和处理政府信息公开申请情况", level=2),
        Block("table", rows=MERGED_REQUESTS),
        Block("heading", text="四、政府信息公开行政复议、行政诉讼情况", level=2),
        Block("table", rows=MERGED_REVIEW),
    ]
    tables, findings, fmt = normalise_tables(blocks)
    requests = tables["requests"]
    assert [requests.value("1", c) for c in column_keys("requests")] == [5, 1, 0, 0, 0, 0, 6]
    assert [(requests.cell("2", c).state, requests.cell("2", c).raw) for c in column_keys("requests")] == [
        ("number", "1"),
        ("text", "/"),
        ("text", "—"),
        ("text", "无"),
        ("text", ""),
        ("number", "0"),
        ("number", "1"),
    ]
    assert all(requests.value("2", c) is None for c in ("commercial", "research", "public_interest", "legal_service"))
    assert requests.value("3.1", "total") == 3
    assert requests.value("3.3.1", "natural_person") == 1
    assert requests.value("3.6.3", "natural_person") == 3
    assert requests.value("3.7", "total") == 7
    assert requests.cell("3.2", "total").state == "missing"
    review = tables["review_litigation"]
    assert [review.value("review", c) for c in column_keys("review_litigation")] == [1, 2, 0, 0, 3]
    assert review.value("litigation_direct", "total") == 1
    assert review.cell("litigation_after_review", "total").state == "text"
    assert fmt == "2021"
    assert not [f for f in findings if f.code.startswith("row_")]


def test_active_table_fee_is_decimal_and_labels_vary():
    grid = [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年（2023）制发件数", "本年废止数", "现行有效件数 (历史累计)"],
        ["规章", "1", "0", "4"],
        ["规范性文件", "2", "1", "9"],
        ["第二十条第（六）项"] * 4,
        ["信息内容", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量"],
        ["行政处罚", "12", "12", "12"],
        ["第二十条第（八）项"] * 4,
        ["信息内容", "本年收费金额（单位：万元）", "", ""],
        ["行政事业性收费", "0.35", "", ""],
    ]
    tables, findings, fmt = normalise_tables([Block("table", rows=grid)])
    active = tables["active"]
    assert [active.value("regulations", c) for c in ("issued", "repealed", "in_force")] == [1, 0, 4]
    assert [active.value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [2, 1, 9]
    assert active.value("fees", "amount_10k_yuan") == Decimal("0.35")
    assert active.cell("licensing", "decisions").state == "missing"
    # a merged data cell repeats its value: more cells than columns, the first is taken and named
    assert active.value("penalty", "decisions") == 12
    assert fmt == "2021"
    variant_rows = {f.row for f in findings if f.code == "label_variant"}
    assert "normative_documents" in variant_rows


def test_split_labels_and_shifted_cells_in_tab_text():
    text = "\n".join(
        [
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开\t申请数量\t\t4\t0\t0\t0\t0\t0\t4",
            "二、上年结转政府信息公开申请数量\t\t\t1\t\t0\t0\t0\t0\t0\t1\t\t",
            "\t(三) 不予公开\t1.属于国家秘\n密\t0\t0\t0\t0\t0\t0\t0",
            "\t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0",
            "\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t\t0",
        ]
    )
    tables, findings, _ = normalise_tables(blocks_from_text(text))
    requests = tables["requests"]
    assert [requests.value("1", c) for c in column_keys("requests")] == [4, 0, 0, 0, 0, 0, 4]
    assert [requests.value("2", c) for c in column_keys("requests")] == [1, 0, 0, 0, 0, 0, 1]
    assert requests.value("3.3.1", "total") == 0
    # six numbers for seven columns: placed in order, the last column missing and named
    assert requests.cell("3.3.7", "total").state == "missing"
    incomplete = [f for f in findings if f.code == "row_incomplete"]
    assert [(f.row, "总计" in f.message) for f in incomplete] == [("3.3.7", True)]
    # seven cells, one of them blank: the blank stays in its column as text, never 0
    assert requests.cell("3.3.8", "other") == Cell(None, "", "text")
    assert requests.value("3.3.8", "total") == 0


def test_format_2019_is_recognised_and_unmapped_items_named():
    grid = [
        ["第二十条第（一）项"],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "1", "2", "3"],
        ["规范性文件", "4", "5", "6"],
        ["第二十条第（五）项"],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "10", "-1", "7"],
        ["其他对外管理服务事项", "3", "0", "2"],
        ["第二十条第（九）项"],
        ["信息内容", "采购项目数量", "采购总金额"],
        ["政府集中采购", "2", "35.5"],
    ]
    requests = [
        ["（六）其他处理", "1", "0", "0", "0", "0", "0", "1"],
        ["（七）总计", "1", "0", "0", "0", "0", "0", "1"],
    ]
    blocks = [
        Block("table", rows=grid),
        Block("heading", text="三、收到和处理政府信息公开申请情况"),
        Block("table", rows=requests),
    ]
    tables, findings, fmt = normalise_tables(blocks)
    assert fmt == "2019"
    active = tables["active"]
    assert active.value("regulations", "issued") == 1
    assert active.cell("regulations", "repealed").state == "missing"
    assert active.cell("regulations", "in_force").state == "missing"
    assert active.value("normative_documents", "issued") == 4
    assert active.value("licensing", "decisions") == 7
    assert tables["requests"].value("3.7", "total") == 1
    assert all(tables["requests"].cell(r, "total").state == "missing" for r in ("3.6.1", "3.6.2", "3.6.3"))
    unmapped = [f for f in findings if f.code == "format_2019_unmapped"]
    assert len(unmapped) == 1
    for name in ("本年新公开数量", "对外公开总数量", "政府集中采购", "其他对外管理服务事项"):
        assert name in unmapped[0].message
    unsplit = next(f for f in findings if f.code == "other_handling_unsplit")
    assert (unsplit.table, unsplit.row) == ("requests", "3.6.1")
    assert "自然人 1" in unsplit.message and "总计 1" in unsplit.message


def test_unlabelled_rows_are_not_guessed():
    grid = [
        ["一、本年新收政府信息公开申请数量", "2", "0", "0", "0", "0", "0", "2"],
        ["", "9", "9", "9", "9", "9", "9", "9"],
    ]
    tables, findings, _ = normalise_tables([Block("table", rows=grid)])
    assert all(cell.value != 9 for cols in tables["requests"].rows.values() for cell in cols.values())
    assert [f.code for f in findings] == ["row_unplaced"]


def test_no_blocks_gives_three_missing_tables():
    tables, findings, fmt = normalise_tables([])
    assert {k: t.status for k, t in tables.items()} == dict.fromkeys(
        ("active", "requests", "review_litigation"), "missing"
    )
    assert findings == [] and fmt == "2021"


# Real reports as agencies publish them, read by the HTML and PDF readers (issue 6) once they exist.
REAL_EXPECTED = {
    "pingtan-2023.html": {
        ("active", "normative_documents"): [77, 132, 470],
        ("active", "licensing"): [2629],
        ("active", "fees"): [Decimal("5949.088667")],
        ("requests", "1"): [80, 1, 0, 0, 0, 0, 81],
        ("requests", "3.4.1"): [31, 0, 0, 0, 0, 0, 31],
        ("requests", "3.7"): [80, 1, 0, 0, 0, 0, 81],
        ("review_litigation", "review"): [1, 1, 0, 0, 2],
        ("review_litigation", "litigation_direct"): [4, 0, 0, 1, 5],
        ("review_litigation", "litigation_after_review"): [1, 0, 1, 0, 2],
    },
    "pingtan-2024.html": {
        ("active", "fees"): [Decimal("18651.06")],
        ("requests", "1"): [217, 1, 0, 0, 0, 0, 218],
        ("requests", "3.6.3"): [1, 1, 0, 0, 0, 0, 2],
        ("review_litigation", "review"): [2, 1, 3, 1, 7],
        ("review_litigation", "litigation_after_review"): [13, 2, 4, 0, 19],
    },
    "pingtan-2025.html": {
        ("requests", "3.7"): [147, 1, 0, 0, 0, 0, 148],
        ("requests", "4"): [4, 2, 0, 0, 0, 0, 6],
        ("review_litigation", "review"): [25, 3, 8, 0, 36],
    },
    "hongze-2023.pdf": {
        ("active", "penalty"): [4119],
        ("active", "fees"): [Decimal("7730.28")],
        ("requests", "1"): [21, 0, 0, 0, 0, 0, 21],
        ("requests", "3.4.1"): [10, 0, 0, 0, 0, 0, 10],
        ("requests", "3.7"): [21, 0, 0, 0, 0, 0, 21],
        # printed so in the report: the check flags total 0 against 10 + 1
        ("review_litigation", "review"): [10, 1, 0, 0, 0],
        ("review_litigation", "litigation_after_review"): [5, 0, 0, 0, 0],
    },
    "hongze-2024.pdf": {
        ("active", "licensing"): [9487],
        ("requests", "1"): [95, 0, 0, 0, 0, 0, 95],
        ("requests", "3.1"): [50, 0, 0, 0, 0, 0, 50],
        ("review_litigation", "litigation_after_review"): [2, 0, 1, 0, 3],
    },
}


@pytest.mark.parametrize("name", sorted(REAL_EXPECTED))
def test_real_reports(name: str):
    from archive.readers import read_document

    tables, findings, fmt = normalise_tables(read_document(real_file(name)).blocks)
    for (key, row), values in REAL_EXPECTED[name].items():
        assert [tables[key].value(row, c) for c in column_keys(key, row)] == values, (key, row)
    assert fmt == "2021"
    if name.startswith("hongze"):
        # （六）其他处理 printed without its three sub-items: kept out of the table and named
        assert all(tables["requests"].cell(r, "total").state == "missing" for r in ("3.6.1", "3.6.2", "3.6.3"))
        unsplit = [f for f in findings if f.code == "other_handling_unsplit"]
        assert len(unsplit) == 1 and "总计 0" in unsplit[0].message
        assert not any(f.code in ("format_2019_unmapped", "requests_results_total") for f in findings)
    else:
        assert all(t.status == "complete" for t in tables.values())


def test_review_numbers_wrapped_over_two_lines():
    text = "\n".join(
        [
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议\t\t\t\t\t行政诉讼",
            "1\t0\t0\t0\t1\t0\t0\t0\t2",
            "2\t0\t0\t0\t0\t0",
        ]
    )
    tables, findings, _ = normalise_tables(blocks_from_text(text))
    review = tables["review_litigation"]
    values = [review.value(r, c) for r in row_keys("review_litigation") for c in column_keys("review_litigation")]
    assert values == [1, 0, 0, 0, 1, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0]
    assert findings == []


def test_review_numbers_cut_short_are_placed_in_order_and_named():
    tables, findings, _ = normalise_tables(blocks_from_text("行政复议\t\t行政诉讼\n0\t0\t0\t1\t1\t0\t0"))
    review = tables["review_litigation"]
    assert review.value("review", "total") == 1
    assert review.value("litigation_direct", "corrected") == 0
    assert review.cell("litigation_direct", "other").state == "missing"
    assert review.cell("litigation_after_review", "total").state == "missing"
    assert [f.code for f in findings] == ["row_incomplete"]


def test_blank_review_line_is_text_not_missing():
    grid = [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
        [""] * 15,
    ]
    tables, _, _ = normalise_tables([Block("table", rows=grid)])
    review = tables["review_litigation"]
    assert {(c.state, c.raw, c.value) for cols in review.rows.values() for c in cols.values()} == {("text", "", None)}


def test_review_rows_with_spaced_labels():
    grid = [
        ["", "结 果 维 持", "结 果 纠 正", "其 他 结 果", "尚 未 审 结", "总 计"],
        ["行 政 复 议", "1", "0", "0", "0", "1"],
        ["行政诉讼", "未经复议\n直接起诉", "0", "0", "0", "2", "2"],
        ["行政诉讼", "复议后起诉", "—", "—", "—", "—", "—"],
    ]
    tables, findings, _ = normalise_tables([Block("table", rows=grid)])
    review = tables["review_litigation"]
    assert [review.value("review", c) for c in column_keys("review_litigation")] == [1, 0, 0, 0, 1]
    assert review.value("litigation_direct", "pending") == 2
    assert {review.cell("litigation_after_review", c).raw for c in column_keys("review_litigation")} == {"—"}
    assert review.status == "complete" and findings == []


# Every value of the real reports' three tables, as the documents print them: rows in the schema's order,
# separated by " / "; "·" for a row the source does not have (Hongze prints （六）其他处理 as one row).
REAL_TABLES = {
    "pingtan-2023.html": {
        "active": "0 0 0 / 77 132 470 / 2629 / 1330 / 54 / 5949.088667",
        "requests": (
            "80 1 0 0 0 0 81 / 0 0 0 0 0 0 0 / 22 0 0 0 0 0 22 / 19 1 0 0 0 0 20 / 0 0 0 0 0 0 0 / "
            "0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / "
            "1 0 0 0 0 0 1 / 2 0 0 0 0 0 2 / 31 0 0 0 0 0 31 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / "
            "0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / "
            "1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / 80 1 0 0 0 0 81 / 0 0 0 0 0 0 0"
        ),
        "review_litigation": "1 1 0 0 2 / 4 0 0 1 5 / 1 0 1 0 2",
    },
    "pingtan-2024.html": {
        "active": "0 0 0 / 62 33 440 / 4529 / 1100 / 65 / 18651.06",
        "requests": (
            "217 1 0 0 0 0 218 / 0 0 0 0 0 0 0 / 71 0 0 0 0 0 71 / 29 0 0 0 0 0 29 / 4 0 0 0 0 0 4 / "
            "0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 3 0 0 0 0 0 3 / 32 0 0 0 0 0 32 / 0 0 0 0 0 0 0 / "
            "0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 75 0 0 0 0 0 75 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / "
            "0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / "
            "1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 1 1 0 0 0 0 2 / 217 1 0 0 0 0 218 / 0 0 0 0 0 0 0"
        ),
        "review_litigation": "2 1 3 1 7 / 0 0 0 0 0 / 13 2 4 0 19",
    },
    "pingtan-2025.html": {
        "active": "0 0 0 / 58 45 546 / 2418 / 644 / 64 / 4166.241619",
        "requests": (
            "151 3 0 0 0 0 154 / 0 0 0 0 0 0 0 / 33 0 0 0 0 0 33 / 38 0 0 0 0 0 38 / 0 0 0 0 0 0 0 / "
            "0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 3 0 0 0 0 0 3 / 2 0 0 0 0 0 2 / "
            "3 0 0 0 0 0 3 / 3 0 0 0 0 0 3 / 49 1 0 0 0 0 50 / 3 0 0 0 0 0 3 / 0 0 0 0 0 0 0 / "
            "2 0 0 0 0 0 2 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / "
            "8 0 0 0 0 0 8 / 2 0 0 0 0 0 2 / 1 0 0 0 0 0 1 / 147 1 0 0 0 0 148 / 4 2 0 0 0 0 6"
        ),
        "review_litigation": "25 3 8 0 36 / 3 3 0 0 6 / 3 0 0 0 3",
    },
    "hongze-2023.pdf": {
        "active": "0 0 0 / 0 5 5 / 550 / 4119 / 195 / 7730.28",
        "requests": (
            "21 0 0 0 0 0 21 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 4 0 0 0 0 0 4 / 1 0 0 0 0 0 1 / "
            "0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / "
            "1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 10 0 0 0 0 0 10 / 3 0 0 0 0 0 3 / 0 0 0 0 0 0 0 / "
            "1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / "
            "· / · / · / 21 0 0 0 0 0 21 / 0 0 0 0 0 0 0"
        ),
        "review_litigation": "10 1 0 0 0 / 0 0 0 0 0 / 5 0 0 0 0",
    },
    "hongze-2024.pdf": {
        "active": "0 0 0 / 3 0 8 / 9487 / 2776 / 84 / 7545",
        "requests": (
            "95 0 0 0 0 0 95 / 0 0 0 0 0 0 0 / 50 0 0 0 0 0 50 / 9 0 0 0 0 0 9 / 0 0 0 0 0 0 0 / "
            "0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 1 0 0 0 0 0 1 / "
            "1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 31 0 0 0 0 0 31 / 1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / "
            "1 0 0 0 0 0 1 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / 0 0 0 0 0 0 0 / "
            "· / · / · / 95 0 0 0 0 0 95 / 0 0 0 0 0 0 0"
        ),
        "review_litigation": "1 1 0 0 2 / 1 0 0 0 1 / 2 0 1 0 3",
    },
}


def _printed(table: Table) -> str:
    rows = []
    for row in row_keys(table.key):
        cells = [table.cell(row, column) for column in column_keys(table.key, row)]
        if all(cell.state == "missing" for cell in cells):
            rows.append("·")
        else:
            assert all(cell.state == "number" for cell in cells), (table.key, row, cells)
            rows.append(" ".join(cell.raw or "" for cell in cells))
    return " / ".join(rows)


@pytest.mark.parametrize("name", sorted(REAL_TABLES))
def test_every_value_of_the_real_reports(name: str):
    from archive.readers import read_document

    tables, _, _ = normalise_tables(read_document(real_file(name)).blocks)
    for key, printed in REAL_TABLES[name].items():
        assert _printed(tables[key]) == printed, key
