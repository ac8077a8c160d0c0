"""A report flattened onto one line gets its parts, sub-headings and tables back."""

from __future__ import annotations

from archive.parse.flattened import part_headings, restore_structure
from archive.readers.document import Block

FLAT = (
    "某县2023年政府信息公开工作年度报告 本报告根据《条例》编制。一、总体情况 2023年，本县推进政务公开。"
    "（一）主动公开方面全年公开信息1200条。（二）依申请公开。全年收到申请3件。"
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件3125"
    "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量3000003二、上年结转政府信息公开申请数量0000000四、结转下年度继续办理0000000"
    "五、存在的主要问题及改进情况一是政策解读不够。统一、规范的做法仍需探索。六、其他需要报告的事项无。"
)


def test_parts_are_found_by_their_titles_and_numbering_not_by_table_rows_or_words() -> None:
    found = [h.text for h in part_headings(FLAT)]
    assert found == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_older_titles_and_titles_before_a_blank() -> None:
    text = "前言。一、 概述 本区推进公开。二、主动公开政府信息情况 全年公开1000条。三、本区统计数据汇总 指标名称 计量单位"
    assert [h.text for h in part_headings(text)] == ["一、概述", "二、主动公开政府信息情况", "三、本区统计数据汇总"]


def test_a_title_of_its_own_run_into_its_text_ends_where_a_year_begins() -> None:
    text = "一、概述 本区推进公开。二、主要做法2014年，我区推进公开。三、结转下年度继续办理0000000"
    assert [h.text for h in part_headings(text)] == ["一、概述", "二、主要做法"]


def test_a_flattened_page_becomes_title_parts_sub_headings_and_a_table() -> None:
    blocks = restore_structure([Block("paragraph", FLAT)])
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings[0] == "某县2023年政府信息公开工作年度报告"
    assert "（一）主动公开方面" in headings and "（二）依申请公开" in headings
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    assert "全年公开信息1200条。" in paragraphs and "全年收到申请3件。" in paragraphs
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 2 and all(t.run_together for t in tables)
    assert ["规章", "000"] in tables[0].rows and ["行政规范性文件", "3125"] in tables[0].rows


def test_rows_printed_one_a_line_with_their_cells_run_together_become_one_table() -> None:
    lines = ["（三）不予公开", "1.属于国家秘密0000000", "2.其他法律行政法规禁止公开0000000", "下一段是正文。"]
    blocks = restore_structure([Block("paragraph", line) for line in lines])
    assert [b.kind for b in blocks] == ["table", "paragraph"]
    assert blocks[0].rows[0] == ["(三)不予公开"]


def test_a_sentence_with_figures_is_not_a_table() -> None:
    blocks = restore_structure([Block("paragraph", "全年主动公开政府信息13561条。"), Block("paragraph", "规章3件")])
    assert [b.kind for b in blocks] == ["paragraph", "paragraph"]
