"""The static site: pages, relative links, a crawler over the whole site, incremental and atomic builds."""

from __future__ import annotations

import base64
import copy
import csv
import hashlib
import html
import io
import json
import os
import posixpath
import re
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from build_staging import staged_files
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from archive.agencies import group_reports, load_config
from archive.cli import cli
from archive.errors import BuildError
from archive.model import Cell, Finding, Report, Section
from site_builder.build import build
from site_builder.links import parse
from site_builder.markdown_pages import render, safe_link
from site_builder.pages.compare import pager_links
from site_builder.sources import parse_content
from site_builder.urls import place_slug, relpath

ROOT = Path(__file__).resolve().parent.parent
PAGE_LIMIT = 150 * 1024


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    shutil.copytree(ROOT / "content", folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def site(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    build(content, out, index_dir=content / "no-index")
    return out


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_kind_is_built(site: Path, content: Path) -> None:
    for path in (
        "index.html",
        "search.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "data/index.html",
        "data/archive.csv",
        "data/archive.json",
        "pages/about.html",
        "pages/help.html",
        "static/site.css",
        "static/site.js",
    ):
        assert (site / path).is_file(), path
    reports, _ = parse_content(content)
    assert len(list(site.glob("reports/*.html"))) == len(reports)
    assert len(list(site.glob("reports/*.json"))) == len(reports)
    assert len(list(site.glob("reports/*.csv"))) == len(reports)
    assert len(list(site.glob("originals/*"))) == len(reports)
    assert not list(site.glob("originals/*.html"))  # a portal's page is published as text, never run here
    years = sorted({r.year for r in reports if r.year})
    assert sorted(p.name for p in site.glob("compare/*")) == sorted(
        f"{y}{suffix}" for y in years for suffix in ("-problems.html", ".csv", ".html")
    )
    assert len(list(site.glob("agencies/*.html"))) == len(group_reports(reports, load_config(content / "agencies.toml")))


def test_paths_are_ascii_and_stable(site: Path, content: Path, tmp_path: Path) -> None:
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert all(re.fullmatch(r"[a-z0-9./_-]+|\.archive-site", p) for p in paths), paths
    again = tmp_path / "again"
    build(content, again, index_dir=content / "no-index")
    assert sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file()) == paths
    for path in paths:
        assert (again / path).read_bytes() == (site / path).read_bytes(), path


def test_links_are_relative_and_nothing_is_loaded_from_outside(site: Path) -> None:
    for page in html_pages(site):
        links, _ = parse(page.read_text("utf-8"))
        for link in links:
            parts = urlsplit(link)
            assert not link.startswith("/"), (page, link)
            if parts.scheme:
                allowed = ("http", "https", "mailto", *(("data",) if link.startswith("data:image/") else ()))
                assert parts.scheme in allowed, (page, link)
        text = page.read_text("utf-8")
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', text), page


def test_crawler_finds_no_broken_link_or_anchor(site: Path) -> None:
    """Start at the home page, follow every link; every page is reached and every target exists."""
    ids: dict[str, set[str]] = {}
    seen: set[str] = set()
    queue = ["index.html"]
    broken: list[str] = []
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        if not path.endswith(".html"):
            continue
        links, page_ids = parse((site / path).read_text("utf-8"))
        ids[path] = page_ids
        for link in links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path))) if parts.path else path
            )
            if not (site / target).is_file():
                broken.append(f"{path} → {link}")
                continue
            queue.append(target)
            if parts.fragment:
                target_ids = ids.get(target)
                if target_ids is None:
                    target_ids = parse((site / target).read_text("utf-8"))[1]
                    ids[target] = target_ids
                if unquote(parts.fragment) not in target_ids:
                    broken.append(f"{path} → {link} (anchor)")
    assert broken == []
    unreached = {p.relative_to(site).as_posix() for p in html_pages(site)} - seen - {"404.html"}
    assert unreached == set()


def test_pages_carry_a_strict_csp_and_no_inline_code(site: Path) -> None:
    for page in html_pages(site):
        if page.name == "404.html":
            continue  # its inline style and script are pinned by hashes (next test)
        text = page.read_text("utf-8")
        assert "Content-Security-Policy" in text and "script-src 'self'" in html.unescape(text), page
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), page
        assert "<style" not in text and not re.search(r"\sstyle=", text), page
        assert not re.search(r"\son[a-z]+=", text), page
        assert 'role="search"' in text or page.name == "search.html", page


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_the_404_page_needs_no_file_beside_it(site: Path, content: Path, tmp_path: Path) -> None:
    """Servers show it at any depth: no relative stylesheet, script or icon; inline ones pinned by hashes."""
    text = (site / "404.html").read_text("utf-8")
    head = text.split("</head>", 1)[0]
    assert not re.search(r"<link[^>]+href=\"(?!data:)", head) and not re.search(r"<script[^>]+src=", head)
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', text).group(1))
    assert "unsafe-inline" not in csp
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", text, re.S).group(1)
    assert style == (ROOT / "site_builder" / "static" / "site.css").read_text("utf-8")
    assert f"style-src {_csp_hash(style)};" in csp and f"script-src {_csp_hash(script)};" in csp
    # with the site's address known, the links are absolute and no script is needed
    out = tmp_path / "site"
    build(content, out, index_dir=content / "no-index", site_url="https://example.gov.cn/nianbao/")
    text = (out / "404.html").read_text("utf-8")
    assert 'href="https://example.gov.cn/nianbao/index.html"' in text
    assert 'action="https://example.gov.cn/nianbao/search.html"' in text
    assert "<script" not in text and "script-src 'none'" in html.unescape(text)


def test_no_page_is_heavier_than_150_kb(site: Path) -> None:
    for page in [*html_pages(site), site / "static" / "site.css", site / "static" / "site.js"]:
        assert page.stat().st_size <= PAGE_LIMIT, (page, page.stat().st_size)


def test_report_page_shows_the_source_values_and_gaps(site: Path, content: Path) -> None:
    reports, _ = parse_content(content)
    wenxian = next(r for r in reports if r.source.endswith("wenxian-xianzhengfu-ban-2023.txt"))
    page = next(site.glob("reports/wenxian-*.html")).read_text("utf-8")
    for row in ("1", "3.1", "3.7"):
        cell = wenxian.tables["requests"].cell(row, "total")
        assert cell.state == "number"
        pattern = rf'data-key="requests\.{re.escape(row)}\.total"[^>]*>{cell.value}<'
        assert re.search(pattern, page), row
    for _, section in wenxian.all_sections():
        assert f'id="{section.anchor}"' in page
    huji = next(site.glob("reports/jinxiang-hujizhen-*.html")).read_text("utf-8")
    missing = re.findall(r'class="cell-missing[^"]*"[^>]*>([^<]*)<', huji)
    assert missing and set(missing) == {"缺失"}


def test_findings_link_to_their_cell_or_section(site: Path) -> None:
    page = next(site.glob("reports/jinxiang-hujizhen-*.html")).read_text("utf-8")
    findings = re.findall(r'<li id="f\d+" class="finding[^"]*">(.*?)</li>', page, re.S)
    assert findings
    targets = re.findall(r'<li id="f\d+".*?<a href="#([^"]+)">查看', page, re.S)
    assert targets
    for target in targets:
        assert f'id="{target}"' in page


def test_data_downloads(site: Path, content: Path) -> None:
    raw = (site / "data" / "archive.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(parse_content(content)[0]) * (6 + 25 + 3)
    assert {"agency", "province", "city", "county", "year", "table", "row"} <= set(rows[0])
    huji = [r for r in rows if r["agency"] == "金乡县胡集镇人民政府" and r["table"] == "review_litigation"]
    assert all(r["total"] == "" and "total" in r["missing_cells"].split() for r in huji)
    data = json.loads((site / "data" / "archive.json").read_text("utf-8"))
    assert len(data["rows"]) == len(rows)
    assert data["rows"][0]["cells"]
    dictionary = (site / "data" / "index.html").read_text("utf-8")
    assert "natural_person" in dictionary and "自然人" in dictionary
    one = json.loads(next(site.glob("reports/wenxian-*.json")).read_text("utf-8"))
    assert Report.from_dict(one).to_dict() == one


def test_compare_table_is_sortable_and_static(site: Path) -> None:
    page = (site / "compare" / "2023.html").read_text("utf-8")
    assert 'class="data-table sortable compare-table"' in page
    assert page.count("data-sort-value=") >= 4 * 13
    problems = (site / "compare" / "2023-problems.html").read_text("utf-8")
    assert "山东省" in problems and "河南省" in problems


def test_sitemap_and_robots(site: Path, content: Path, tmp_path: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "<loc>index.html</loc>" in sitemap and "404.html" not in sitemap
    out = tmp_path / "s"
    build(content, out, index_dir=content / "no-index", site_url="https://example.gov.cn/nianbao/")
    assert "<loc>https://example.gov.cn/nianbao/index.html</loc>" in (out / "sitemap.xml").read_text("utf-8")
    assert "Sitemap: https://example.gov.cn/nianbao/sitemap.xml" in (out / "robots.txt").read_text("utf-8")


# --- agencies across years -------------------------------------------------------------------


def _years_of(report: Report, spellings: dict[int, str]) -> list[Report]:
    out = []
    for year, agency in spellings.items():
        clone = copy.deepcopy(report)
        clone.id = f"r{year}{clone.id[5:]}"
        clone.source = f"reports/demo-{year}.txt"
        clone.year = year
        clone.agency = agency
        clone.title = f"{agency}{year}年政府信息公开工作年度报告"
        clone.tables["requests"].rows["1"]["total"] = Cell(10 * (year - 2020), str(10 * (year - 2020)), "number")
        out.append(clone)
    return out


@pytest.fixture(scope="module")
def multi_year(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    reports, _ = parse_content(content)
    wenxian = next(r for r in reports if r.source.endswith("wenxian-xianzhengfu-ban-2023.txt"))
    series = _years_of(wenxian, {2020: "温县人民政府办公室", 2021: "温县政府办公室", 2022: "温县人民政府办公室"})
    series[1].tables["requests"].rows["4"]["total"] = Cell(99, "99", "number")  # breaks 2021 → 2022 carry-over
    for part in series[1].sections:  # 2021 rewrites everything: 2022 repeats nothing of it
        for _, section in part.walk():
            section.text = "二〇二一年另行撰写的内容" * (len(section.text) // 12)
    series[0].tables["active"].rows["penalty"]["decisions"] = Cell(None, "/", "text")
    out = tmp_path_factory.mktemp("multi") / "site"
    build(content, out, reports=[*reports, *series])
    return out


def test_agency_spellings_are_one_agency_with_a_chart_per_figure(multi_year: Path) -> None:
    pages = [p for p in multi_year.glob("agencies/*.html") if "2020" in p.read_text("utf-8")]
    assert len(pages) == 1
    page = pages[0].read_text("utf-8")
    assert "温县政府办公室" in page and "温县人民政府办公室" in page
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", page, re.S)
    assert len(charts) == 6
    for svg in charts:
        assert "<title id=" in svg and "<desc id=" in svg
    assert "本年新收申请，按年度" not in page  # the desc text uses 按年份
    assert re.search(r"2020：0；2021：10；2022：20；2023：\d+", page)
    assert "2023 年报告与 2022 年相比" in page and "2022 年报告与 2021 年相比" in page and "%" in page
    assert "不一致" in page  # the broken carry-over
    assert "几乎照搬" in page


def test_text_cells_are_shown_as_text_never_zero(multi_year: Path) -> None:
    page = next(p for p in multi_year.glob("agencies/*.html") if "2020" in p.read_text("utf-8")).read_text("utf-8")
    row = re.search(r'data-key="active.penalty.decisions"><th scope="row">行政处罚决定</th>(.*?)</tr>', page).group(1)
    assert row.startswith('<td class="cell-text">/</td>')


# --- incremental and atomic builds -----------------------------------------------------------


def _snapshot(site: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
        for p in site.rglob("*")
        if p.is_file()
    }


def test_rebuild_after_one_report_changed_leaves_other_files_untouched(content: Path, tmp_path: Path) -> None:
    own = tmp_path / "content"
    shutil.copytree(content, own)
    out = tmp_path / "site"
    build(own, out, index_dir=own / "no-index")
    an_hour_ago = time.time() - 3600  # a file written again gets a newer time than this, whatever the clock's grain
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, (an_hour_ago, an_hour_ago))
    before = _snapshot(out)
    source = own / "reports" / "wenxian-xianzhengfu-ban-2023.txt"
    source.write_text(source.read_text("utf-8") + "\n本报告另附说明一则。\n", "utf-8")
    result = build(own, out, index_dir=own / "no-index")
    after = _snapshot(out)
    changed = {p for p in after if p not in before or after[p][0] != before[p][0]}
    assert changed, "the changed report must be rewritten"
    assert any(p.startswith("reports/wenxian-") for p in changed)
    allowed = ("data/", "compare/", "agencies/", ".archive-pages.json")
    assert all("wenxian" in p or p.startswith(allowed) for p in changed), changed
    for path, (data, mtime, inode) in before.items():
        if path not in changed and path in after:
            assert after[path] == (data, mtime, inode), path
    untouched = [p for p in before if p.startswith("reports/anqiu-")]
    assert untouched and all(after[p] == before[p] for p in untouched)
    assert set(result.written) == changed


KILLER = """
import sys, copy
from pathlib import Path
from site_builder.build import build
from site_builder.sources import parse_content
content, out = Path(sys.argv[1]), Path(sys.argv[2])
reports, _ = parse_content(content)
many = []
for i in range(60):
    for r in reports:
        c = copy.deepcopy(r)
        c.id = f"r{i:04d}{r.id[5:]}"
        c.source = f"reports/copy{i}-{Path(r.source).name}"
        c.agency = f"{r.agency}{i}"
        many.append(c)
print("start", flush=True)
build(content, out, reports=many)
"""


def test_a_killed_build_leaves_the_old_site_intact(content: Path, tmp_path: Path) -> None:
    """Killed at three points of its work (its staging folder holding 1, 200 and 2,000 files), the build
    leaves the published site as it was, and the next build completes."""
    out = tmp_path / "site"
    build(content, out, index_dir=content / "no-index")
    before = {k: v[0] for k, v in _snapshot(out).items()}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for written in (1, 200, 2000):
        process = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(content), str(out)], env=env, stdout=subprocess.PIPE, cwd=tmp_path
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"start"
        deadline = time.monotonic() + 600
        while staged_files(tmp_path) < written and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL, f"the build ended before it had staged {written} files"
        assert {k: v[0] for k, v in _snapshot(out).items()} == before
    result = build(content, out, index_dir=content / "no-index")
    assert result.reports == len(parse_content(content)[0])
    assert not list(tmp_path.glob(".site.staging-*")) and not list(tmp_path.glob(".site.old-*"))


def test_build_refuses_to_replace_a_folder_it_did_not_make(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "precious.txt").write_text("keep me", "utf-8")
    result = CliRunner().invoke(
        cli, ["build", "--content", str(content), "--out", str(out), "--index", str(tmp_path / "none")]
    )
    assert result.exit_code == 1
    assert "不是本档案库生成的网站" in result.output
    assert (out / "precious.txt").read_text("utf-8") == "keep me"


def test_build_and_serve_commands_are_registered_with_help(content: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for command in ("build", "serve"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
    result = runner.invoke(
        cli, ["build", "--content", str(content), "--out", str(tmp_path / "o"), "--index", str(tmp_path / "none")]
    )
    assert result.exit_code == 0, result.output
    assert "网站已生成" in result.output and (tmp_path / "o" / "index.html").is_file()


# --- Markdown pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://www.gov.cn/", "https://www.gov.cn/"),
        ("mailto:gk@example.gov.cn", "mailto:gk@example.gov.cn"),
        ("help.md", "help.html"),
        ("../data/index.html#dict-h", "../data/index.html#dict-h"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\nscript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("//evil.example/x", None),
        ("/absolute/path.html", None),
        ("ｊａｖａｓｃｒｉｐｔ:alert(1)", None),
    ],
)
def test_markdown_links(link: str, expected: str | None) -> None:
    assert safe_link(link) == expected


def test_markdown_raw_html_is_escaped_and_bad_links_dropped() -> None:
    text = (
        "# 标题\n\n<script>alert(1)</script>\n\n段落 <img src=x onerror=alert(1)> 与 <b>粗</b>\n\n"
        "[坏链接](javascript:alert(1)) [好链接](https://www.gov.cn/) [相对](help.md)\n\n"
        "![外部图片](https://evil.example/huge.png) ![本站图片](../static/x.png)\n\n"
        '<div onclick="x()">块</div>\n'
    )
    title, body = render(text)
    assert title == "标题"
    assert "<script" not in body and "&lt;script&gt;" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<b>" not in body and "<div" not in body
    assert "javascript" not in body.lower().replace("&lt;", "")
    assert '<a href="https://www.gov.cn/">好链接</a>' in body
    assert '<a href="help.html">相对</a>' in body
    assert "evil.example" not in body and "外部图片" in body
    assert 'src="../static/x.png"' in body


def test_markdown_page_with_hostile_content_builds_safely(content: Path, tmp_path: Path) -> None:
    own = tmp_path / "content"
    shutil.copytree(content, own)
    (own / "pages" / "evil.md").write_text(
        "# 测试\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n![i](http://evil.example/a.png)\n", "utf-8"
    )
    out = tmp_path / "site"
    build(own, out, index_dir=own / "no-index")
    page = (out / "pages" / "evil.html").read_text("utf-8")
    assert "<script>alert" not in page and "javascript:" not in page and "evil.example" not in page


def test_hostile_agency_name_is_escaped(content: Path, tmp_path: Path) -> None:
    reports, _ = parse_content(content)
    bad = copy.deepcopy(reports[0])
    bad.agency = '<script>alert(1)</script>"><img src=x onerror=alert(1)>镇人民政府'
    bad.sections.append(Section("七", "<b>注入</b>", "<script>alert(2)</script>", 1, "p7"))
    bad.findings.append(Finding("x", "error", "<img src=x onerror=alert(3)>", section="p7"))
    bad.tables["requests"].rows["1"]["total"] = Cell(None, "<i>1</i>", "text")
    bad.tables["active"].rows["fees"]["amount_10k_yuan"] = Cell(Decimal("1.5"), "1.5", "number")
    out = tmp_path / "site"
    build(content, out, reports=[bad])
    for page in out.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>注入" not in text, page
        assert "<i>1</i>" not in text


def test_a_large_year_is_split_by_province(content: Path, tmp_path: Path) -> None:
    reports, _ = parse_content(content)
    many = []
    for i in range(16):
        for r in reports:
            clone = copy.deepcopy(r)
            clone.id, clone.source, clone.agency = (
                f"r{i:04d}{r.id[5:]}",
                f"reports/c{i}-{r.source[8:]}",
                f"{r.agency}{i}",
            )
            many.append(clone)
    out = tmp_path / "site"
    build(content, out, reports=many)
    index = (out / "compare" / "2023.html").read_text("utf-8")
    shandong_slug, henan_slug = place_slug(["山东省"]), place_slug(["河南省"])
    assert "按地区分页" in index and f"{shandong_slug}.html" in index
    shandong = (out / "compare" / "2023" / f"{shandong_slug}.html").read_text("utf-8")
    assert shandong.count("<tr>") - 1 == 16 * 2  # two of the 2023 samples are in 山东
    assert (out / "compare" / "2023" / f"{henan_slug}-problems.html").is_file()
    assert (out / "compare" / "2022.html").read_text("utf-8").count("<tr>") == 17  # 16 reports: one table
    for page in out.rglob("*.html"):
        assert page.stat().st_size <= PAGE_LIMIT, page


def test_a_broken_link_stops_the_build_and_keeps_the_old_site(content: Path, tmp_path: Path) -> None:
    own = tmp_path / "content"
    shutil.copytree(content, own)
    out = tmp_path / "site"
    build(own, out, index_dir=own / "no-index")
    before = _snapshot(out)
    (own / "pages" / "broken.md").write_text("# 坏链接\n\n[不存在的页面](nowhere.html)\n", "utf-8")
    with pytest.raises(BuildError) as error:
        build(own, out, index_dir=own / "no-index")
    assert "pages/broken.html: 链接的文件不存在 nowhere.html" in error.value.format_message()
    assert _snapshot(out) == before
    assert not list(tmp_path.glob(".site.staging-*"))


def test_serve_without_a_site_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "请先运行 archive build" in result.output


def test_an_unreadable_report_is_skipped_and_named_with_exit_code_3(content: Path, tmp_path: Path) -> None:
    own = tmp_path / "content"
    shutil.copytree(content, own)
    (own / "reports" / "empty.txt").write_bytes(b"")
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli, ["build", "--content", str(own), "--out", str(out), "--index", str(tmp_path / "x")]
    )
    assert result.exit_code == 3
    assert "注意" in result.output and "empty.txt" in result.output
    assert len(list(out.glob("reports/*.html"))) == len(parse_content(content)[0])


def test_chart_draws_no_bar_for_a_missing_value_and_describes_every_year() -> None:
    from site_builder.charts import bar_chart

    svg = bar_chart("c", "本年新收申请", [("2021", 12), ("2022", None), ("2023", 0)])
    assert svg.count("<rect") == 1  # 12 gets a bar; a missing value none; 0 a bar of height 0 is not drawn
    assert "缺失" in svg and "2021：12；2022：缺失；2023：0" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c-t c-d"' in svg


def test_repeated_share_ignores_figures_and_detects_copies() -> None:
    from site_builder.similarity import repeated_share

    last = "本机关严格落实政府信息公开条例，全年主动公开政府信息120条，持续完善依申请公开办理流程。"
    assert repeated_share(last.replace("120", "135"), last) == 1.0
    assert repeated_share("今年重点推进政务新媒体规范化建设，开展专项培训三次。", last) == 0.0
    assert repeated_share("", last) is None
    assert repeated_share("2024年，无收取信息处理费情况。", "2023年，无收取信息处理费情况。") is None  # too short to judge


def test_long_problem_parts_are_cut_into_pages_under_150_kb(content: Path, tmp_path: Path) -> None:
    """Part 五 side by side grows with every report of a region: its pages are cut by size, with a pager."""
    reports, _ = parse_content(content)
    sample = next(r for r in reports if any(s.level == 1 and s.number == "五" for s in r.sections))
    many = []
    for i in range(12):
        clone = copy.deepcopy(sample)
        clone.id, clone.source, clone.agency = f"r{i:04d}{sample.id[5:]}", f"reports/p{i}.txt", f"{sample.agency}{i}"
        part = next(s for s in clone.sections if s.level == 1 and s.number == "五")
        part.text = "\n".join(f"第{i}号单位第{n}条：政府信息公开工作仍存在主动公开不够及时、解读不够深入等问题。" for n in range(300))
        many.append(clone)
    out = tmp_path / "site"
    build(content, out, reports=many)
    year = sample.year
    first = out / "compare" / f"{year}-problems.html"
    pages = sorted(out.glob(f"compare/{year}-problems*.html"))
    assert len(pages) >= 3 and first in pages
    shown = 0
    for page in pages:
        text = page.read_text("utf-8")
        assert page.stat().st_size <= PAGE_LIMIT, (page, page.stat().st_size)
        assert 'class="pager"' in text and 'aria-current="page"' in text
        shown += text.count('class="problem-card"')
    assert shown == 12  # every report once, none lost between pages
    assert f"{year}-problems-2.html" in first.read_text("utf-8")


def test_a_site_built_from_the_index_equals_one_built_from_the_reports(content: Path, tmp_path: Path) -> None:
    """The build reads the ingested reports one at a time (summaries in memory): the pages must not change."""
    from archive.index.store import read_reports

    index = tmp_path / "index"
    result = CliRunner().invoke(cli, ["ingest", str(content), "--index", str(index), "--quiet"])
    assert result.exit_code in (0, 3), result.output
    from_index, from_memory = tmp_path / "a", tmp_path / "b"
    build(content, from_index, index_dir=index)
    build(content, from_memory, index_dir=content / "no-index", reports=read_reports(index))
    files = {p.relative_to(from_index).as_posix() for p in from_index.rglob("*") if p.is_file()}
    compared = {f for f in files if not f.startswith(("search/", "static/search/")) and not f.startswith(".")}
    assert compared and compared <= {p.relative_to(from_memory).as_posix() for p in from_memory.rglob("*")}
    different = [f for f in sorted(compared) if (from_index / f).read_bytes() != (from_memory / f).read_bytes()]
    assert different == []


_PART = st.sampled_from(["a", "b", "reports", "x.html", "c", ".", "..", ""])
_PATH = st.lists(_PART, min_size=1, max_size=4).map("/".join)


@given(_PATH, st.one_of(st.just("."), _PATH))
def test_relative_links_are_those_of_posixpath_relpath(target: str, start: str) -> None:
    try:
        expected = posixpath.relpath(target, start)
    except ValueError:
        return
    assert relpath(target, start) == expected


def test_a_long_listing_has_a_short_pager_that_reaches_every_page() -> None:
    paths = [f"themes/t-{n}.html" for n in range(1, 1001)]
    middle = pager_links(paths, 499)
    numbers = [p["number"] for p in middle if p["number"] and not p["label"]]
    assert numbers == [1, 498, 499, 500, 501, 502, 1000]
    assert [(p["path"], p["number"]) for p in middle if p["current"]] == [(paths[499], 500)]
    assert sum(1 for p in middle if p["gap"]) == 2
    assert [p["label"] for p in middle if p["label"]] == ["上一页", "下一页"]
    seen, here = set(), 0
    while True:  # following 下一页 from the first page reaches every page, in order
        seen.add(here)
        following = [p for p in pager_links(paths, here) if p["rel"] == "next"]
        if not following:
            break
        here = paths.index(following[0]["path"])
    assert seen == set(range(1000))
    assert pager_links(paths[:1], 0) == []
