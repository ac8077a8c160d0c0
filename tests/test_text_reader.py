"""The text reader: paragraphs, page furniture, paragraphs cut by a page break, tables, Markdown."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from archive.pipeline import load_report
from archive.readers import read_document
from archive.readers.cleanup import clean_line
from archive.readers.document import Document


def _read(text: str, name: str = "report.txt") -> Document:
    return read_document(Path(name), text.encode("utf-8"))


def _paragraphs(document: Document) -> list[str]:
    return [b.text for b in document.blocks if b.kind == "paragraph"]


def test_a_paragraph_cut_by_a_page_break_is_joined(sample_path) -> None:
    paragraphs = _paragraphs(read_document(sample_path("jinxiang")))
    joined = [p for p in paragraphs if "季度检测、年度评估相结合" in p]
    assert len(joined) == 1
    assert joined[0].startswith("一是常态化监测政府网站")
    assert joined[0].endswith("确保各项指标全部落实到位。")
    assert any("高质量做好各项政务公开工作。二是拓宽" in p for p in paragraphs)
    assert any("“公开为常态、不公开为例外”" in p for p in paragraphs)
    assert not any(p.startswith(("度评估", "务公开工作", "公开为例外")) for p in paragraphs)


def test_headings_short_lines_and_dates_are_not_joined(sample_path) -> None:
    paragraphs = _paragraphs(read_document(sample_path("guanzhuang")))
    assert "（一）主动公开" in paragraphs
    assert "1.体制机制建设情况" in paragraphs
    assert paragraphs[-2:] == ["安丘市官庄镇人民政府", "2024年1月23日"]
    huji = _paragraphs(read_document(sample_path("huji")))
    assert "一是健全组织，责任到人" in huji


def test_a_point_run_after_a_cut_line_starts_a_new_paragraph(sample_path) -> None:
    huji = _paragraphs(read_document(sample_path("huji")))
    assert any(p.startswith("二是建立规章制度，落实公开内容。") for p in huji)


def test_page_furniture_is_dropped_and_the_sentence_joined() -> None:
    text = (
        "某县人民政府办公室 2023 年政府信息公开工作年度报告\n\n"
        "一、总体情况\n\n"
        "2023 年，我县坚持以人民为中心，不断拓展公开的广度和深度，加大重点领\n\n"
        "- 1 -\n\f"
        "某县政务公开年报\n"
        "域信息公开力度。\n\n"
        "第 2 页\n"
        "二、主动公开政府信息情况\n\n"
        "本年主动公开信息 610 余条，坚持日常抽查、季度检测、年\n"
        "2/5\n"
        "某县政务公开年报\n\n"
        "度评估相结合。\n"
        "Page 3 of 5\n"
        "某县政务公开年报\n"
        "三、收到和处理政府信息公开申请情况\n"
    )
    paragraphs = _paragraphs(_read(text))
    assert paragraphs == [
        "某县人民政府办公室 2023 年政府信息公开工作年度报告",
        "一、总体情况",
        "2023 年，我县坚持以人民为中心，不断拓展公开的广度和深度，加大重点领域信息公开力度。",
        "二、主动公开政府信息情况",
        "本年主动公开信息 610 余条，坚持日常抽查、季度检测、年度评估相结合。",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_a_running_header_that_repeats_the_title_keeps_the_title() -> None:
    title = "某县2023年政府信息公开工作年度报告"
    text = f"{title}\n\n一、总体情况\n\n正文第一段。\n\n{title}\n\n正文第二段。\n\n{title}\n二、主动公开政府信息情况\n"
    assert _paragraphs(_read(text)) == [title, "一、总体情况", "正文第一段。", "正文第二段。", "二、主动公开政府信息情况"]


def test_tables_become_table_blocks_in_place(sample_path) -> None:
    document = read_document(sample_path("wenxian"))
    kinds = [(b.kind, b.text[:12]) for b in document.blocks]
    active = kinds.index(("paragraph", "二、主动公开政府信息情况"))
    assert document.blocks[active + 1].kind == "table"
    assert document.blocks[active + 2].text.startswith("三、收到和处理")
    assert len(document.tables()) == 3
    assert not any("\t" in b.text for b in document.text_blocks())


def test_markdown_headings_emphasis_and_pipe_tables() -> None:
    text = (
        "# 某镇人民政府2023年政府信息公开工作年度报告\n\n"
        "## 一、总体情况\n\n"
        "本年度**依法依规**做好公开工作，详见[门户网站](http://example.gov.cn)。\n\n"
        "## 二、主动公开政府信息情况\n\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "|---|---|---|---|\n"
        "| 规章 | 0 | 0 | 0 |\n"
        "| 行政规范性文件 | 2 | 0 | 8 |\n"
    )
    document = _read(text, "report.md")
    assert document.source_format == "md"
    headings = [(b.text, b.level) for b in document.blocks if b.kind == "heading"]
    assert headings == [
        ("某镇人民政府2023年政府信息公开工作年度报告", 1),
        ("一、总体情况", 2),
        ("二、主动公开政府信息情况", 2),
    ]
    assert "本年度依法依规做好公开工作，详见门户网站。" in _paragraphs(document)
    assert document.tables()[0].rows[-1] == ["行政规范性文件", "2", "0", "8"]


def test_bold_marks_left_in_extracted_text_are_removed(sample_path) -> None:
    paragraphs = _paragraphs(read_document(sample_path("dongfeng")))
    assert any("一是加强组织领导。" in p for p in paragraphs)
    assert not any("**" in p for p in paragraphs)


@given(st.lists(st.text(alphabet="政府信息公开年报告。，：一二是 ", max_size=30), max_size=25))
def test_running_text_is_neither_lost_nor_invented(lines: list[str]) -> None:
    text = "\n".join(lines)
    if not text.strip():
        return
    document = _read(text)
    kept = "".join(b.text for b in document.blocks).replace(" ", "")
    written = [line.replace(" ", "") for line in lines if line.strip()]
    cleaned = [clean_line(line) for line in lines if line.strip()]
    # a line printed three times or more may be a page's running header, which is dropped (its blanks count)
    repeated = {line for line in cleaned if cleaned.count(line) >= 3 and len(line) >= 4}
    if not repeated:
        assert kept == "".join(written)
    assert all(b.kind == "paragraph" for b in document.blocks)


def test_a_running_header_after_a_table_is_dropped_too() -> None:
    header = "某县政务公开年度报告页眉"
    text = (
        f"{header}\n某县2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n{header}\n"
        "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t2\t0\t8\n\n"
        f"{header}\n三、收到和处理政府信息公开申请情况\n"
    )
    assert header not in _paragraphs(_read(text))[1:]


def test_a_page_number_between_table_rows_does_not_become_a_cell() -> None:
    text = (
        "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
        "- 3 -\n行政规范性文件\t2\t0\t8\n第 4 页\n三、收到和处理政府信息公开申请情况\n"
    )
    document = _read(text)
    cells = [cell for table in document.tables() for row in table.rows for cell in row]
    assert "8" in cells
    assert not any("3 -" in cell or "页" in cell for cell in cells)
    assert _paragraphs(document) == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def test_one_cell_per_line_tables_keep_their_lone_numbers(sample_path) -> None:
    document = read_document(sample_path("guanzhuang"))
    cells = [cell for table in document.tables() for row in table.rows for cell in row]
    assert cells.count("3") >= 4  # 3 requests: new, 予以公开, total, each with its total column
    assert load_report(sample_path("guanzhuang")).tables["requests"].value("1", "total") == 3


def test_bare_numbers_one_per_line_are_kept_but_a_lone_one_is_a_page_number() -> None:
    document = _read("正文第一段。\n\n7\n\n规章\n0\n0\n3\n\n正文第二段。\n")
    assert _paragraphs(document) == ["正文第一段。", "规章", "0", "0", "3", "正文第二段。"]
