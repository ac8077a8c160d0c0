"""Reports as a website crawler saved them: header lines, then the whole portal page on one line.

Three are the same reports as the portal pages in the sample corpus, whose HTML is their truth;
five are from before the standard formats (2011–2017).
"""

from __future__ import annotations

import pytest
from real_files import crawled_files, real_file

from archive.pipeline import load_report
from archive.synth.variants import compare_cells

OLDER = [p for p in crawled_files() if int(p.stem.split("-")[1]) < 2019]
SAME_AS_PORTAL = [p for p in crawled_files() if int(p.stem.split("-")[1]) >= 2019]


def test_the_crawled_files_are_all_there() -> None:
    assert len(OLDER) == 5 and len(SAME_AS_PORTAL) == 3


@pytest.mark.parametrize("path", SAME_AS_PORTAL, ids=lambda p: p.name)
def test_a_crawled_page_gives_what_its_portal_page_gives(path) -> None:
    crawled = load_report(path)
    portal = load_report(real_file(path.name.replace("-crawled.txt", ".html")))
    assert (crawled.agency, crawled.year, crawled.format) == (portal.agency, portal.year, portal.format)
    assert crawled.title == portal.title and crawled.publication_date == portal.publication_date
    assert crawled.parts_found == portal.parts_found == ["一", "二", "三", "四", "五", "六"]
    cells = compare_cells(portal, crawled)
    assert cells.different == []
    assert cells.equal == 197 and cells.null == 3  # 表二 行政规范性文件: three numbers no arithmetic can cut


@pytest.mark.parametrize("path", SAME_AS_PORTAL, ids=lambda p: p.name)
def test_a_row_that_cannot_be_cut_is_null_with_a_finding_naming_it(path) -> None:
    report = load_report(path)
    row = report.tables["active"].rows["normative_documents"]
    assert all(cell.value is None and cell.state == "text" and not cell.inferred for cell in row.values())
    raw = row["issued"].raw
    assert raw and raw.isdigit()
    finding = next(f for f in report.findings if f.code == "digits_run_together")
    assert (finding.table, finding.row) == ("active", "normative_documents")
    assert raw in finding.message and "行政规范性文件" in finding.message


@pytest.mark.parametrize("path", SAME_AS_PORTAL, ids=lambda p: p.name)
def test_split_cells_are_marked_inferred_and_keep_their_raw_digits(path) -> None:
    report = load_report(path)
    cell = report.tables["requests"].cell("1", "total")
    assert cell.inferred and cell.state == "number"
    assert cell.raw and cell.raw.isdigit() and str(cell.value) in cell.raw
    assert report.to_dict()["tables"]["requests"]["1"]["total"]["inferred"] is True
    assert report.tables["active"].cell("licensing", "decisions").inferred is False  # one cell: printed as it is


@pytest.mark.parametrize("path", OLDER, ids=lambda p: p.name)
def test_a_report_from_before_2019_is_named_as_such_with_its_parts_and_no_tables(path) -> None:
    report = load_report(path)
    assert report.format == "pre2019"
    assert report.year is not None and 2011 <= report.year <= 2017
    assert report.tables == {}
    assert [f.code for f in report.findings] == ["format_pre2019"]
    parts = [s for s in report.sections if s.level == 1]
    assert len(parts) >= 4
    assert parts[0].title == "概述" and parts[0].part == "一"
    assert "五" in report.parts_found  # its problems and improvements, whatever its number


def test_older_parts_keep_their_titles_and_map_by_meaning() -> None:
    report = load_report(real_file("crawled/pingtan-2016-crawled.txt"))
    parts = {s.number: (s.title, s.part) for s in report.sections if s.level == 1}
    assert parts["三"] == ("政府信息依申请公开工作情况", "三")
    assert parts["四"] == ("政府信息公开的收费及减免情况", "")
    assert parts["五"] == ("因政府信息公开申请行政复议、提起行政诉讼的情况", "四")
    assert parts["六"] == ("主要问题和改进措施", "五")
    assert parts["七"][1] == ""
    assert "3460" in report.part("二").children[0].text  # its figures stay in its text


def test_the_title_agency_and_date_come_from_the_crawler_header_and_never_its_keys() -> None:
    report = load_report(real_file("crawled/pingtan-2014-crawled.txt"))
    assert report.title == "平潭综合实验区管委会2014年度政府信息公开工作年度报告"
    assert report.agency == "平潭综合实验区管委会"  # not the page's 来源：平潭县人民政府
    assert report.publication_date == "2015-01-02"
    intro = report.sections[0]
    assert intro.title == "引言" and intro.text.startswith("根据《中华人民共和国政府信息公开条例》")
    assert not any(word in intro.text for word in ("当前位置", "微信", "QQ空间", "相关链接", "-->"))
    last = report.all_sections()[-1][1]
    assert not last.text.endswith("附件下载")


def test_the_downloads_name_the_split_cells() -> None:
    from site_builder.database import _cell_rows
    from site_builder.site import ReportEntry
    from site_builder.table_downloads import table_rows

    report = load_report(SAME_AS_PORTAL[0])
    rows = {(r["table"], r["row"]): r for r in table_rows(ReportEntry(report=report, slug="x"), report)}
    assert "total" in rows[("requests", "1")]["inferred_cells"].split()
    assert rows[("active", "normative_documents")]["inferred_cells"] == ""
    assert rows[("active", "normative_documents")]["issued"] == ""  # not a number, and not a guess
    facets = {"year": report.year, "province": None, "agency_id": None}
    cells = {(c[1], c[2], c[3]): c for c in _cell_rows(report, facets)}
    assert cells[("requests", "1", "total")][7] == 1
    assert cells[("active", "licensing", "decisions")][7] == 0
