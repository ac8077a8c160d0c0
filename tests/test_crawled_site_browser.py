"""The sample site built with every crawled report included (the five before 2019 of the sample corpus and
the three crawled copies of its portal pages), in Debian's chromium: no agency anywhere carries a key, a
Markdown mark or page furniture; the reports before 2019 have pages that name their format, and search finds them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from real_files import crawled_files
from search_site import browser, build_site, serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
BAD_IN_A_NAME = (":", "：", "#", "正文", "当前位置", "标题")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("crawled-site")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    for path in crawled_files():
        shutil.copy(path, content / "reports" / "crawled" / path.name)
    out = build_site(content, root / "index", root / "site")
    with serve(out) as base:
        yield base


@pytest.fixture(scope="module")
def page(site: str) -> Iterator[Any]:
    with browser() as chromium:
        context = chromium.new_context(locale="zh-CN")
        page = context.new_page()
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(site) or r.url.startswith("data:") else outside.append(r.url))
        yield page
        context.close()
        assert not outside, f"requests outside the site: {outside}"


def _report_links(page: Any, base: str) -> list[str]:
    page.goto(base + "index.html")
    agencies = page.eval_on_selector_all("a[href*='agencies/']", "els => [...new Set(els.map(e => e.href))]")
    links: set[str] = set()
    for agency in agencies:
        page.goto(agency)
        links.update(page.eval_on_selector_all("main a[href*='reports/']", "els => els.map(e => e.href.split('#')[0])"))
    return sorted(link for link in links if link.endswith(".html"))


def test_no_agency_on_the_site_carries_a_key_a_mark_or_furniture(page: Any, site: str) -> None:
    page.goto(site + "index.html")
    names = page.eval_on_selector_all("a[href*='agencies/']", "els => els.map(e => e.textContent.trim())")
    reports = _report_links(page, site)
    assert len(reports) >= 18
    for link in reports:
        page.goto(link)
        names.append(page.locator("dl.meta div:has(dt:text-is('发布机关')) dd").inner_text().strip())
        names.append(page.locator("main h1").inner_text().strip())
    assert names and all(not any(bad in name for bad in BAD_IN_A_NAME) for name in names), names


def test_older_reports_have_pages_naming_their_format_and_parts(page: Any, site: str) -> None:
    older = []
    for link in _report_links(page, site):
        page.goto(link)
        if page.locator("dl.meta div:has(dt:text-is('报告格式')) dd").inner_text().strip() == "2019 年以前（无统一格式）":
            older.append(link)
            assert page.locator("table.stat-table").count() == 0
            assert page.locator(".report-body h2", has_text="概述").count() == 1
            findings = page.locator(".findings li").all_inner_texts()
            assert len(findings) == 1 and "2019年以前的报告" in findings[0]
    assert len(older) == 5


def test_search_finds_an_older_report_by_its_own_words(page: Any, site: str) -> None:
    page.goto(site + "search.html?q=" + quote("造成公众查阅点利用率不高"))
    page.wait_for_function("() => document.body.dataset.searchReady === '1'")
    page.wait_for_function("() => ['done', 'error'].includes(document.body.dataset.searchState)")
    assert page.evaluate("document.body.dataset.searchState") == "done"
    hits = page.locator(".search-hit")
    assert hits.count() >= 2  # the two 2011 reports share the sentence
    metas = hits.locator(".search-meta").all_inner_texts()
    assert all("2011年" in meta for meta in metas[:2]), metas
    page.locator(".search-hit h3 a").first.click()
    page.wait_for_load_state()
    assert "2019 年以前（无统一格式）" in page.locator("dl.meta").inner_text()
