"""The index: analyzer, documents, stored reports, lock, unreadable files — on the real samples."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

from archive.checks import check_carry_over
from archive.cli import cli
from archive.errors import IndexBusyError
from archive.index import store
from archive.index.analysis import Segmenter, dictionary_words, domain_terms, segmenter
from archive.index.documents import PATH_SEPARATOR, report_documents
from archive.index.ingest import ingest, report_files
from archive.index.lock import ingest_lock
from archive.model import Cell, Region, Report, Section, Table
from archive.pipeline import load_report
from archive.schema import row_keys

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "reports"
TEXT_SAMPLES_ONLY = shutil.ignore_patterns("*.html", "*.pdf", "crawled")  # the five text samples: the counts below are theirs
HOLD_LOCK = """
import sys, time
from pathlib import Path
from archive.index.lock import ingest_lock
with ingest_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(SAMPLES, content / "reports", ignore=TEXT_SAMPLES_ONLY)
    index_dir = tmp_path_factory.mktemp("index") / "index"
    result = ingest(content, index_dir)
    assert result.exit_code == 0, result.skipped
    return index_dir


def constructed_report() -> Report:
    part_one = Section("一", "总体情况", "2023年，本机关推进政务公开。", 1, "p1")
    part_one.children = [
        Section("（一）", "主动公开", "发布政策解读材料14篇。", 2, "p1-1"),
        Section("（二）", "依申请公开", "收到政府信息公开申请16件。", 2, "p1-2"),
    ]
    part_five = Section("五", "存在的主要问题及改进情况", "政策解读形式单一。", 1, "p5")
    requests = Table("requests", {row: {"natural_person": Cell(0, "0", "number")} for row in row_keys("requests")})
    requests.rows["1"]["natural_person"] = Cell(16, "16", "number")
    requests.rows["3.3.1"]["total"] = Cell(None, "/", "text")
    active = Table("active", {"fees": {"amount_10k_yuan": Cell(Decimal("1.5"), "1.5", "number")}})
    return Report(
        id="rtest",
        source="reports/test.txt",
        source_format="txt",
        agency="测试县人民政府办公室",
        year=2023,
        region=Region("河南省", "焦作市", "温县", "410825"),
        sections=[part_one, part_five],
        tables={"requests": requests, "active": active},
    )


# --- analyzer ------------------------------------------------------------------------------------


def test_domain_terms_are_one_token() -> None:
    seg = segmenter()
    for term in ("政府信息公开", "依申请公开", "行政复议", "行政诉讼", "政务新媒体", "政策解读", "政务公开", "不予公开"):
        assert seg.query_tokens(term) == [term]


def test_schema_labels_are_in_the_dictionary() -> None:
    terms = set(domain_terms())
    assert {"结果维持", "尚未审结", "商业企业", "法律服务机构", "本年制发件数", "国家秘密"} <= terms
    assert all(2 <= len(t) for t in terms)


def test_tokens_are_lowercased_without_punctuation_and_keep_numbers() -> None:
    tokens = segmenter().query_tokens("2023年，共收到PDF申请16件（其中网上申请4件）。")
    assert "2023" in tokens and "16" in tokens and "4" in tokens
    assert "pdf" in tokens
    assert not any(t in {"，", "（", "）", "。", " "} for t in tokens)


def test_index_mode_adds_dictionary_words_inside_a_token_at_its_position() -> None:
    tokens = segmenter().index_tokens("政府信息公开申请")
    words = [t for t, _, _ in tokens]
    assert words[0] == "政府信息公开申请"
    assert {"政府信息公开", "信息公开", "公开"} <= set(words)
    assert all(start == -1 for _, start, _ in tokens[1:])


def test_agency_names_become_one_token(tmp_path: Path) -> None:
    seg = Segmenter(dictionary_words(["温县人民政府办公室"]), tmp_path)
    assert seg.query_tokens("温县人民政府办公室") == ["温县人民政府办公室"]
    assert list(tmp_path.glob("jieba-archive-*.cache")), "the dictionary is cached for fast loading"
    again = Segmenter(dictionary_words(["温县人民政府办公室"]), tmp_path)
    assert again.query_tokens("温县人民政府办公室") == ["温县人民政府办公室"]


def test_place_names_are_words_so_a_cut_text_segments_as_the_whole(tmp_path: Path) -> None:
    seg = Segmenter(dictionary_words(), tmp_path)
    assert seg.query_tokens("霍林郭勒市政府信息") == ["霍林郭勒市", "政府信息"]
    assert seg.query_tokens("霍林郭勒市政府信息公开工作")[:2] == ["霍林郭勒市", "政府信息公开"]
    assert "可克达拉市" in seg.query_tokens("2021 年，可克达拉市")
    words = set(dictionary_words())
    assert {"霍林郭勒市", "陕州区", "北京市"} <= words
    assert "澳门特别行政区直辖" not in words and "随县" not in words, "placeholders and two-character names stay out"


# --- documents -----------------------------------------------------------------------------------


def test_documents_of_a_constructed_report() -> None:
    report = constructed_report()
    docs = report_documents(report)
    sections = [d for d in docs if d["kind"] == "section"]
    rows = [d for d in docs if d["kind"] == "table_row"]
    assert [d["id"] for d in sections] == ["rtest:p1", "rtest:p1-1", "rtest:p1-2", "rtest:p5"]
    assert sections[1]["title"] == f"一、总体情况{PATH_SEPARATOR}（一）主动公开"
    assert {d["part"] for d in sections} == {"一", "五"}
    assert sections[0]["province"] == "河南省" and sections[0]["county"] == "温县" and sections[0]["year"] == 2023
    requests = [d for d in rows if d["table"] == "requests"]
    assert len(requests) == len(row_keys("requests"))
    first = next(d for d in requests if d["row"] == "1")
    assert json.loads(first["values"])["natural_person"] == 16
    assert json.loads(first["values"])["total"] is None, "a number the report lacks is null, never 0"
    secret = next(d for d in requests if d["row"] == "3.3.1")
    assert "不予公开" in secret["title"] and "国家秘密" in secret["title"]
    assert secret["label"] == "1.属于国家秘密"
    fees = next(d for d in rows if d["row"] == "fees")
    assert json.loads(fees["values"]) == {"amount_10k_yuan": 1.5}


def test_sample_index_has_a_document_per_section_and_table_row(sample_index: Path) -> None:
    generation = store.current_generation(sample_index)
    assert generation is not None
    ix = whoosh_index.open_dir(str(generation / store.WHOOSH_DIR))
    with ix.searcher() as searcher:
        stored = list(searcher.all_stored_fields())
    reports = store.read_reports(sample_index)
    assert len(reports) == 5
    expected = sum(len(report_documents(r)) for r in reports)
    assert len(stored) == expected
    assert len({d["id"] for d in stored}) == expected, "ids are unique"
    for report in reports:
        assert sum(1 for d in stored if d["report_id"] == report.id and d["kind"] == "section") == len(
            report.all_sections()
        )
    section = next(d for d in stored if d["kind"] == "section" and d.get("text") and d.get("part"))
    assert {"agency", "year", "title", "anchor", "report_id", "part"} <= set(section)


def test_stored_reports_match_a_fresh_parse(sample_index: Path) -> None:
    reports = {r.source: r for r in store.read_reports(sample_index)}
    for path in sorted(SAMPLES.glob("*.txt")):
        fresh = load_report(path, SAMPLES.parent)
        stored = reports[fresh.source]
        assert stored.id == fresh.id and stored.sha256 == fresh.sha256
        assert stored.sections == fresh.sections
        assert stored.tables.keys() == fresh.tables.keys()


def test_read_reports_adds_carry_over_findings(tmp_path: Path) -> None:
    from archive.synth import generate_corpus

    generate_corpus(6, tmp_path / "content", seed=3)
    ingest(tmp_path / "content", tmp_path / "index")
    reports = store.read_reports(tmp_path / "index")
    generation = store.current_generation(tmp_path / "index")
    assert generation is not None
    by_key = {(r.agency, r.year): r for r in reports}
    for report in reports:
        plain = store.read_report(generation, report.id)
        previous = by_key.get((report.agency, (report.year or 0) - 1))
        extra = check_carry_over(store.read_report(generation, previous.id), plain) if previous else []
        assert report.findings == plain.findings + extra


def test_default_index_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ARCHIVE_INDEX", raising=False)
    assert store.default_index_dir() == Path("var/index")
    monkeypatch.setenv("ARCHIVE_INDEX", str(tmp_path))
    assert store.default_index_dir() == tmp_path
    assert store.read_reports(tmp_path) == [], "no index yet: no reports"


# --- files, lock, errors ---------------------------------------------------------------------------


def test_report_files_skip_pages_and_non_reports(tmp_path: Path) -> None:
    (tmp_path / "reports" / "2023").mkdir(parents=True)
    (tmp_path / "pages").mkdir()
    for name in ("reports/a.txt", "reports/2023/b.html", "reports/c.pdf", "pages/about.md", "agencies.toml", "reports/.hidden.txt"):
        (tmp_path / name).write_text("x", "utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in report_files(tmp_path)]
    assert found == ["reports/2023/b.html", "reports/a.txt", "reports/c.pdf"]


def test_second_ingest_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with ingest_lock(tmp_path):
        with pytest.raises(IndexBusyError, match="正被另一个 archive ingest"):
            ingest(SAMPLES.parent, tmp_path)
        result = CliRunner().invoke(cli, ["ingest", str(SAMPLES.parent), "--index", str(tmp_path), "--quiet"])
        assert result.exit_code == 1
        assert "正被另一个 archive ingest" in result.output
    assert store.current_generation(tmp_path) is None


def test_an_ingest_in_another_process_makes_ingest_refuse(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = CliRunner().invoke(cli, ["ingest", str(SAMPLES.parent), "--index", str(tmp_path), "--quiet"])
        assert result.exit_code == 1
        assert f"（进程 {holder.pid}）" in result.output
    finally:
        holder.kill()
        holder.wait()
    result = CliRunner().invoke(cli, ["ingest", str(SAMPLES.parent), "--index", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, "the lock of a killed ingest does not outlive it"


def test_unreadable_files_are_named_and_skipped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLES, content / "reports", ignore=TEXT_SAMPLES_ONLY)
    (content / "reports" / "empty.txt").write_bytes(b"")
    (content / "reports" / "broken.pdf").write_bytes(b"this is not a pdf at all")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(content), "--index", str(tmp_path / "index")])
    assert result.exit_code == 3, result.output
    assert "reports/empty.txt" in result.output and "reports/broken.pdf" in result.output
    assert "共 5 份报告" in result.output
    assert len(store.read_reports(tmp_path / "index")) == 5


def test_a_folder_without_reports_leaves_the_index_alone(tmp_path: Path, sample_index: Path) -> None:
    (tmp_path / "empty").mkdir()
    generation = store.current_generation(sample_index)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "empty"), "--index", str(sample_index)])
    assert result.exit_code == 1 and "没有找到报告文件" in result.output and "索引未改动" in result.output
    assert store.current_generation(sample_index) == generation
    assert len(store.read_reports(sample_index)) == 5


def test_nothing_readable_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "content" / "reports").mkdir(parents=True)
    (tmp_path / "content" / "reports" / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "content"), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
