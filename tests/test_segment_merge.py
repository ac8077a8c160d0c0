"""An ingest's commit merges Whoosh's small segments as Whoosh would, and leaves the other segments
in their order (Whoosh's own policy sorts them by size, which renumbers every document and made
the next build export the whole search index again after one corrected report)."""

from __future__ import annotations

from pathlib import Path

from whoosh import fields, index
from whoosh.writing import MERGE_SMALL, NO_MERGE

from archive.index.segment_merge import merge_small_in_order


def _index_of_segments(folder: Path, sizes: list[int]) -> index.Index:
    folder.mkdir()
    ix = index.create_in(str(folder), fields.Schema(n=fields.ID(stored=True)))
    number = 0
    for size in sizes:
        writer = ix.writer()
        for _ in range(size):
            writer.add_document(n=str(number))
            number += 1
        writer.commit(mergetype=NO_MERGE)
    return ix


def _commit_one_more(ix: index.Index, policy: object) -> list[tuple[str, int]]:
    writer = ix.writer()
    writer.add_document(n="new")
    writer.commit(mergetype=policy)
    return [(s.segment_id(), s.doc_count_all()) for s in ix._segments()]


def test_the_segments_left_keep_their_order(tmp_path: Path) -> None:
    sizes = [300, 100, 1, 1, 1, 1, 1, 1]  # a big segment, a smaller one, then one-report changes
    ours = _index_of_segments(tmp_path / "ours", sizes)
    before = [s.segment_id() for s in ours._segments()]
    after = _commit_one_more(ours, merge_small_in_order)
    assert [count for _, count in after] == [300, 100, 1, 6], "five of the small ones merged with the new document"
    assert [name for name, _ in after[:3]] == [before[0], before[1], before[-1]]

    whoosh = _index_of_segments(tmp_path / "whoosh", sizes)
    assert [count for _, count in _commit_one_more(whoosh, MERGE_SMALL)] == [1, 100, 300, 6]  # what it replaces


def test_without_a_merge_nothing_moves(tmp_path: Path) -> None:
    ix = _index_of_segments(tmp_path / "ix", [300, 100, 1])
    before = [s.segment_id() for s in ix._segments()]
    assert [name for name, _ in _commit_one_more(ix, merge_small_in_order)][:3] == before
