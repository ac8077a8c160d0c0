"""The build's cache (``site_builder.build_cache``): a rebuild takes from it what did not change, and
gives the site a build from nothing gives; a broken cache is only a slower build."""

from __future__ import annotations

import re
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from site_builder.build import build
from site_builder.build_cache import SHARDS, BuildCache, cache_dir

ROOT = Path(__file__).resolve().parent.parent


def _ingest(content: Path, index: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(content), "--index", str(index), "--quiet"])
    assert result.exit_code in (0, 3), result.output


def _site_files(site: Path) -> dict[str, bytes]:
    """Every published file but the search export (its pack names follow the segments it was made from)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.relative_to(site).as_posix().startswith(("search/", "static/search/"))
    }


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(ROOT / "content", content, dirs_exist_ok=True)
    index = tmp_path_factory.mktemp("index")
    _ingest(content, index)
    return content, index


def test_a_rebuild_after_one_report_changed_reads_only_that_report_and_equals_a_new_build(
    ingested: tuple[Path, Path], tmp_path: Path
) -> None:
    content, index = tmp_path / "content", tmp_path / "index"
    shutil.copytree(ingested[0], content)
    shutil.copytree(ingested[1], index)
    out = tmp_path / "site"
    first = build(content, out, index_dir=index)
    assert first.summarized == first.reports
    assert cache_dir(out).is_dir() and not any(p.name.endswith(".pickle") for p in out.rglob("*"))

    unchanged = build(content, out, index_dir=index)
    assert unchanged.summarized == 0 and unchanged.written == []

    source = content / "reports" / "wenxian-xianzhengfu-ban-2023.txt"
    source.write_text(source.read_text("utf-8") + "\n本报告另附说明一则：全年未发生信息公开差错。\n", "utf-8")
    _ingest(content, index)
    changed = build(content, out, index_dir=index)
    assert changed.summarized == 1
    assert any(p.startswith("reports/wenxian-") for p in changed.written)
    assert "data/archive.csv" not in changed.written  # its text changed, not its tables: the same bytes

    fresh = tmp_path / "fresh"
    build(content, fresh, index_dir=index)
    rebuilt, new = _site_files(out), _site_files(fresh)
    assert sorted(rebuilt) == sorted(new)
    database = "data/archive.db"  # brought up to date, not made again: the same rows, other row ids and pages
    assert [p for p in rebuilt if rebuilt[p] != new[p]] == [database]
    updated, made = sqlite3.connect(out / database), sqlite3.connect(fresh / database)
    assert _max_and_count(updated, "sections")[0] > _max_and_count(updated, "sections")[1]
    assert _max_and_count(made, "sections")[0] == _max_and_count(made, "sections")[1]
    for table in TABLES:
        assert _rows(updated, table) == _rows(made, table), table
    for words in ("政府 信息", "依申请", "复议", "差错"):
        assert _matches(updated, words) == _matches(made, words), words
    (changed_id,) = updated.execute("select id from reports where source like '%wenxian-xianzhengfu%'").fetchone()
    assert changed_id in {report for report, _ in _matches(updated, "差错")}  # its new words are found


TABLES = ("agencies", "reports", "sections", "cells", "findings", "themes", "theme_sentences", "similar_passages")


def _max_and_count(db: sqlite3.Connection, table: str) -> tuple[int, int]:
    return db.execute(f"select max(id), count(*) from [{table}]").fetchone()


def _rows(db: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    """The table's rows without their integer ids (an update numbers new rows after the last)."""
    columns = [c[1] for c in db.execute(f"pragma table_info([{table}])") if not (c[1] == "id" and c[2] == "INTEGER")]
    names = ", ".join(f'"{c}"' for c in columns)
    return sorted(db.execute(f"select {names} from [{table}]").fetchall(), key=repr)


def _matches(db: sqlite3.Connection, words: str) -> list[tuple[str, str]]:
    query = "select report_id, anchor from sections where id in (select rowid from sections_fts where sections_fts match ?)"
    return sorted(db.execute(query, (words,)).fetchall())


def test_a_broken_cache_is_made_again_and_the_site_is_the_same(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    content, index = ingested
    out = tmp_path / "site"
    build(content, out, index_dir=index)
    before = _site_files(out)
    for path in cache_dir(out).rglob("*"):
        if path.is_file():
            path.write_bytes(b"not a pickle" if path.suffix == ".pickle" else path.read_bytes()[:10])
    shutil.rmtree(out / "data")  # made again: from the fragments left, which are cut short
    again = build(content, out, index_dir=index)
    assert again.summarized == again.reports
    assert _site_files(out) == before


def test_a_theme_page_shows_a_changed_sentence_after_a_rebuild(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    """A theme page's key stands for each report by its entry and its sentences' digest: a sentence
    edited in one report is on the page after the rebuild, which equals a new build."""
    content, index = tmp_path / "content", tmp_path / "index"
    shutil.copytree(ingested[0], content)
    shutil.copytree(ingested[1], index)
    out = tmp_path / "site"
    build(content, out, index_dir=index)
    sources = sorted((content / "reports").glob("*.txt"))
    shown = (
        (page, text, source)
        for page in sorted((out / "themes").glob("*.html"))
        if page.name not in ("index.html", "uncovered.html")
        for text in re.findall(r'<li><span class="part-tag">[^<]*</span> <a href="[^"]*">([^<]{20,})</a></li>',
                                page.read_text("utf-8"))
        for source in sources
        if source.read_text("utf-8").count(text) == 1
    )
    page, text, source = next(shown)
    edited = text[:-1] + "（经复核）" + text[-1]
    source.write_text(source.read_text("utf-8").replace(text, edited), "utf-8")
    _ingest(content, index)
    rebuilt = build(content, out, index_dir=index)
    assert page.relative_to(out).as_posix() in rebuilt.written
    assert edited in page.read_text("utf-8") and text not in page.read_text("utf-8")
    fresh = tmp_path / "fresh"
    build(content, fresh, index_dir=index)
    assert {p: b for p, b in _site_files(out).items() if p.startswith("themes/")} == {
        p: b for p, b in _site_files(fresh).items() if p.startswith("themes/")
    }


def test_theme_pages_follow_an_edited_themes_list(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    """A keyword added to the themes list moves a sentence out of the uncovered ones, whose page lists
    the same reports as before: the rebuilt theme pages equal a new build's."""
    content, index = tmp_path / "content", tmp_path / "index"
    shutil.copytree(ingested[0], content)
    shutil.copytree(ingested[1], index)
    out = tmp_path / "site"
    build(content, out, index_dir=index)
    uncovered = (out / "themes" / "uncovered.html").read_text("utf-8")
    sentence = re.compile(r'<li><span class="part-tag">[^<]*</span> <a href="[^"]*">([^<]*)</a></li>')
    blocks = [sentence.findall(b) for b in re.findall(r'<ul class="theme-sentences">(.*?)</ul>', uncovered, re.S)]
    first, *others = next(b for b in blocks if len(b) >= 2)
    keyword = next(first[i:i + 6] for i in range(len(first) - 5)
                   if re.fullmatch(r"\w{6}", first[i:i + 6]) and not any(first[i:i + 6] in o for o in others))
    themes = content / "themes.toml"  # a keyword of an existing theme: the same pages (a new one renders all)
    listed = 'keywords = ["政策解读",'
    assert listed in themes.read_text("utf-8")
    themes.write_text(themes.read_text("utf-8").replace(listed, f'keywords = ["{keyword}", "政策解读",'), "utf-8")
    build(content, out, index_dir=index)
    assert keyword in (out / "themes" / "policy-interpretation.html").read_text("utf-8")
    assert first not in (out / "themes" / "uncovered.html").read_text("utf-8")
    fresh = tmp_path / "fresh"
    build(content, fresh, index_dir=index)
    assert {p: b for p, b in _site_files(out).items() if p.startswith("themes/")} == {
        p: b for p, b in _site_files(fresh).items() if p.startswith("themes/")
    }


def test_a_report_page_follows_the_other_agency_of_its_similar_passages(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    """A report page's key stands for each report its similar passages point to by that report's entry:
    an agency renamed in agencies.toml is named anew on the other agencies' report pages."""
    content, index = tmp_path / "content", tmp_path / "index"
    shutil.copytree(ingested[0], content)
    shutil.copytree(ingested[1], index)
    out = tmp_path / "site"
    build(content, out, index_dir=index)
    name, renamed = "淮安市洪泽区人民政府", "淮安市洪泽区人民政府（更名后）"
    pointing = [p for p in (out / "reports").glob("*.html")
                if not p.name.startswith("hongze-") and re.search(rf'<a href="hongze-[^"]*">{name} ', p.read_text("utf-8"))]
    assert pointing, "no other report's similar passage points to a report of the agency"
    agencies = content / "agencies.toml"
    listed = f'name = "{name}"\naliases = ['
    assert listed in agencies.read_text("utf-8")
    agencies.write_text(agencies.read_text("utf-8").replace(listed, f'name = "{renamed}"\naliases = ["{name}", '), "utf-8")
    build(content, out, index_dir=index)
    assert all(f">{renamed} " in p.read_text("utf-8") for p in pointing)
    fresh = tmp_path / "fresh"
    build(content, fresh, index_dir=index)
    rebuilt, new = _site_files(out), _site_files(fresh)
    assert sorted(rebuilt) == sorted(new)
    assert {p for p in rebuilt if rebuilt[p] != new[p]} <= {"data/archive.db"}  # its row ids may differ


def test_a_large_mapping_is_saved_again_only_in_the_shards_that_changed(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "site")
    data = {f"reports/r{n}.html": (f"digest {n}", "links") for n in range(1000)}
    cache.save_shards("links", data, {})
    loaded = cache.load_shards("links")
    assert loaded == data
    shards = sorted((cache_dir(tmp_path / "site") / "links").glob("*.pickle"))
    before = {p: p.stat().st_ino for p in shards}  # a shard written again is a new file (replaced)
    changed = dict(loaded)
    changed["reports/r7.html"] = ("digest 7 again", "links")
    cache.save_shards("links", changed, loaded)
    assert [p.name for p in shards if p.stat().st_ino != before[p]] == [f"{zlib.crc32(b'reports/r7.html') % SHARDS}.pickle"]
    assert cache.load_shards("links") == changed
