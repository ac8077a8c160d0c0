"""The search page of the built sample site in headless chromium, served under /nianbao/ (issue 5).

Queries from each part find the right report first; filters and paging; ?q= in the URL opens with
results; the back button restores the previous search; a query without results says so and suggests
the command line's correction; report text is shown as text (the test fails on any dialog); no
request leaves the site.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from search_site import browser, build_site, parity_queries, run_queries, serve

from archive.index.search import ArchiveSearcher

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<img src=x onerror=alert(1)>"
SENTENCE = re.compile(r"[^，。；！？\n“”\"（）]{10,}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("browser-search")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    report = content / "reports" / "wenxian-xianzhengfu-ban-2023.txt"
    text = report.read_text("utf-8")
    marker = "未收取过政府信息公开信息处理费。"
    assert marker in text
    report.write_text(text.replace(marker, marker + f"网页测试标记{HOSTILE}到此为止。", 1), "utf-8")
    out = build_site(content, root / "index", root / "site")
    with serve(out) as base:
        yield base, root / "index"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as b:
        yield b


@pytest.fixture
def page(chromium: Any, site: tuple[str, Path]) -> Iterator[Any]:
    base, _ = site
    context = chromium.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    outside: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    yield page
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not outside, f"requests outside the site: {outside}"


def open_search(page: Any, base: str, query: str = "") -> None:
    page.goto(base + "search.html" + (f"?{query}" if query else ""))
    page.wait_for_function("() => document.body.dataset.searchReady === '1'")
    if query:
        wait_done(page)


def wait_done(page: Any) -> None:
    page.wait_for_function("() => ['done', 'error'].includes(document.body.dataset.searchState)")
    assert page.evaluate("document.body.dataset.searchState") == "done"


def submit(page: Any, query: str) -> None:
    page.evaluate("() => { document.body.dataset.searchState = 'busy'; }")
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    wait_done(page)


def hit_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(".search-hit", "els => els.map(e => e.dataset.id)")


def unique_sentences(index: Path) -> dict[str, tuple[str, str]]:
    """Part → (sentence, report id): a sentence of that part found in one report only."""
    with ArchiveSearcher(index) as searcher:
        docs = [dict(f) for _, f in searcher.searcher.reader().iter_docs()]
    sections = [d for d in docs if d["kind"] == "section" and d.get("text")]
    out: dict[str, tuple[str, str]] = {}
    for doc in sections:
        if not doc.get("part") or doc["part"] in out:
            continue
        for sentence in SENTENCE.findall(doc["text"]):
            phrase = sentence[:16]
            owners = {d["report_id"] for d in sections if phrase in d["text"]}
            if owners == {doc["report_id"]}:
                out[doc["part"]] = (phrase, doc["report_id"])
                break
    return out


def table_queries(index: Path) -> dict[str, tuple[str, str]]:
    """Part → (URL query, report id) for the parts made of tables: a row label, the part and the agency."""
    with ArchiveSearcher(index) as searcher:
        docs = [dict(f) for _, f in searcher.searcher.reader().iter_docs()]
    out: dict[str, tuple[str, str]] = {}
    for doc in docs:
        if doc["kind"] == "table_row" and doc.get("part") not in out and doc.get("agency"):
            query = f"q={quote(doc['label'])}&part={quote(doc['part'])}&agency={quote(doc['agency'])}&year={doc['year']}"
            out[doc["part"]] = (query, doc["report_id"])
    return out


def test_a_query_from_each_part_finds_its_report_first(page: Any, site: tuple[str, Path]) -> None:
    base, index = site
    queries = {part: (f"q={quote(s)}", r) for part, (s, r) in unique_sentences(index).items()}
    for part, value in table_queries(index).items():
        queries.setdefault(part, value)
    assert set(queries) == set("一二三四五六")
    for part, (query, report_id) in sorted(queries.items()):
        open_search(page, base, query)
        ids = hit_ids(page)
        assert ids and ids[0].startswith(report_id + ":"), (part, query, ids[:3])
        link = page.get_attribute(".search-hit h3 a", "href")
        assert link.startswith(base + "reports/") and "#" in link
        assert page.locator(".search-hit").first.locator("mark").count() > 0


def test_url_with_query_opens_with_results_and_filters(page: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    open_search(page, base, f"q={quote('行政复议')}&year=2023&kind=table_row")
    assert page.input_value("#search-q") == "行政复议"
    assert page.input_value("#search-year") == "2023"
    assert page.input_value("#search-kind") == "table_row"
    metas = page.eval_on_selector_all(".search-meta", "els => els.map(e => e.textContent)")
    assert metas and all("2023年" in m and "表格行" in m for m in metas)
    assert re.match(r"共 \d+ 个结果", page.text_content("#search-status"))


def test_filters_and_paging(page: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    open_search(page, base)
    submit(page, "政府信息公开")
    total = int(re.search(r"\d+", page.text_content("#search-status")).group())
    assert total > 20
    first_page = hit_ids(page)
    assert len(first_page) == 10
    page.evaluate("() => { document.body.dataset.searchState = 'busy'; }")
    page.click("a[rel=next]")
    wait_done(page)
    assert "page=2" in page.url
    second_page = hit_ids(page)
    assert len(second_page) == 10 and not set(first_page) & set(second_page)
    page.fill("#search-q", "工作")
    page.select_option("#search-part", "五")
    page.fill("#search-agency", "温县")
    page.evaluate("() => { document.body.dataset.searchState = 'busy'; }")
    page.press("#search-q", "Enter")
    wait_done(page)
    assert "part=" in page.url and "page=2" not in page.url
    metas = page.eval_on_selector_all(".search-meta", "els => els.map(e => e.textContent)")
    titles = page.eval_on_selector_all(".search-hit h3", "els => els.map(e => e.textContent)")
    assert metas and all(m.startswith("温县") for m in metas)
    assert all(t.startswith("五、") for t in titles)
    page.fill("#search-agency", "")
    page.select_option("#search-part", "")
    page.fill("#search-region", "山东")
    page.evaluate("() => { document.body.dataset.searchState = 'busy'; }")
    page.press("#search-q", "Enter")
    wait_done(page)
    metas = page.eval_on_selector_all(".search-meta", "els => els.map(e => e.textContent)")
    assert metas and all(m.startswith(("金乡", "安丘")) for m in metas)


def test_back_button_restores_the_previous_search(page: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    open_search(page, base)
    submit(page, "依申请公开")
    first = hit_ids(page)
    submit(page, "政务新媒体")
    assert hit_ids(page) != first
    page.evaluate("() => { document.body.dataset.searchState = 'busy'; }")
    page.go_back()
    wait_done(page)
    assert page.input_value("#search-q") == "依申请公开"
    assert hit_ids(page) == first


def test_no_result_says_so_and_suggests_the_command_lines_correction(page: Any, site: tuple[str, Path]) -> None:
    base, index = site
    with ArchiveSearcher(index) as searcher:
        expected = searcher.search("工开").suggestion
    assert expected
    open_search(page, base, f"q={quote('工开')}")
    assert "没有找到" in page.text_content("#search-status")
    assert page.text_content(".search-suggestion") == expected
    page.evaluate("() => { document.body.dataset.searchState = 'busy'; }")
    page.click(".search-suggestion")
    wait_done(page)
    assert page.input_value("#search-q") == expected
    assert hit_ids(page)


def test_report_text_is_shown_as_text(page: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    open_search(page, base, f"q={quote('网页测试标记')}")
    snippet = page.text_content(".search-hit .search-snippet")
    assert HOSTILE in snippet
    assert page.locator("#search-results img").count() == 0
    tags = page.eval_on_selector_all("#search-results *", "els => [...new Set(els.map(e => e.tagName))]")
    assert set(tags) <= {"LI", "P", "H3", "A", "MARK"}


def test_a_server_that_ignores_range_gives_the_same_results_reading_each_file_once(
    chromium: Any, site: tuple[str, Path]
) -> None:
    """Some servers answer a Range request with the whole file (200): the engine then keeps each
    pack file whole and reads it at most once a page; the results are the ranged ones."""
    base, index = site
    queries = [{**q, "limit": 20} for q in parity_queries(index)[::4]]
    page = chromium.new_page()
    page.goto(base + "search.html")
    ranged = run_queries(page, queries)
    page.close()
    sent: list[tuple[str, int]] = []
    root = index.parent / "site"  # the module's built site (build_site wrote it beside the index)
    with serve(root, ranges=False, sent=sent) as plain:
        page = chromium.new_page()
        page.goto(plain + "search.html")
        whole = run_queries(page, queries)
        page.close()
    assert whole == ranged
    packs = [path for path, _ in sent if path.endswith(".pack")]
    assert packs, "no pack file was read"
    counts = {path: packs.count(path) for path in packs}
    # a file asked for by requests already on their way when the first whole answer came is sent again
    assert max(counts.values()) <= 4, counts
    assert sum(counts.values()) <= 2 * len(counts) + 8
