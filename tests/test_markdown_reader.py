"""Markdown read as Markdown: what PDF-to-Markdown converters write reads like the report it came from."""

from __future__ import annotations

from pathlib import Path

from archive.pipeline import load_report
from archive.readers import read_document

CONVERTED = """正文

#某某县人民政府
# 2023年政府信息公开工作年度报告

## 一、总体情况

2023年，**某某县人民政府**按照[《条例》](https://example.gov.cn/tiaoli)要求推进政务公开。
（一）主动公开
全年主动公开政府信息*1200*条。

1. 加强组织领导
2. 完善工作制度

## 二、主动公开政府信息情况
表1 主动公开情况
| 第二十条第（一）项 | | | |
|---|---|---|---|
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 0 | 0 | 0 |
| 行政规范性文件 | 3 | 1 | 25 |

## 五、存在的主要问题及改进情况

政策解读形式较为单一。

## 六、其他需要报告的事项

无。
"""


def test_headings_by_level_and_the_title_split_over_two_heading_lines(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(CONVERTED, "utf-8")
    report = load_report(path)
    assert report.title == "某某县人民政府2023年政府信息公开工作年度报告"
    assert report.agency == "某某县人民政府"
    assert report.parts_found == ["一", "二", "五", "六"]


def test_pipe_tables_are_grids_and_a_caption_right_above_does_not_hide_them(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(CONVERTED, "utf-8")
    report = load_report(path)
    active = report.tables["active"]
    assert [active.value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [3, 1, 25]
    assert not active.cell("regulations", "issued").inferred


def test_emphasis_and_links_are_text_and_numbered_lines_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(CONVERTED, "utf-8")
    document = read_document(path)
    texts = [b.text for b in document.blocks if b.kind != "table"]
    assert "正文" not in texts
    assert "2023年，某某县人民政府按照《条例》要求推进政务公开。" in texts
    assert "（一）主动公开" in texts and "全年主动公开政府信息1200条。" in texts
    assert "1. 加强组织领导" in texts and "2. 完善工作制度" in texts
    assert not any("*" in t or "](" in t or t.startswith("#") for t in texts)
    report = load_report(path)
    part_one = report.part("一")
    assert part_one is not None and [c.heading for c in part_one.children][:1] == ["（一）主动公开"]


def test_an_html_table_a_converter_wrote_into_the_markdown_is_a_grid_with_its_merged_cells(tmp_path: Path) -> None:
    """MinerU and others write tables as HTML inside the Markdown, merged cells as rowspan/colspan."""
    text = (
        "# 某某县人民政府2023年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n"
        "<table><tr><td colspan=\"4\">第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
        "<tr><td>行政规范性文件</td><td>4</td><td>1</td><td>30</td></tr></table>\n"
    )
    path = tmp_path / "report.md"
    path.write_text(text, "utf-8")
    (table,) = read_document(path).tables()
    assert table.rows[0] == ["第二十条第（一）项"] * 4
    active = load_report(path).tables["active"]
    assert [active.value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [4, 1, 30]


def test_crawler_headers_with_english_keys_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("Title: 某某县人民政府2023年政府信息公开工作年度报告\nURL: https://example.gov.cn/1.htm\n"
                    "Date: 2024-01-20\n\n## 一、总体情况\n\n本县推进政务公开。\n", "utf-8")
    report = load_report(path)
    assert report.title == "某某县人民政府2023年政府信息公开工作年度报告"
    assert report.agency == "某某县人民政府" and report.publication_date == "2024-01-20"
