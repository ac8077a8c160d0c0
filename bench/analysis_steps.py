"""One step of the analysis benchmark, in its own process (``bench/bench_analysis.py`` runs it and measures it).

    analysis_steps.py themes  INDEX CONTENT   # tag every stored report's sentences (what a re-tag does)
    analysis_steps.py words   INDEX CONTENT   # cut every paragraph of every report into words (the ingest's share)
    analysis_steps.py similar INDEX CONTENT   # similar passages across agencies, from the stored analysis
    analysis_steps.py sqlite  INDEX CONTENT   # the site's model, then data/archive.db

Prints one JSON object: the seconds of the step (and of what it needs first), and counts.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.index import store  # noqa: E402
from archive.index.report_analysis import paragraph_words, read_analysis, words_segmenter  # noqa: E402
from archive.themes.config import load_themes, themes_path  # noqa: E402
from archive.themes.tagging import tag_report  # noqa: E402


def _reports(index: Path) -> tuple[Path, list[str]]:
    generation = store.current_generation(index)
    assert generation is not None, index
    return generation, [m["report_id"] for m in store.read_manifest(generation)["files"].values()]


def themes(index: Path, content: Path) -> dict[str, Any]:
    theme_list = load_themes(themes_path(content))
    generation, ids = _reports(index)
    started = time.perf_counter()
    sentences = tagged = 0
    for report_id in ids:
        for sentence in tag_report(store.read_report(generation, report_id), theme_list):
            sentences += 1
            tagged += bool(sentence.themes)
    return {"seconds": time.perf_counter() - started, "reports": len(ids), "sentences": sentences, "tagged": tagged}


def words(index: Path, content: Path) -> dict[str, Any]:
    generation, ids = _reports(index)
    segmenter = words_segmenter(index)
    started = time.perf_counter()
    paragraphs = characters = 0
    for report_id in ids:
        for paragraph in paragraph_words(store.read_report(generation, report_id), segmenter):
            paragraphs += 1
            characters += len(paragraph.words)
    return {"seconds": time.perf_counter() - started, "paragraphs": paragraphs, "characters": characters}


def similar(index: Path, content: Path) -> dict[str, Any]:
    from archive.corpus.similar import PARTS, Passage, find_similar

    generation, ids = _reports(index)
    started = time.perf_counter()
    passages = []
    agency: dict[str, str] = {}
    for report_id in ids:
        stored = read_analysis(generation, report_id)
        assert stored is not None, report_id
        passages.extend(Passage(report_id, p.part, p.anchor, p.number, p.words) for p in stored.paragraphs if p.part in PARTS)
    for item in store.read_manifest(generation)["files"].values():
        agency[item["report_id"]] = item.get("agency") or item["report_id"]
    read = time.perf_counter() - started
    started = time.perf_counter()
    found = find_similar(passages, lambda report_id: agency[report_id])
    return {
        "seconds": time.perf_counter() - started,
        "read_seconds": read,
        "passages": len(passages),
        "matches": sum(len(m) for m in found.values()),
        "copied": sum(1 for m in found.values() for x in m if x.copied),
    }


def sqlite(index: Path, content: Path) -> dict[str, Any]:
    from site_builder.build import _analyse, _make_site
    from site_builder.database import write_database
    from site_builder.sources import open_store

    theme_list = load_themes(themes_path(content))
    started = time.perf_counter()
    report_store, _ = open_store(content, index, theme_list)
    site = _make_site(content, report_store, None)
    _analyse(site, theme_list)
    model = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.db"
        started = time.perf_counter()
        write_database(site, path, report_store.words)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {"seconds": seconds, "model_seconds": model, "bytes": size, "reports": len(site.entries)}


STEPS = {"themes": themes, "words": words, "similar": similar, "sqlite": sqlite}

if __name__ == "__main__":
    step, index_dir, content_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    print(json.dumps(STEPS[step](index_dir, content_dir)))
