"""The build's cache (``site_builder.build_cache``): a rebuild takes from it what did not change, and
gives the site a build from nothing gives; a broken cache is only a slower build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from site_builder.build import build
from site_builder.build_cache import cache_dir

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
    assert [p for p in rebuilt if rebuilt[p] != new[p]] == []


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
