"""Agency, year, title, publication date and region of a report."""

from __future__ import annotations

import pytest

from archive.model import Region
from archive.parse import parse_document
from archive.parse.meta import recognise_meta
from archive.parse.regions import find_region, region_for_code
from archive.readers import read_document
from archive.readers.document import Block, Document

EXPECTED = {
    "jinxiang": ("金乡县人民政府办公室", 2023, "金乡县人民政府办公室2023年政府信息公开工作年度报告", ("山东省", "济宁市", "金乡县", "370828")),
    "wenxian": ("温县人民政府办公室", 2023, "温县人民政府办公室2023年政府信息公开工作年度报告", ("河南省", "焦作市", "温县", "410825")),
    "guanzhuang": ("安丘市官庄镇人民政府", 2023, "安丘市官庄镇人民政府2023年政府信息公开工作年度报告", ("山东省", "潍坊市", "安丘市", "370784")),
    "huji": ("金乡县胡集镇人民政府", 2022, "金乡县胡集镇人民政府2022年政府信息公开工作年度报告", ("山东省", "济宁市", "金乡县", "370828")),
    "dongfeng": ("董封乡人民政府", 2023, "董封乡人民政府2023年政府信息公开工作年度报告", ("山西省", "晋城市", "阳城县", "140522")),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_agency_year_title_and_region_of_every_sample(sample_path, name: str) -> None:
    report = parse_document(read_document(sample_path(name)))
    agency, year, title, region = EXPECTED[name]
    assert report.agency == agency
    assert report.year == year
    assert report.title == title
    assert report.region == Region(*region)


def test_title_split_over_two_lines_is_joined_and_not_body_text(sample_path) -> None:
    report = parse_document(read_document(sample_path("dongfeng")))
    assert report.title == "董封乡人民政府2023年政府信息公开工作年度报告"
    assert report.sections[0].number == "一"  # the two title lines are not a preamble


def test_publication_date_where_printed(sample_path) -> None:
    assert parse_document(read_document(sample_path("guanzhuang"))).publication_date == "2024-01-23"
    assert parse_document(read_document(sample_path("wenxian"))).publication_date is None


def test_the_year_reported_on_is_not_the_publication_year() -> None:
    blocks = [
        Block("paragraph", "某县人民政府2023年政府信息公开工作年度报告"),
        Block("paragraph", "一、总体情况"),
        Block("paragraph", "2024年1月，我县总结了上一年度工作。"),
        Block("paragraph", "某县人民政府"),
        Block("paragraph", "2024年1月20日"),
    ]
    meta = recognise_meta(blocks)
    assert (meta.year, meta.publication_date, meta.agency) == (2023, "2024-01-20", "某县人民政府")


def test_container_title_and_date_are_fallbacks_only() -> None:
    body = [Block("paragraph", "一、总体情况"), Block("paragraph", "本年度主动公开信息。")]
    document = Document(body, "page.html", "html", title="温县人民政府办公室2023年政府信息公开工作年度报告", date="2024-01-30")
    report = parse_document(document)
    assert (report.agency, report.year, report.publication_date) == ("温县人民政府办公室", 2023, "2024-01-30")
    assert report.region.county == "温县"
    printed = Document([Block("paragraph", "金乡县人民政府办公室 2022 年政府信息公开工作年度报告"), *body], "p.html", "html", title="首页")
    assert parse_document(printed).title == "金乡县人民政府办公室2022年政府信息公开工作年度报告"


def test_agency_from_the_compiler_sentence_when_the_title_has_none() -> None:
    blocks = [
        Block("paragraph", "2023年政府信息公开工作年度报告"),
        Block("paragraph", "本报告由胡集镇人民政府按照《中华人民共和国政府信息公开条例》要求编制。"),
        Block("paragraph", "一、总体情况"),
    ]
    assert recognise_meta(blocks).agency == "胡集镇人民政府"


def test_region_of_a_town_from_the_portal_named_in_the_text() -> None:
    text = "本报告电子版可从“阳城县人民政府”门户网站(www.yczf.gov.cn)下载"
    assert find_region("董封乡人民政府", text) == Region("山西省", "晋城市", "阳城县", "140522")
    assert find_region("董封乡人民政府", "") == Region()


def test_ambiguous_names_are_not_guessed() -> None:
    assert find_region("鼓楼区人民政府", "") == Region()  # 鼓楼区 is in several provinces
    assert find_region("鼓楼区人民政府", "福州市鼓楼区人民政府门户网站").county == "鼓楼区"
    assert find_region("福州市鼓楼区人民政府").code == "350102"
    assert find_region("江苏省鼓楼区人民政府") == Region("江苏省", None, None, "320000")


def test_municipalities_provincial_counties_and_cities() -> None:
    assert find_region("北京市东城区人民政府") == Region("北京市", None, "东城区", "110101")
    assert find_region("仙桃市人民政府") == Region("湖北省", None, "仙桃市", "429004")
    assert find_region("淮安市洪泽区人民政府").path == ["江苏省", "淮安市", "洪泽区"]
    assert find_region("济宁市人民政府") == Region("山东省", "济宁市", None, "370800")
    assert region_for_code("370828000000") == Region("山东省", "济宁市", "金乡县", "370828")


def test_places_no_package_knows_come_from_the_staff_file() -> None:
    assert find_region("平潭综合实验区管委会") == Region("福建省", "福州市", "平潭县", "350128")


def test_a_portal_page_title_is_cut_to_the_report_title() -> None:
    body = [Block("paragraph", "一、总体情况"), Block("paragraph", "2023年，平潭综合实验区管委会坚持依法公开。")]
    page_title = "平潭综合实验区2023年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会"
    report = parse_document(Document(body, "page.html", "html", title=page_title))
    assert report.title == "平潭综合实验区2023年度政府信息公开工作年度报告"
    assert report.agency == "平潭综合实验区管委会"
    assert report.region.code == "350128"
    site_only = parse_document(Document(body, "page.html", "html", title="首页 | 某某网站"))
    assert site_only.title is None


def test_a_county_name_inside_a_town_name_does_not_move_the_agency() -> None:
    assert find_region("金乡县和县镇人民政府").county == "金乡县"  # 和县 is in Anhui
