"""Incremental ingest on the real samples: unchanged, changed, deleted, added."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

from archive.cli import cli
from archive.index import store
from archive.index.ingest import ingest
from archive.index.search import ArchiveSearcher, Filters

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "reports"
TEXT_SAMPLES_ONLY = shutil.ignore_patterns("*.html", "*.pdf", "crawled")  # the five text samples: the counts below are theirs
WENXIAN = "wenxian-xianzhengfu-ban-2023.txt"
NEW_SENTENCE = "我办率先试行政务公开数字孪生沙盘推演机制。"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "content" / "reports", ignore=TEXT_SAMPLES_ONLY)
    return tmp_path / "content"


def stored_documents(index_dir: Path) -> list[dict]:
    generation = store.current_generation(index_dir)
    assert generation is not None
    with whoosh_index.open_dir(str(generation / store.WHOOSH_DIR)).searcher() as searcher:
        return list(searcher.all_stored_fields())


def search_ids(index_dir: Path, query: str, **filters: object) -> list[str]:
    with ArchiveSearcher(index_dir) as searcher:
        return [h.fields["id"] for h in searcher.search(query, Filters(**filters), limit=1000).hits]  # type: ignore[arg-type]


def test_unchanged_rerun_does_no_work_and_says_so(content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", str(content), "--index", str(index_dir)])
    assert first.exit_code == 0, first.output
    assert "解析 5 份" in first.output and "共 5 份报告" in first.output
    generation = store.current_generation(index_dir)
    second = runner.invoke(cli, ["ingest", str(content), "--index", str(index_dir)])
    assert second.exit_code == 0
    assert "索引已是最新，无需更新" in second.output and "共 5 份报告" in second.output
    assert store.current_generation(index_dir) == generation, "no new generation was written"
    quiet = runner.invoke(cli, ["ingest", str(content), "--index", str(index_dir), "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_changed_report_replaces_its_documents(content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ingest(content, index_dir)
    before = stored_documents(index_dir)
    wenxian = next(d["report_id"] for d in before if d["source"].endswith(WENXIAN))
    assert search_ids(index_dir, "数字孪生沙盘推演") == []

    path = content / "reports" / WENXIAN
    text = path.read_text("utf-8").replace("六、其他需要报告的事项\n", f"六、其他需要报告的事项\n\n{NEW_SENTENCE}\n", 1)
    path.write_text(text, "utf-8")
    result = ingest(content, index_dir)
    assert (result.parsed, result.deleted, result.rebuilt) == (1, 0, False)

    after = stored_documents(index_dir)
    hits = search_ids(index_dir, "数字孪生沙盘推演")
    assert hits and all(h.startswith(wenxian + ":") for h in hits)
    ids = [d["id"] for d in after]
    assert len(ids) == len(set(ids)), "the old documents of the changed report are gone"
    others_before = sorted(d["id"] for d in before if d["report_id"] != wenxian)
    assert sorted(d["id"] for d in after if d["report_id"] != wenxian) == others_before
    report = next(r for r in store.read_reports(index_dir) if r.id == wenxian)
    assert any(NEW_SENTENCE in s.text for _, s in report.all_sections())


def test_deleted_report_disappears(content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ingest(content, index_dir)
    wenxian = next(r for r in store.read_reports(index_dir) if r.source.endswith(WENXIAN))
    assert search_ids(index_dir, "政府信息公开", agency=wenxian.agency)
    (content / "reports" / WENXIAN).unlink()
    result = ingest(content, index_dir)
    assert (result.parsed, result.deleted, result.reports) == (0, 1, 4)
    assert all(d["report_id"] != wenxian.id for d in stored_documents(index_dir))
    assert search_ids(index_dir, "政府信息公开", agency=wenxian.agency) == []
    assert wenxian.id not in {r.id for r in store.read_reports(index_dir)}
    generation = store.current_generation(index_dir)
    assert generation is not None and not (generation / store.REPORTS_DIR / f"{wenxian.id}.json").exists()


def test_added_report_with_a_new_agency_is_one_token_everywhere(content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    moved = content.parent / WENXIAN
    shutil.move(content / "reports" / WENXIAN, moved)
    ingest(content, index_dir)
    shutil.move(moved, content / "reports" / WENXIAN)
    result = ingest(content, index_dir)
    assert result.parsed == 1 and result.reports == 5
    assert result.rebuilt, "a new agency changes the dictionary: every report is segmented again"
    agency = next(r.agency for r in store.read_reports(index_dir) if r.source.endswith(WENXIAN))
    assert agency
    generation = store.current_generation(index_dir)
    assert generation is not None
    assert agency in (generation / store.USERDICT_FILE).read_text("utf-8").splitlines()
    with ArchiveSearcher(index_dir) as searcher:
        assert searcher.parse(agency).terms == [agency]
        assert searcher.search(agency, limit=5).total > 0


def test_only_two_generations_are_kept(content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    path = content / "reports" / WENXIAN
    for n in range(4):
        path.write_text(path.read_text("utf-8") + f"\n第{n}次修改。\n", "utf-8")
        ingest(content, index_dir)
    generations = sorted(p.name for p in index_dir.glob("g*"))
    current = store.current_generation(index_dir)
    assert current is not None and current.name == generations[-1]
    assert len(generations) == 2


def test_a_changed_file_that_cannot_be_read_keeps_its_last_good_version(content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ingest(content, index_dir)
    before = sorted(d["id"] for d in stored_documents(index_dir))
    (content / "reports" / WENXIAN).write_bytes(b"")
    result = ingest(content, index_dir)
    assert result.exit_code == 3 and list(result.skipped) == [f"reports/{WENXIAN}"]
    assert sorted(d["id"] for d in stored_documents(index_dir)) == before
    assert any(r.source.endswith(WENXIAN) for r in store.read_reports(index_dir))
    runner = CliRunner()
    again = runner.invoke(cli, ["ingest", str(content), "--index", str(index_dir)])
    assert again.exit_code == 3 and WENXIAN in again.output and "保留上次成功读取的版本" in again.output
