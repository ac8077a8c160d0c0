"""Merging small segments without reordering the others.

Whoosh's ``MERGE_SMALL`` merges the smallest segments into the new one at a commit, and returns
the segments it leaves sorted by size: their documents are then numbered in another order. The
search export keeps a unit of segments only while its segments stand in the same order, so such
a commit after one corrected report made the next build export the whole index again. Here the
same segments are merged, and the others keep the order they had.
"""

from __future__ import annotations

from typing import Any

from whoosh.writing import MERGE_SMALL


def merge_small_in_order(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: ``MERGE_SMALL``'s choice, the segments left in their first order."""
    left = {segment.segment_id() for segment in MERGE_SMALL(writer, segments)}
    return [segment for segment in segments if segment.segment_id() in left]
