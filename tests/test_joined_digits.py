"""Cutting digits printed run together into cells: only the one cut the table's arithmetic allows."""

from __future__ import annotations

from archive.parse.joined_digits import Decision, JoinedRun, Stated, cuts, decide, readable_with_blanks
from archive.parse.table_arithmetic import Equation, equations
from archive.schema import column_keys

REQUESTS = column_keys("requests")


def run(row: str, *groups: str) -> JoinedRun:
    return JoinedRun(tuple((row, c) for c in REQUESTS), groups)


def test_cuts_never_start_a_number_with_zero() -> None:
    assert cuts(("000",), 3) == [(0, 0, 0)]
    assert cuts(("1000",), 3) == [(10, 0, 0)]
    assert (8, 0, 10, 0, 0, 0, 81) in cuts(("801000081",), 7)
    assert all(len(cut) == 7 for cut in cuts(("801000081",), 7))
    assert cuts(("12",), 3) == []


def test_blanks_between_digits_are_cell_boundaries() -> None:
    assert cuts(("80", "1", "0", "0", "0", "0", "81"), 7) == [(80, 1, 0, 0, 0, 0, 81)]
    assert cuts(("77", "132470"), 3) == [(77, 1, 32470), (77, 13, 2470), (77, 132, 470), (77, 1324, 70), (77, 13247, 0), (7, 7, 132470)]


def test_a_row_is_cut_where_its_own_total_allows_one_cut_only() -> None:
    (decision,) = decide([run("1", "801000081")], {}, equations("requests"))
    assert decision == Decision((80, 1, 0, 0, 0, 0, 81), "")


def test_a_row_its_total_cannot_decide_is_decided_by_its_column() -> None:
    """220000022 is 22·0·…·22 or 2·20·…·22; （七）总计 of 商业企业 is 1, so 20 cannot be."""
    runs = [run("3.1", "220000022"), run("3.7", "801000081")]
    alone = decide(runs[:1], {}, equations("requests"))
    assert alone == [Decision(None, "several")]
    fixed = {(r, c): 0 for r in ("3.2",) for c in REQUESTS}
    fixed.update({("3.2", "natural_person"): 58, ("3.2", "commercial"): 1, ("3.2", "total"): 59})
    for row in ("3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6", "3.3.7", "3.3.8", "3.4.1", "3.4.2", "3.4.3",
                "3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.5.5", "3.6.1", "3.6.2", "3.6.3"):
        fixed.update({(row, c): 0 for c in REQUESTS})
    decisions = decide(runs, fixed, equations("requests"))
    assert decisions[0].values == (22, 0, 0, 0, 0, 0, 22)
    assert decisions[1].values == (80, 1, 0, 0, 0, 0, 81)


def test_a_row_no_cut_of_which_adds_up_is_not_read() -> None:
    (decision,) = decide([run("1", "1000002")], {}, equations("requests"))
    assert decision == Decision(None, "none")


def test_without_arithmetic_a_cut_is_taken_only_when_no_blank_cell_could_explain_the_digits() -> None:
    cells = tuple(("regulations", c) for c in ("issued", "repealed", "in_force"))
    assert decide([JoinedRun(cells, ("000",))], {}, ())[0].values == (0, 0, 0)
    assert readable_with_blanks(("100",), 3)  # 10 · (blank) · 0
    assert decide([JoinedRun(cells, ("100",))], {}, ())[0].values is None
    assert decide([JoinedRun(cells, ("77132470",))], {}, ())[0] == Decision(None, "several")


def test_table_four_fifteen_numbers_are_cut_by_its_three_totals() -> None:
    rows = ("review", "litigation_direct", "litigation_after_review")
    cells = tuple((r, c) for r in rows for c in column_keys("review_litigation"))
    (decision,) = decide([JoinedRun(cells, ("25380363300630003",))], {}, equations("review_litigation"))
    assert decision.values == (25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3)


def test_a_figure_the_text_states_chooses_between_cuts_the_arithmetic_allows() -> None:
    """22022 is 22·0·22 or 2·20·22 under p + q = t; the text stating p = 22 chooses the first. A stated
    figure no cut agrees with rules nothing out (the text may count another way)."""
    cells = (("a", "p"), ("a", "q"), ("a", "t"))
    rule = (Equation("sum", (("a", "t"),), (("a", "p"), ("a", "q"))),)
    run = JoinedRun(cells, ("22022",))
    assert decide([run], {}, rule) == [Decision(None, "several")]
    p_is_22 = Stated(22, (((("a", "p"),), ()),))
    assert decide([run], {}, rule, (p_is_22,)) == [Decision((22, 0, 22), "")]
    t_is_99 = Stated(99, (((("a", "t"),), ()),))
    assert decide([run], {}, rule, (t_is_99,)) == [Decision(None, "several")]
    handled = Stated(20, (((("a", "t"),), (("a", "p"),)),))  # t less p
    assert handled.agrees({("a", "t"): 22, ("a", "p"): 2}) is True
    assert handled.agrees({("a", "t"): 22}) is None
