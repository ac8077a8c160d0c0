"""The browser's segmenter gives exactly jieba's tokens, on jieba's own dictionary plus user words."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jieba
import pytest

from site_builder.search.segdict import write_dictionary

ROOT = Path(__file__).resolve().parent.parent
SEGMENT_JS = ROOT / "site_builder" / "static" / "search" / "segment.js"
HARNESS = ROOT / "tests" / "js" / "segment_harness.mjs"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def _tokenizer() -> jieba.Tokenizer:
    tk = jieba.Tokenizer()
    tk.initialize()
    for word in ("依申请公开", "政务新媒体", "金乡县胡集镇人民政府", "三安全一稳定"):
        tk.add_word(word)
    return tk


def _sample_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "content" / "reports").glob("*.txt")):
        lines.extend(line for line in path.read_text("utf-8").splitlines() if line.strip())
    lines += ["A股 2023年 abc123 x86-64 “三安全一稳定”", "依申请公开答复不规范", "政策解读形式单一", "  \t\r\n", "ＡＢＣ１２３"]
    return lines


def test_browser_segmenter_matches_jieba(tmp_path: Path) -> None:
    tk = _tokenizer()
    manifest = write_dictionary(tk, tmp_path / "dict", shards=256)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    lines = _sample_lines()
    lines_path = tmp_path / "lines.json"
    lines_path.write_text(json.dumps(lines, ensure_ascii=False), "utf-8")

    result = subprocess.run(
        ["node", str(HARNESS), str(SEGMENT_JS), str(tmp_path / "dict"), str(tmp_path / "manifest.json"), str(lines_path)],
        capture_output=True, text=True, check=True, timeout=300,
    )
    data = json.loads(result.stdout)

    for line, got in zip(lines, data["out"], strict=True):
        assert got["cut"] == list(tk.cut(line, HMM=False)), line
        assert got["search"] == list(tk.cut_for_search(line, HMM=False)), line


def test_shards_hold_every_word_under_its_first_character(tmp_path: Path) -> None:
    tk = _tokenizer()
    write_dictionary(tk, tmp_path, shards=64)
    text = (tmp_path / f"{ord('依') % 64}.txt").read_text("utf-8")
    assert re.search(r"^依申请公开\t-\d+\.\d+(e-?\d+)?$", text, re.M)


def test_the_ingest_saves_the_query_dictionary_a_search_would_make(tmp_path) -> None:
    """A cold search opens the query dictionary the ingest saved, without loading jieba's whole dictionary."""
    from archive.index.ingest import ingest
    from archive.index.schema import SEARCH_FIELDS
    from archive.index.search import ArchiveSearcher
    from archive.index.vocabulary import QuerySegmenter

    content = tmp_path / "content" / "reports"
    content.mkdir(parents=True)
    for path in sorted((ROOT / "content" / "reports").glob("*.txt"))[:2]:
        (content / path.name).write_bytes(path.read_bytes())
    assert ingest(tmp_path / "content", tmp_path / "index").exit_code == 0
    with ArchiveSearcher(tmp_path / "index") as searcher:
        saved = searcher.query_segmenter
        assert searcher._index_segmenter is None, "the whole dictionary was loaded for the query dictionary"
        vocabulary = [t for name in SEARCH_FIELDS for t, _ in searcher._lexicon(name)]
        made = QuerySegmenter.restricted(searcher.index_segmenter, vocabulary)
        assert saved.freq == made.freq and saved.tokenizer.total == made.tokenizer.total
        assert searcher.search("依申请公开", limit=3).hits
