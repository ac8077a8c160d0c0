"""A corpus full of script payloads (in agency names, section text, file names and Markdown pages),
ingested, built and opened in Debian's chromium under a sub-path (issue 7, hostile input).

Fails on any dialog, any script that runs from a payload (each sets ``window.__pwned``), any request
outside the site, any page without a Content-Security-Policy that forbids inline scripts and outside
origins, and any file written outside the output and index folders.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import badfiles
import pytest
from archive_command import ARCHIVE
from playwright import sync_api
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from site_builder.preview import CHROMIUM as CHROMIUM_PATH
from site_builder.preview import CHROMIUM_ARGS, running

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(CHROMIUM_PATH)
PREFIX = "/nianbao"
SEARCHES = [*badfiles.PAYLOADS, "温县", "依申请公开", "<b>粗体</b>"]


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def site(workspace: Path) -> Path:
    content = workspace / "content"
    badfiles.write_hostile_corpus(content)
    before = tree(workspace)
    env = {**os.environ, "ARCHIVE_INDEX": str(workspace / "default-index")}
    for args in (["ingest", content, "--index", workspace / "index"],
                 ["build", "--content", content, "--index", workspace / "index", "--out", workspace / "site"]):
        result = subprocess.run([str(ARCHIVE), *map(str, args)], cwd=workspace, env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    # the build's lock file and staging folder sit beside the output folder (.site.lock, .site.staging-*)
    outside = {p for p in tree(workspace) - before if p.split("/")[0] not in {"index", "site"}
               and not p.startswith(".site.")}
    assert outside == set(), f"written outside the output and index folders: {sorted(outside)}"
    return workspace / "site"


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_payload_report_was_published(site: Path) -> None:
    pages = [(site / p).read_text("utf-8") for p in html_pages(site) if p.startswith("reports/")]
    assert len(pages) == len(badfiles.good_names()) + len(badfiles.PAYLOADS) + 1  # + the portal page with scripts
    served_as_pages = [p.name for p in (site / "originals").iterdir() if p.suffix in {".html", ".htm", ".xhtml", ".shtml"}]
    assert served_as_pages == [], "an original HTML report would run as a page of the site"


def test_no_page_carries_markup_from_the_corpus(site: Path) -> None:
    problems = []
    for path in html_pages(site):
        tree_ = HTMLParser((site / path).read_text("utf-8"))
        for node in tree_.css("*"):
            for name, value in node.attributes.items():
                value = (value or "").strip().lower()
                if name.lower().startswith("on"):
                    problems.append(f"{path}: <{node.tag} {name}=…>")
                if name in {"href", "src", "action", "formaction", "srcset"} and value.replace("\t", "").startswith(
                    ("javascript:", "data:text", "vbscript:")
                ):
                    problems.append(f"{path}: <{node.tag} {name}={value[:40]}>")
            if node.tag in {"iframe", "object", "embed", "base", "foreignobject", "frame", "meta"} and not (
                node.tag == "meta" and node.parent is not None and node.parent.tag == "head"
            ):
                problems.append(f"{path}: <{node.tag}>")
            if node.tag == "script" and not (node.attributes.get("src") or "").split("/")[-1].endswith(".js"):
                if f"'{script_hash(node.text(deep=True))}'" not in csp(tree_).get("script-src", []):
                    problems.append(f"{path}: inline <script> not allowed by its hash in the CSP")
            if node.tag == "img" and ":" in (node.attributes.get("src") or "").split("/")[0]:
                problems.append(f"{path}: outside image {node.attributes.get('src', '')[:60]}")
    assert problems == []


def csp(tree_: HTMLParser) -> dict[str, list[str]]:
    """The page's meta Content-Security-Policy as directive → sources ({} when there is none, or several)."""
    metas = [m for m in tree_.css("meta[http-equiv]")
             if (m.attributes.get("http-equiv") or "").lower() == "content-security-policy"]
    if len(metas) != 1:
        return {}
    return {d.split()[0]: d.split()[1:] for d in (metas[0].attributes.get("content") or "").split(";") if d.strip()}


def script_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def test_every_page_has_a_csp_forbidding_inline_scripts_and_outside_origins(site: Path) -> None:
    for path in html_pages(site):
        policy = csp(HTMLParser((site / path).read_text("utf-8")))
        assert policy, f"{path}: no (or more than one) Content-Security-Policy meta tag"
        assert policy.get("default-src") == ["'self'"], (path, policy)
        scripts = policy.get("script-src", policy["default-src"])
        # the site's own files, or the site's own inline script named by its hash (the 404 page, served at any depth)
        assert all(s == "'self'" or s.startswith("'sha256-") for s in scripts), (path, policy)
        for directive, sources in policy.items():
            assert not any(s in {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} for s in sources), (
                path, directive, sources)
        assert policy.get("object-src") == ["'none'"], (path, policy)


def test_search_snippets_escape_the_report_text(site: Path) -> None:
    index = site.parent / "index"
    for query in ("重点领域", "粗体", "温县"):
        out = subprocess.run([str(ARCHIVE), "search", "--json", "--limit", "20", query, "--index", str(index)],
                             cwd=site.parent, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        hits = json.loads(out.stdout)["results"]
        assert hits, query
        for hit in hits:
            snippet = hit["snippet"].replace("<mark>", "").replace("</mark>", "")
            assert "<" not in snippet and ">" not in snippet, (query, hit["snippet"])
        if query == "重点领域":
            assert any("&lt;script&gt;" in hit["snippet"] for hit in hits)


# --- in the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with running(site, PREFIX) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "Debian chromium is not installed: run make browser-deps"
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Watch:
    """Dialogs, outside requests, page errors and CSP violations seen on a page."""

    def __init__(self, page: object, base_url: str) -> None:
        self.problems: list[str] = []
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("console", lambda m: "Content Security Policy" in m.text and self.problems.append(f"csp: {m.text}"))
        page.on("request", lambda r: r.url.startswith((base_url, "data:")) or self.problems.append(
            f"outside request: {r.url}"))


@pytest.mark.browser
def test_no_payload_runs_on_any_page_or_search(site: Path, base_url: str, browser: object) -> None:
    context = browser.new_context(locale="zh-CN")
    # a request leaving the site is answered here, never by the network
    context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
    problems: list[str] = []
    try:
        page = context.new_page()
        watch = Watch(page, base_url)
        urls = [base_url + quote(path) for path in html_pages(site)]
        urls += [base_url + "search.html?q=" + quote(q) for q in SEARCHES]
        for url in urls:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(30)
            if page.evaluate("window.__pwned !== undefined"):
                problems.append(f"script ran: {url}")
            problems.extend(f"{url}: {p}" for p in watch.problems)
            watch.problems.clear()
        page.goto(base_url + "index.html")
        for query in SEARCHES[:3]:
            page.fill("#site-q", query)
            page.press("#site-q", "Enter")
            page.wait_for_load_state("load")
            page.wait_for_timeout(100)
            if page.evaluate("window.__pwned !== undefined"):
                problems.append(f"script ran after searching {query}")
            problems.extend(watch.problems)
            watch.problems.clear()
    finally:
        context.close()
    assert problems == []


@pytest.mark.browser
def test_payloads_are_shown_as_text(site: Path, base_url: str, browser: object) -> None:
    page = browser.new_page()
    try:
        reports = [p for p in html_pages(site) if p.startswith("reports/") and "window.__pwned" in
                   (site / p).read_text("utf-8")]
        # each payload's own report, and the reports whose similar passages quote one of its paragraphs
        assert len([r for r in reports if "pwned" in r]) == len(badfiles.PAYLOADS)
        for report in reports:
            page.goto(base_url + quote(report))
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            text = page.inner_text("main")
            assert "window.__pwned" in text, report
            if "pwned" in report:  # the payload's own report (the others quote its agency or a paragraph)
                assert "<b>粗体</b>" in text, report
        page.goto(base_url + "pages/about.html")
        text = page.inner_text("main")
        assert "<script>" in text or "script" in text
        assert page.locator("main a[href^='javascript']").count() == 0
    finally:
        page.close()
