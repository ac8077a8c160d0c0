"""The built sample site in Debian's chromium, served from a sub-path (/nianbao/): every page type loads
cleanly, makes no request outside the site, shows the source values, and passes axe-core."""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from archive.model import Cell, Report
from site_builder.build import build
from site_builder.preview import CHROMIUM as CHROMIUM_PATH
from site_builder.preview import CHROMIUM_ARGS, running, sample_pages
from site_builder.sources import parse_content

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(CHROMIUM_PATH)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}



@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    shutil.copytree(ROOT / "content", folder, dirs_exist_ok=True)
    return folder


def _earlier_years(report: Report) -> list[Report]:
    """The same agency two years earlier and one year earlier, spelled differently, with other figures."""
    out = []
    for year, spelling, received in ((2021, "温县政府办公室", 12), (2022, "温县人民政府办公室", None)):
        clone = copy.deepcopy(report)
        clone.id, clone.source, clone.year, clone.agency = f"r{year}{report.id[5:]}", f"x/{year}.txt", year, spelling
        clone.title = f"{spelling}{year}年政府信息公开工作年度报告"
        clone.tables["requests"].rows["1"]["total"] = (
            Cell(received, str(received), "number") if received is not None else Cell.missing()
        )
        out.append(clone)
    return out


@pytest.fixture(scope="module")
def site(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, with two earlier years of one agency so that its page shows charts and comparisons."""
    reports, _ = parse_content(content)
    wenxian = next(r for r in reports if r.source.endswith("wenxian-xianzhengfu-ban-2023.txt"))
    out = tmp_path_factory.mktemp("built") / "site"
    build(content, out, reports=[*reports, *_earlier_years(wenxian)])
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with running(site, "/nianbao") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "Debian chromium is not installed: run make browser-deps"
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageWatch:
    """Everything that went wrong while a page loaded: console errors, failed and outside requests, dialogs."""

    def __init__(self, page: object, base_url: str) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))

        def check_request(request: object) -> None:
            if not request.url.startswith(base_url) and not request.url.startswith("data:"):
                self.problems.append(f"outside request: {request.url}")

        page.on("request", check_request)


def _kinds(site: Path) -> dict[str, str]:
    kinds = sample_pages(site)
    assert {"home", "report", "agency", "compare", "problems", "data", "search", "about", "help", "notfound"} <= set(
        kinds
    )
    return kinds


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_type_loads_cleanly(site: Path, base_url: str, browser: object, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    try:
        for kind, path in _kinds(site).items():
            page = context.new_page()
            watch = PageWatch(page, base_url)
            page.goto(base_url + path, wait_until="networkidle")
            assert page.locator("main h1").count() == 1, kind
            assert page.locator("form[role=search] input[name=q]").count() >= 1, kind
            assert watch.problems == [], (kind, watch.problems)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (kind, viewport, overflow)
            page.close()
    finally:
        context.close()


def test_report_tables_show_the_source_values(site: Path, content: Path, base_url: str, browser: object) -> None:
    reports, _ = parse_content(content)
    page = browser.new_page()
    try:
        for report in reports:
            slug_page = next(p for p in site.glob("reports/*.html") if report.id.lstrip("r")[:6] in p.name)
            page.goto(base_url + slug_page.relative_to(site).as_posix())
            shown = page.eval_on_selector_all(
                "td[data-key]",
                "cells => Object.fromEntries(cells.map(c => [c.dataset.key, c.firstChild ? "
                "c.firstChild.textContent : '']))",
            )
            for key, table in report.tables.items():
                for row, columns in table.rows.items():
                    for column, cell in columns.items():
                        text = shown[f"{key}.{row}.{column}"]
                        if cell.state == "number":
                            assert text.replace(",", "") == str(cell.value), (report.source, key, row, column)
                        elif cell.state == "missing":
                            assert text == "缺失", (report.source, key, row, column)
                        else:
                            assert text == ((cell.raw or "").strip() or "（空白）"), (report.source, key, row, column)
    finally:
        page.close()


def test_compare_table_sorts_with_javascript(site: Path, base_url: str, browser: object) -> None:
    page = browser.new_page()
    try:
        watch = PageWatch(page, base_url)
        page.goto(base_url + "compare/2023.html")
        page.get_by_role("button", name="本年新收申请").click()
        values = page.eval_on_selector_all(
            "table.sortable tbody tr", "rows => rows.map(r => r.children[2].dataset.sortValue)"
        )
        numbers = [float(v) for v in values if v]
        assert numbers == sorted(numbers)
        assert values[len(numbers) :] == [""] * (len(values) - len(numbers))  # missing values last
        assert page.locator("th[aria-sort=ascending]").count() == 1
        assert watch.problems == []
    finally:
        page.close()


def test_pages_work_without_javascript(site: Path, content: Path, base_url: str, browser: object) -> None:
    reports_2023 = sum(1 for r in parse_content(content)[0] if r.year == 2023)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for kind in ("home", "report", "agency", "compare"):
            page.goto(base_url + _kinds(site)[kind])
            assert page.locator("main h1").count() == 1
        page.goto(base_url + "compare/2023.html")
        assert page.locator("table.sortable tbody tr").count() == reports_2023
        assert page.locator("table.sortable tbody tr th a").first.inner_text()
        page.goto(base_url + "index.html")
        page.locator("#home-q").fill("依申请公开")
        page.locator("#home-q").press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q="))
    finally:
        context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
def test_axe_finds_no_serious_or_critical_violation(site: Path, base_url: str, browser: object) -> None:
    # axe is injected as an inline script, which the pages' CSP rightly forbids: bypass it for this test only
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    failures = []
    try:
        for kind, path in _kinds(site).items():
            page.goto(base_url + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            for violation in result["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in violation["nodes"][:3]]
                    failures.append(f"{kind}: {violation['id']} ({violation['impact']}) {targets}")
    finally:
        context.close()
    assert failures == []


@pytest.mark.parametrize("missing", ["gone.html", "reports/2019/old/missing.html", "compare/2031/x/y/z.html"])
def test_the_404_page_works_at_any_depth(site: Path, base_url: str, browser: object, missing: str) -> None:
    """A server shows 404.html for a deep missing address: its style must apply and its links lead home."""
    page = browser.new_page()
    try:
        watch = PageWatch(page, base_url)
        response = page.goto(base_url + missing, wait_until="networkidle")
        assert response is not None and response.status == 404
        # the only error is the page's own status (which chromium also logs); every resource of it loads
        document_404 = [
            f"HTTP 404: {base_url + missing}",
            "console: Failed to load resource: the server responded with a status of 404 (File not found)",
        ]
        assert sorted(watch.problems) == sorted(document_404)
        assert page.locator("main h1").inner_text() == "页面不存在"
        nav_background = page.evaluate("getComputedStyle(document.querySelector('.site-nav')).backgroundColor")
        assert nav_background not in ("", "rgba(0, 0, 0, 0)")  # the site's stylesheet applies
        assert page.get_by_role("link", name="搜索报告").evaluate("a => a.href") == base_url + "search.html"
        assert page.locator("form[role=search]").evaluate("f => f.action") == base_url + "search.html"
        page.get_by_role("link", name="返回首页").click()
        page.wait_for_url(base_url + "index.html")
        assert page.locator("main h1").count() == 1
    finally:
        page.close()
