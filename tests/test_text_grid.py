"""find_table_runs: table regions and grids in the lines of the text samples."""

from __future__ import annotations

from pathlib import Path

from archive.readers.text_grid import find_table_runs

SAMPLES = Path(__file__).resolve().parent.parent / "content" / "reports"


def sample_lines(name: str) -> list[str]:
    return (SAMPLES / name).read_text("utf-8-sig").split("\n")


def test_tab_separated_rows_keep_every_cell_and_stop_at_headings():
    lines = sample_lines("wenxian-xianzhengfu-ban-2023.txt")
    runs = find_table_runs(lines)
    assert [(start, end) for start, end, _ in runs] == [(30, 44), (47, 75), (78, 82)]
    active = runs[0][2]
    assert active[0] == ["第二十条第（一）项", "", "", ""]
    assert active[3] == ["行政规范性文件", "5", "0", "27"]
    requests = runs[1][2]
    assert requests[3] == ["一、本年新收政府信息公开申请数量", "", "16", "0", "0", "0", "0", "0", "16", ""]
    assert requests[-1][0] == "四、结转下年度继续办理"
    assert runs[2][2][-1] == ["0"] * 15


def test_one_cell_per_line_rows_are_separated_by_blank_lines():
    lines = sample_lines("anqiu-guanzhuangzhen-2023.txt")
    runs = find_table_runs(lines)
    assert len(runs) == 3
    start, end, requests = runs[1]
    assert lines[start - 1] == "三、收到和处理政府信息公开申请情况"
    assert requests[2] == ["", "", "商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert requests[3] == ["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"]
    assert requests[5] == ["三、本年度办理结果", "（一）予以公开", "3", "0", "0", "0", "0", "0", "3"]
    review = runs[2][2]
    assert review[1][1] == "结果\n纠正"
    assert review[-1] == ["0"] * 15
    assert end < lines.index("五、存在的主要问题及改进情况")


def test_group_rows_with_trailing_tabs_belong_to_the_table():
    runs = find_table_runs(
        ["二、主动公开政府信息情况", "", "第二十条第（一）项\t\t\t", "规章\t0\t0\t0", "", "三、收到"]
    )
    assert runs == [(2, 4, [["第二十条第（一）项", "", "", ""], ["规章", "0", "0", "0"]])]


def test_prose_and_part_headings_are_not_table_lines():
    lines = [
        "\t一、总体情况",
        "\t2023年，本机关认真贯彻落实上级决策部署，政府信息公开工作稳步推进，取得了较好的成效，现报告如下。",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t3\t0",
    ]
    runs = find_table_runs(lines)
    assert runs == [(3, 4, [["一、本年新收政府信息公开申请数量", "3", "0"]])]


def test_wrapped_label_between_tab_lines_joins_the_cell_before_it():
    lines = [
        "行政复议\t\t行政诉讼",
        "结果",
        "维持\t0",
        "正文段落继续写下去，这里已经不是表格了，而是一段很长的说明文字。",
    ]
    assert find_table_runs(lines) == [(0, 3, [["行政复议", "", "行政诉讼\n结果"], ["维持", "0"]])]


def test_no_tables_and_empty_input():
    assert find_table_runs([]) == []
    assert find_table_runs(["一、总体情况", "", "正文。"]) == []


def test_every_sample_run_is_bounded_and_non_empty():
    for path in sorted(SAMPLES.glob("*.txt")):
        lines = path.read_text("utf-8-sig").split("\n")
        previous_end = 0
        for start, end, grid in find_table_runs(lines):
            assert previous_end <= start < end <= len(lines)
            assert "\t" in lines[start] and grid
            previous_end = end


def test_markdown_pipe_tables():
    lines = [
        "二、主动公开政府信息情况",
        "",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| --- | :---: | --- | --- |",
        "| 规章 | 0 | 0 | 1 |",
        "| 第二十条第（五）项 |",
        "",
        "正文。",
    ]
    runs = find_table_runs(lines)
    assert runs == [
        (
            2,
            6,
            [
                ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                ["规章", "0", "0", "1"],
                ["第二十条第（五）项", ""],
            ],
        )
    ]


def test_short_label_line_after_values_is_a_row_of_its_own():
    lines = ["规章\t0\t0\t0", "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t0", "企业", "行政处罚\t0"]
    assert find_table_runs(lines) == [
        (
            0,
            6,
            [
                ["规章", "0", "0", "0"],
                ["第二十条第（五）项"],
                ["信息内容", "本年处理决定数量"],
                ["行政许可", "0"],
                ["企业"],
                ["行政处罚", "0"],
            ],
        )
    ]
