"""Document numbers are the same on every full ingest of the same corpus, and follow report ids.

The search's tie rule (equal scores: the lower document number first, docs/search.md) depends on
them; Whoosh's own multi-process writer numbers documents by which worker happened to take which
batch. The corpus is large enough (12 reports) for the ingest to use its worker processes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from archive_command import ARCHIVE

from archive.index.ingest import IN_PROCESS_LIMIT, WORKERS, ingest
from archive.index.search import ArchiveSearcher

ROOT = Path(__file__).resolve().parent.parent


def numbered_ids(index_dir: Path) -> list[tuple[int, str, str]]:
    with ArchiveSearcher(index_dir) as searcher:
        reader = searcher.searcher.reader()
        return [(docnum, fields["report_id"], fields["id"]) for docnum, fields in reader.iter_docs()]


def test_two_ingests_number_documents_alike_in_report_order(tmp_path: Path) -> None:
    content = tmp_path / "synth"
    subprocess.run([ARCHIVE, "synth", "--count", "12", "--out", str(content),
                    "--seed", "3"], check=True, capture_output=True)
    assert len(list(content.rglob("*.txt"))) >= IN_PROCESS_LIMIT
    first, second = tmp_path / "one", tmp_path / "two"
    assert ingest(content, first).exit_code in (0, 3)
    assert ingest(content, second).exit_code in (0, 3)

    numbered = numbered_ids(first)
    assert numbered == numbered_ids(second)
    report_order = [rid for _, rid, _ in numbered]
    assert report_order == sorted(report_order), "documents are numbered in report-id order"
    runs = [rid for i, rid in enumerate(report_order) if i == 0 or rid != report_order[i - 1]]
    assert len(runs) == len(set(runs)), "each report's documents are contiguous"
    if WORKERS > 1:
        with ArchiveSearcher(first) as searcher:
            assert len(searcher.searcher.reader().leaf_readers()) == WORKERS, "one segment per worker"
