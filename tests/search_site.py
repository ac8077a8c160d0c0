"""Helpers of the browser-search tests and benchmark: a site served under /nianbao/, chromium, a query runner."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from site_builder.preview import CHROMIUM, CHROMIUM_ARGS, make_server

PREFIX = "/nianbao/"


class _NoRangeHandler(http.server.SimpleHTTPRequestHandler):
    """A server that ignores Range (as some do): every file is sent whole, with status 200; each
    request's path and size are appended to ``sent``."""

    sent: list[tuple[str, int]]

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        super().do_GET()
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_file():
            self.sent.append((self.path, path.stat().st_size))

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(root: Path, ranges: bool = True, sent: list[tuple[str, int]] | None = None) -> Iterator[str]:
    """Serve ``root`` at http://127.0.0.1:PORT/nianbao/ from a thread (``archive serve``'s handler,
    which answers Range; ``ranges=False``: a server that ignores it and appends each request's path
    and size to ``sent``); yields that address."""
    if ranges:
        server = make_server(root, 0, PREFIX)
    else:
        handler = type("Handler", (_NoRangeHandler,), {"sent": sent if sent is not None else []})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


# Runs many queries in one evaluate call: [{q, year?, region?, agency?, part?, kind?, limit?}] →
# [{total, ids, scores, suggestion}] with the engine of the site (the page must be on the site).
RUN_QUERIES_JS = """
async (queries) => {
  const { SearchEngine } = await import(new URL("static/search/engine.js", document.baseURI).href);
  const engine = new SearchEngine(new URL("search/", document.baseURI).href);
  const out = [];
  for (const query of queries) {
    const filters = {};
    for (const f of ["year", "region", "agency", "part", "kind"]) if (query[f]) filters[f] = query[f];
    const r = await engine.search(query.q, filters, query.limit || 10);
    const docs = await engine.documents(r.hits.map((h) => h.doc));
    out.push({ total: r.total, ids: r.hits.map((h) => docs.get(h.doc).id),
               scores: r.hits.map((h) => h.score), suggestion: r.suggestion });
  }
  return out;
}
"""


def run_queries(page: Any, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return page.evaluate(RUN_QUERIES_JS, queries)


def cli_results(index_dir: Path, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same queries with ``archive search``'s library function (what --json prints)."""
    from archive.index.search import ArchiveSearcher, Filters

    out = []
    with ArchiveSearcher(index_dir) as searcher:
        for query in queries:
            filters = Filters(
                agency=query.get("agency"), region=query.get("region"),
                year=int(query["year"]) if query.get("year") else None,
                part=query.get("part"), kind=query.get("kind"),
            )
            response = searcher.search(query["q"], filters, query.get("limit", 10))
            out.append({
                "total": response.total,
                "ids": [h.fields["id"] for h in response.hits],
                "scores": [h.score for h in response.hits],
                "suggestion": response.suggestion,
            })
    return out


def _stored_documents(index_dir: Path) -> list[dict[str, Any]]:
    """Every stored document, in the order of their stable ids (Whoosh's document numbers depend on
    which writer process took which batch, so picks made from them would differ between ingests)."""
    from archive.index.search import ArchiveSearcher

    with ArchiveSearcher(index_dir) as searcher:
        docs = [dict(fields) for _, fields in searcher.searcher.reader().iter_docs()]
    return sorted(docs, key=lambda d: d["id"])


def parity_queries(index_dir: Path, seed: int = 5) -> list[dict[str, Any]]:
    """At least 100 queries: section phrases (plain and quoted), table labels, agency names, two words,
    exclusions, filters and a few typos; each asked for up to 1000 results."""
    import random
    import re

    rng = random.Random(seed)
    docs = _stored_documents(index_dir)
    sections = [d for d in docs if d["kind"] == "section" and len(d.get("text") or "") >= 30]
    rows = [d for d in docs if d["kind"] == "table_row"]
    agencies = sorted({d["agency"] for d in docs if d.get("agency")})
    years = sorted({d["year"] for d in docs if d.get("year")})
    provinces = sorted({d["province"] for d in docs if d.get("province")})
    queries: list[dict[str, Any]] = []
    pieces = re.compile(r"[^，。；、：！？（）“”\s]{4,20}")
    for doc in rng.sample(sections, min(40, len(sections))):
        found = pieces.findall(doc["text"])
        if found:
            phrase = rng.choice(found)
            queries.append({"q": phrase})
            if len(queries) % 3 == 0:
                queries.append({"q": f'"{phrase[: max(4, len(phrase) // 2)]}"'})
    for doc in rng.sample(rows, min(15, len(rows))):
        queries.append({"q": doc["label"]})
    for label in ("不予公开 国家秘密", "本年新收政府信息公开申请数量", "行政复议 维持", "予以公开"):
        queries.append({"q": label, "kind": "table_row"})
    # table rows that many reports share word for word, filtered by what differs between those
    # documents: agency, region, year
    for label, choice in (("本机关不掌握相关政府信息", 0), ("予以公开", 1), ("政府信息公开申请", 2), ('"不予公开"', 0)):
        if choice == 0 and agencies:
            queries.append({"q": label, "agency": rng.choice(agencies)})
        elif choice == 1 and provinces:
            queries.append({"q": label, "region": rng.choice(provinces)[:2]})
        elif years:
            queries.append({"q": label, "year": rng.choice(years)})
    for agency in agencies[:10]:
        queries.append({"q": agency})
    words = ["依申请公开", "政务新媒体", "政策解读", "行政复议", "主动公开", "政府网站", "培训", "考核",
             "信息公开", "监督", "保密审查", "答复", "平台", "制度"]
    for _ in range(15):
        a, b = rng.sample(words, 2)
        queries.append({"q": f"{a} {b}"})
    queries += [{"q": "政务公开 -新媒体"}, {"q": "信息公开 -依申请公开"}, {"q": "培训 -考核"}]
    for word in rng.sample(words, 8):
        query: dict[str, Any] = {"q": word}
        choice = rng.randrange(5)
        if choice == 0 and years:
            query["year"] = rng.choice(years)
        elif choice == 1 and provinces:
            query["region"] = rng.choice(provinces)[:2]
        elif choice == 2 and agencies:
            query["agency"] = rng.choice(agencies)[:3]
        elif choice == 3:
            query["part"] = rng.choice("一二三四五六")
        else:
            query["kind"] = rng.choice(["section", "table_row"])
        queries.append(query)
    queries += [{"q": "工开"}, {"q": "政务新煤体"}, {"q": "依申情公开"}, {"q": "zzzz"}]
    for query in queries:
        query["limit"] = 1000
    return queries


def known_items(index_dir: Path, count: int = 200, seed: int = 11) -> list[dict[str, str]]:
    """``count`` sentences of 8–20 characters picked at random (fixed seed) from sections, each found
    in that section only (a sentence that many reports share word for word names no one section)."""
    import random
    import re

    sentence_re = re.compile(r"[^。；！？\n]+")
    sections = [d for d in _stored_documents(index_dir) if d["kind"] == "section" and d.get("text")]
    everything = "\x00".join(d["text"] for d in sections)
    rng = random.Random(seed)
    picked: list[dict[str, str]] = []
    tries = 0
    while len(picked) < count and tries < count * 200:
        tries += 1
        doc = rng.choice(sections)
        sentences = [s.strip() for s in sentence_re.findall(doc["text"]) if len(s.strip()) >= 8]
        if not sentences:
            continue
        sentence = rng.choice(sentences)
        size = rng.randint(8, 20)
        if len(sentence) > size:
            start = rng.randrange(len(sentence) - size + 1)
            sentence = sentence[start : start + size]
        if everything.count(sentence) == 1:
            picked.append({"q": sentence, "id": doc["id"], "report_id": doc["report_id"]})
    return picked


def build_site(content: Path, index_dir: Path, out: Path) -> Path:
    """Ingest ``content`` into ``index_dir`` and build the site (with its search export) into ``out``."""
    from archive.index.ingest import ingest
    from site_builder.build import build

    assert ingest(content, index_dir).exit_code in (0, 3)
    build(content, out, index_dir=index_dir)
    assert (out / "search" / "manifest.json").is_file(), "the build wrote no search export"
    return out
