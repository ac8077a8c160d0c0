"""The search export's units (``site_builder.search.units.plan``): which segments are exported
together, and which units a later build keeps."""

from __future__ import annotations

from site_builder.search.units import Segment, plan


def segments(*named: tuple[str, int]) -> list[Segment]:
    out, offset = [], 0
    for name, count in named:
        out.append(Segment(name, None, offset, count))
        offset += count
    return out


def entries(units: list) -> list[dict]:
    return [{"key": u.key, "segments": [s.name for s in u.segments]} for u in units]


def test_a_full_build_puts_the_small_segments_in_a_unit_of_their_own() -> None:
    units = plan(segments(("a", 230_000), ("b", 235_000), ("c", 47), ("d", 52)), [], "code")
    assert [[s.name for s in u.segments] for u in units] == [["a", "b"], ["c", "d"]]


def test_merging_small_segments_away_keeps_the_large_unit() -> None:
    before = plan(segments(("a", 230_000), ("b", 235_000), ("c", 47), ("d", 52)), [], "code")
    after = plan(segments(("a", 230_000), ("b", 235_000), ("e", 100)), entries(before), "code")
    assert after[0].previous is not None and after[0].key == before[0].key
    assert [s.name for s in after[1].segments] == ["e"] and after[1].previous is None


def test_a_new_segment_is_a_unit_and_the_others_are_kept() -> None:
    before = plan(segments(("a", 230_000), ("b", 235_000)), [], "code")
    after = plan(segments(("a", 230_000), ("b", 235_000), ("c", 47)), entries(before), "code")
    assert [u.previous is not None for u in after] == [True, False]


def test_other_code_keeps_nothing() -> None:
    before = plan(segments(("a", 230_000), ("b", 235_000)), [], "code")
    assert all(u.previous is None for u in plan(segments(("a", 230_000), ("b", 235_000)), entries(before), "other"))
