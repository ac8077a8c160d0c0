"""The HTML reader on real portal pages and on small pages made for one behaviour each."""

from __future__ import annotations

from pathlib import Path

import pytest
from real_files import real_file

from archive.readers import read_document


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_portal_page_body_found(year: int) -> None:
    document = read_document(real_file(f"pingtan-{year}.html"))
    assert document.source_format == "html"
    assert document.encoding == "utf-8"
    assert document.title == f"平潭综合实验区{year}年度政府信息公开工作年度报告"
    assert document.date is not None and document.date.startswith(str(year + 1))
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings[0] == "一、总体情况" and headings[-1] == "六、其他需要报告的事项"
    assert len([h for h in headings if h[0] in "一二三四五六" and h[1] == "、"]) == 6
    text = "\n".join(b.text for b in document.text_blocks())
    for chrome in (
        "网站支持IPV6",
        "闽政通APP",
        "省市政府网站",
        "友情链接",
        "网站标识码",
        "主办单位",
        "扫一扫",
        "附件下载",
    ):
        assert chrome not in text
    assert document.blocks[0].text.startswith("本报告根据《中华人民共和国政府信息公开条例》")


def test_portal_tables_expanded() -> None:
    document = read_document(real_file("pingtan-2023.html"))
    active, requests, review = document.tables()
    assert [len(active.rows), len(active.rows[0])] == [14, 4]
    assert active.rows[0] == ["第二十条第（一）项"] * 4  # colspan repeated
    assert active.rows[3] == ["行政规范性文件", "77", "132", "470"]
    assert active.rows[13] == ["行政事业性收费"] + ["5949.088667"] * 3
    assert [len(requests.rows), len(requests.rows[0])] == [28, 10]
    assert requests.rows[2][:4] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3 + [
        "自然人"
    ]
    assert requests.rows[2][4] == "商业企业"  # <p>商业</p><p>企业</p> joined
    assert requests.rows[5][0] == requests.rows[26][0] == "三、本年度办理结果"  # rowspan repeated
    assert review.rows[1][1] == "结果纠正"  # 结果<br/>纠正 joined
    assert review.rows[3] == ["1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2"]


GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某县2023年政府信息公开工作年度报告-某县人民政府</title><script>var x = "一、总体情况";</script>
<style>.a{}</style></head><body>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li><li><a href="/b">办事服务</a></li></ul></div>
<div class="sidebar"><a href="/1">通知公告</a><a href="/2">政策解读</a></div>
<div class="main"><div class="info">发布时间：2024-01-31　来源：县政府办</div>
<div id="zoom"><p><b>一、总体情况</b></p><p>2023年，某县认真贯彻落实条例，主动公开政府信息1200条。</p>
<h3>二、主动公开政府信息情况</h3>
<table><tr><td>外层</td><td><table border="1"><tr><td rowspan="2">信息内容</td><td colspan="2">本年<br>制发件数</td></tr>
<tr><td>5</td><td>6</td></tr></table></td></tr></table>
<p>六、其他需要报告的事项</p><p>无。</p></div></div>
<div class="footer">版权所有：某县人民政府 备案号</div></body></html>"""


def test_gbk_page_without_utf8(tmp_path: Path) -> None:
    path = tmp_path / "report.htm"
    path.write_bytes(GBK_PAGE.encode("gbk"))
    document = read_document(path)
    assert document.encoding == "gb18030"
    assert document.title == "某县2023年政府信息公开工作年度报告-某县人民政府"
    assert document.date == "2024-01-31"
    kinds = [(b.kind, b.text) for b in document.blocks if b.kind != "table"]
    assert kinds[0] == ("heading", "一、总体情况")
    assert ("heading", "二、主动公开政府信息情况") in kinds
    text = " ".join(t for _, t in kinds)
    assert "首页" not in text and "版权所有" not in text and "var x" not in text
    grids = [b.rows for b in document.tables()]
    assert grids == [[["信息内容", "本年制发件数", "本年制发件数"], ["信息内容", "5", "6"]]]


def test_undeclared_gbk_is_detected(tmp_path: Path) -> None:
    page = GBK_PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    path = tmp_path / "report.html"
    path.write_bytes(page.encode("gbk"))
    document = read_document(path)
    assert any(b.text == "一、总体情况" for b in document.blocks)
