"""Building the site, top to bottom: reports → agencies → pages → render and stage → validate links → swap."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from archive.agencies import group_reports, load_config
from archive.errors import BuildError
from archive.model import Report
from archive.themes.config import ThemeList, load_themes, themes_path
from site_builder import fingerprint, links, writer
from site_builder.analysis import corpus_views
from site_builder.build_cache import BuildCache
from site_builder.context import page_context
from site_builder.context_key import context_key
from site_builder.pages import PAGE_KINDS, sitemap
from site_builder.site import MadeFile, Page, Site, section_heading
from site_builder.sources import MemoryStore, ReportStore, open_store

log = logging.getLogger(__name__)

WEB_PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".svg", ".xml"}
STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass
class BuildResult:
    out: Path
    reports: int
    agencies: int
    pages: int
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    summarized: int = 0
    """Reports read whole to summarize them; the others' summaries came from the build cache."""


def build(
    content_dir: Path | str = "content",
    out: Path | str = "output",
    index_dir: Path | str | None = None,
    reports: list[Report] | None = None,
    site_url: str | None = None,
) -> BuildResult:
    """Build the whole site into ``out``; the old site stays in place until the new one is complete.

    ``reports`` given directly skip loading (tests, benchmarks); otherwise they come from the index
    of the last ingest, or from parsing ``content_dir/reports`` when nothing was ingested.
    """
    started = time.monotonic()
    content_dir, out = Path(content_dir), Path(out).absolute()
    with writer.build_lock(out):
        writer.prepare(out)
        problems: list[str] = []
        themes = load_themes(themes_path(content_dir))
        cache = BuildCache(out)
        if reports is None:
            store, problems = open_store(content_dir, Path(index_dir) if index_dir else None, themes, cache)
        else:
            store = MemoryStore(reports, themes)
        # The site's data lives as long as the build: collections need not look at it again and again.
        gc.freeze()
        try:
            site = _make_site(content_dir, store, site_url)
            site.cache, site.out = cache, out
            site.load_problems = problems
            _analyse(site, themes)
            gc.freeze()
            copies = _originals(site)
            pages = _collect_pages(site)
            with writer.Staging(out) as staging:
                search = _start_search(site, store.source_index, staging)
                try:
                    page_links, digests = _render_and_stage(site, pages, staging)
                    _stage_files(copies, staging)
                    _stage_search(search, staging, problems, digests)
                finally:
                    if search.job is not None:
                        search.job.close()
                staging.add(fingerprint.MANIFEST, fingerprint.manifest_bytes(digests))
                _validate_links(page_links, staging.paths)
                stats = staging.commit()
        finally:
            gc.unfreeze()
    return BuildResult(
        out=out,
        reports=len(site.entries),
        agencies=len(site.agencies),
        pages=page_links.pages,
        written=stats.written,
        kept=stats.kept,
        removed=stats.removed,
        problems=problems,
        seconds=time.monotonic() - started,
        summarized=store.summarized,
    )


def _make_site(content_dir: Path, store: ReportStore, site_url: str | None) -> Site:
    """Group the reports into agencies (with content/agencies.toml) and give each report its URL."""
    agencies = group_reports(store.summaries, load_config(content_dir / "agencies.toml"))
    site = Site.from_store(content_dir, store, agencies)
    site.site_url = site_url
    return site


def _analyse(site: Site, themes: ThemeList) -> None:
    """Similar passages across agencies (as the site groups them) and the sentences of each theme."""
    agency_of = {e.report.id: (e.agency.key if e.agency else e.report.id) for e in site.entries}
    site.corpus = corpus_views(
        site.store.texts, themes, lambda report_id: agency_of.get(report_id, report_id), site.cache
    )
    site.store.texts = []  # what the pages need is in site.corpus now


def _originals(site: Site) -> dict[str, Path]:
    """Each report's original file, copied into the site when it is inside the content folder."""
    copies: dict[str, Path] = {}
    root = site.content_dir.resolve()
    for entry in site.entries:
        source = (site.content_dir / entry.report.source).resolve()
        if not source.is_file() or not source.is_relative_to(root):
            continue
        suffix = PurePosixPath(entry.report.source).suffix.lower()
        suffix = suffix if suffix.isascii() and suffix[1:].isalnum() else ".bin"
        if suffix in WEB_PAGE_SUFFIXES:
            # a portal's page, with its own scripts: published as its text, never run inside this site
            suffix += ".txt"
        entry.original_path = f"originals/{entry.slug}{suffix}"
        copies[entry.original_path] = source
    return copies


def _collect_pages(site: Site) -> list[Page]:
    """Every page of every kind, then the sitemap and robots.txt that list them."""
    pages: list[Page] = []
    for kind in PAGE_KINDS:
        pages.extend(kind.pages(site))
    pages.extend(sitemap.finish(site, pages))
    seen: set[str] = set()
    for page in pages:
        if page.path in seen:
            raise BuildError(f"两个页面使用了同一路径 {page.path}")
        seen.add(page.path)
    return pages


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["heading"] = section_heading
    return env


def _render_and_stage(
    site: Site, pages: list[Page], staging: writer.Staging
) -> tuple[links.LinkChecker, dict[str, str]]:
    """Render each page and write it to the staging folder, one at a time; returns the pages' links to
    check and the digests of the pages' inputs (for the next build).

    A page whose inputs are those of the published one (same digest) is taken as published, unrendered.
    """
    env = _environment()
    available = {p.path for p in pages}
    base = fingerprint.base_digest(available)
    previous = fingerprint.read_manifest(staging.out)
    known_links = site.cache.load_shards(LINKS_CACHE)
    found_links: dict[str, tuple[str, links.PageLinks]] = {}
    digests: dict[str, str] = {}
    page_links = links.LinkChecker()
    for page in pages:
        key = page.inputs()
        own = None
        if key is None and page.template is not None:
            own = page.values()
            key = context_key(site, page, own)
        if key is not None:
            digest = digests[page.path] = fingerprint.page_digest(base, key)
            if previous.get(page.path) == digest and staging.keep(page.path):
                if page.template is not None:
                    known = known_links.get(page.path)
                    if known is not None and known[0] == digest:
                        page_links.add_found(page.path, known[1])
                    else:
                        known = (digest, page_links.add(page.path, (staging.root / page.path).read_text("utf-8")))
                    found_links[page.path] = known
                continue
        if page.template is None:
            body = page.body()
            if isinstance(body, bytes):
                staging.add(page.path, body)
            elif isinstance(body, MadeFile):
                staging.add_made(page.path, body.make)
            else:
                staging.add_stream(page.path, body)
            continue
        context = page_context(site, page, own)
        context["nav"] = [item for item in context["nav"] if item["path"] in available]
        html = env.get_template(page.template).render(context)
        found = page_links.add(page.path, html)
        if page.path in digests:
            found_links[page.path] = (digests[page.path], found)
        staging.add(page.path, html.encode("utf-8"))
    if page_links.parsed or found_links.keys() != known_links.keys():
        site.cache.save_shards(LINKS_CACHE, found_links, known_links)
    return page_links, digests


LINKS_CACHE = "links"


def _stage_files(copies: dict[str, Path], staging: writer.Staging) -> None:
    """The original reports and the static files (CSS, JS, icon)."""
    for rel, source in sorted(copies.items()):
        staging.copy(rel, source)
    for source in sorted(STATIC_DIR.iterdir()):
        if source.is_file():
            staging.copy(f"static/{source.name}", source)


@dataclass
class _SearchStage:
    """What the build does with the browser search: keep the published files, stage ``files``, or
    wait for ``job`` (the export, made beside the pages)."""

    keep: bool = False
    digest: str | None = None
    files: Mapping[str, bytes] | None = None
    job: Any = None


def _start_search(site: Site, source_index: Path | None, staging: writer.Staging) -> _SearchStage:
    """The browser search (site_builder.search, a plugin of the build): its code, and the index export
    when the reports came from an index (an export of another corpus would not match the pages).

    The export is made again only when the index, the reports' pages or the build's code changed
    (otherwise the published files are kept as they are), in a child process while the pages are
    rendered; its units whose Whoosh segments are unchanged are taken from the published site."""
    from site_builder.search import site_files  # the search plugin, loaded only by a build that publishes it

    if source_index is None:
        return _SearchStage(files=site_files.static_files() if site_files.STATIC_DIR.is_dir() else {})
    report_paths = {e.report.id: e.path for e in site.entries}
    digest = _search_digest(source_index, report_paths)
    if fingerprint.read_manifest(staging.out).get(SEARCH_KEY) == digest and _keep_search(staging):
        return _SearchStage(keep=True, digest=digest)
    job = site_files.start_export(source_index, [e.report for e in site.entries], report_paths, staging.out)
    if job is None:
        return _SearchStage(files=site_files.static_files())
    return _SearchStage(digest=digest, job=job)


def _stage_search(search: _SearchStage, staging: writer.Staging, problems: list[str],
                  digests: dict[str, str]) -> None:
    """Stage what ``_start_search`` decided: nothing (kept), the files, or the export once it is made."""
    if search.digest is not None:
        digests[SEARCH_KEY] = search.digest
    if search.keep:
        return
    files = search.files
    if search.job is not None:
        try:
            files = search.job.files()
        except Exception as exc:  # an index from an older version: publish the site, name the problem
            log.debug("search export failed", exc_info=True)
            problems.append(f"网页搜索数据未能生成（{exc}），请重新运行 archive ingest 后再构建")
            digests.pop(SEARCH_KEY, None)
            return
    kept = getattr(files, "kept", frozenset())
    for rel in sorted(files or {}):  # one file in memory at a time: the export's files are read from disk
        if rel in kept and staging.keep(rel):
            continue
        staging.add(rel, files[rel])


SEARCH_KEY = "search/"
"""The manifest's entry for the search export: the digest of what it was made from."""
SEARCH_FOLDERS = ("search", "static/search")


def _search_digest(source_index: Path, report_paths: dict[str, str]) -> str:
    """The index generation (its name and manifest), the report pages and the build's code."""
    from archive.index import store

    generation = store.current_generation(source_index)
    manifest = (generation / store.MANIFEST_FILE).read_bytes() if generation else b""
    key = json.dumps([generation.name if generation else None, sorted(report_paths.items())], ensure_ascii=False)
    return fingerprint.page_digest(fingerprint.code_digest(), key + "\0" + hashlib.sha256(manifest).hexdigest())


def _keep_search(staging: writer.Staging) -> bool:
    """Take the published search files as they are; False (nothing kept) when there are none."""
    published = [
        p.relative_to(staging.out).as_posix()
        for folder in SEARCH_FOLDERS
        if (staging.out / folder).is_dir()
        for p in sorted((staging.out / folder).rglob("*"))
        if p.is_file()
    ]
    if not any(p.startswith("search/") for p in published):
        return False
    for rel in published:
        staging.keep(rel)
    return True


def _validate_links(page_links: links.LinkChecker, paths: set[str]) -> None:
    """Abort (leaving the old site) when any page links to a file or anchor that does not exist."""
    problems = page_links.problems(paths)
    if problems:
        shown = "\n".join(problems[:50])
        more = f"\n……另有 {len(problems) - 50} 处" if len(problems) > 50 else ""
        raise BuildError(f"网站中有 {len(problems)} 处无效链接，构建已停止，原网站保持不变：\n{shown}{more}")
