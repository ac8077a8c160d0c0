"""The text reader on what crawlers and browsers save: a crawler's header, the portal's furniture."""

from __future__ import annotations

from pathlib import Path

from archive.readers import read_document
from archive.readers.crawl_header import read_crawl_header
from archive.readers.page_chrome import cut_page_chrome

HEADER = """标题: 某某县人民政府2023年政府信息公开工作年度报告
发布时间: 2024-01-15 10:00
文号:
发布机构: 某某县人民政府办公室
原文链接: https://www.example.gov.cn/t20240115_1.htm
页面链接与图片详见 links.tsv(同目录)
==================== 正文 ====================
"""


def _read(text: str, tmp_path: Path, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return read_document(path)


def test_a_crawler_header_gives_title_date_and_publisher_and_is_not_text(tmp_path: Path) -> None:
    document = _read(HEADER + "一、总体情况 2023年，本县推进政务公开。", tmp_path)
    assert document.title == "某某县人民政府2023年政府信息公开工作年度报告"
    assert document.date == "2024-01-15 10:00"
    assert document.publisher == "某某县人民政府办公室"
    text = "\n".join(b.text for b in document.blocks)
    assert "标题" not in text and "原文链接" not in text and "links.tsv" not in text and "=====" not in text


def test_one_key_line_is_the_report_s_own_text_not_a_header() -> None:
    assert read_crawl_header(["标题：关于政务公开的说明", "一、总体情况"]) is None
    header = read_crawl_header(HEADER.splitlines())
    assert header is not None and header.lines == 7


def test_furniture_before_the_body_is_cut_and_the_page_title_kept() -> None:
    line = (
        "当前位置： 首页政务公开政府信息公开年报 某县2011年政府信息公开工作年度报告 来源：某县政府办 "
        "时间：2012-04-11 00:00 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> 本报告根据《条例》编制。 附件下载"
    )
    lines, hints = cut_page_chrome([line])
    assert lines == ["某县2011年政府信息公开工作年度报告", "本报告根据《条例》编制。"]
    assert hints.publisher == "某县政府办" and hints.date == "2012-04-11 00:00"


def test_furniture_lines_above_the_title_are_dropped() -> None:
    lines, _ = cut_page_chrome(
        ["正文", "当前位置：首页 › 政务公开 › 年报", "字号 大 中 小", "打印", "关闭", "分享到：", "某县2023年政府信息公开工作年度报告", "一、总体情况"]
    )
    assert [line for line in lines if line.strip()] == ["某县2023年政府信息公开工作年度报告", "一、总体情况"]


def test_the_same_words_inside_the_report_are_its_own() -> None:
    lines, _ = cut_page_chrome(["某县2023年政府信息公开工作年度报告", "一、总体情况", "具体数据详见附件", "六、其他需要报告的事项 无。"])
    assert lines[2] == "具体数据详见附件"
    assert lines[-1] == "六、其他需要报告的事项 无。"


def test_bracketed_keys_and_the_body_s_own_key(tmp_path: Path) -> None:
    text = (
        "【标题】某某县人民政府2023年政府信息公开工作年度报告\n【发布日期】2024-01-15\n【来源】某某县人民政府办公室\n"
        "【正文】一、总体情况 2023年，本县推进政务公开。\n"
    )
    document = _read(text, tmp_path)
    assert (document.title, document.date, document.publisher) == (
        "某某县人民政府2023年政府信息公开工作年度报告", "2024-01-15", "某某县人民政府办公室"
    )
    body = "\n".join(b.text for b in document.blocks)
    assert body.startswith("一、总体情况") and "【" not in body


def test_english_keys_with_the_body_on_the_content_line(tmp_path: Path) -> None:
    text = (
        "title: 某某县人民政府2023年政府信息公开工作年度报告\nurl: https://www.example.gov.cn/a.html\n"
        "publish_time: 2024-01-15 10:00\ncontent: 一、总体情况 2023年，本县推进政务公开。\n"
    )
    document = _read(text, tmp_path)
    assert document.date == "2024-01-15 10:00"
    body = "\n".join(b.text for b in document.blocks)
    assert body.startswith("一、总体情况") and "content" not in body


def test_a_lone_body_key_on_the_first_line_is_not_a_header() -> None:
    assert read_crawl_header(["正文：", "一、总体情况"]) is None
