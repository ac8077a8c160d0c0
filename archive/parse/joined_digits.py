"""Split a table row whose digits were printed run together (``801000081`` for 80·1·0·0·0·0·81).

A row's digits are cut into its cells only where exactly one cut satisfies the table's own
arithmetic (``table_arithmetic.equations``): a row's total is the sum of its applicant columns,
（七）总计 the sum of the results, 一 + 二 = （七） + 四 in every column, 维持 + 纠正 + 其他 + 尚未审结
= 总计 in table 四. Rows are cut together, since a cut that fits its own row may not fit its column.
A number never starts with 0 unless it is 0, which rules out most cuts.

Where no arithmetic covers a row (table 二), a cut is taken only when the digits cannot be read
any other way, not even with a cell left blank (``000`` for 0·0·0); ``77132470`` stays unread.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from math import comb

from archive.parse.table_arithmetic import CellKey, Equation

MAX_CUTS = 200_000  # a run with more ways to cut it than this is not tried at all
MAX_STEPS = 2_000_000  # the joint search stops here, and only each row's own arithmetic decides


@dataclass(frozen=True)
class JoinedRun:
    """Digits printed for ``cells`` (row, column) of one table, in the order printed: ``groups`` are
    the digit strings that blanks kept apart (one group when nothing did), each one cell or more."""

    cells: tuple[CellKey, ...]
    groups: tuple[str, ...]

    @property
    def raw(self) -> str:
        return " ".join(self.groups)


@dataclass(frozen=True)
class Stated:
    """A figure the report's text states (共收到申请 81 件) and the ways the tables may hold it: each
    reading is the cells it adds and the cells it takes away (办结 may be （七）总计 less （六）其他处理)."""

    value: int
    readings: tuple[tuple[tuple[CellKey, ...], tuple[CellKey, ...]], ...]

    def agrees(self, values: dict[CellKey, int]) -> bool | None:
        """Whether some reading gives the value; None when no reading can be evaluated on ``values``."""
        known = [(plus, minus) for plus, minus in self.readings if all(c in values for c in (*plus, *minus))]
        if not known:
            return None
        return any(sum(values[c] for c in plus) - sum(values[c] for c in minus) == self.value for plus, minus in known)


@dataclass(frozen=True)
class Decision:
    """The cut of one run: its values, or None with why it could not be decided."""

    values: tuple[int, ...] | None
    reason: str = ""  # "none" (no cut fits), "several" (more than one fits), "" when decided


def cuts(groups: tuple[str, ...], width: int, limit: int = MAX_CUTS) -> list[tuple[int, ...]] | None:
    """Every way to read the digit ``groups`` as ``width`` numbers, each group one number or more and no
    number with a leading zero; None when there are more than ``limit`` ways."""
    if width < len(groups) or not all(g.isdigit() for g in groups) or sum(map(len, groups)) < width:
        return []
    if comb(sum(map(len, groups)) - 1, width - 1) > limit:  # ways to cut the digits, groups aside
        return None
    out: list[tuple[int, ...]] = []

    def place(index: int, left: int, taken: tuple[int, ...]) -> None:
        if index == len(groups):
            if left == 0:
                out.append(taken)
            return
        group = groups[index]
        later = len(groups) - index - 1
        for parts in range(1, min(len(group), left - later) + 1):
            for piece in _split(group, parts):
                place(index + 1, left - parts, taken + piece)

    place(0, width, ())
    return out


def _split(digits: str, parts: int) -> list[tuple[int, ...]]:
    """``digits`` cut into ``parts`` numbers, none with a leading zero."""
    out: list[tuple[int, ...]] = []
    for bounds in combinations(range(1, len(digits)), parts - 1):
        edges = (0, *bounds, len(digits))
        pieces = [digits[a:b] for a, b in zip(edges, edges[1:], strict=False)]
        if all(p == "0" or not p.startswith("0") for p in pieces):
            out.append(tuple(int(p) for p in pieces))
    return out


def readable_with_blanks(groups: tuple[str, ...], width: int) -> bool:
    """Whether the digits can also be read as fewer than ``width`` numbers (a cell left blank)."""
    return any(cuts(groups, fewer) for fewer in range(len(groups), width))


def decide(
    runs: list[JoinedRun], fixed: dict[CellKey, int], rules: tuple[Equation, ...], stated: tuple[Stated, ...] = ()
) -> list[Decision]:
    """The cut of each run, where exactly one satisfies the arithmetic; the others undecided.

    Where several cuts satisfy it, the figures the text states (``stated``) may choose: the cuts that
    agree with every figure they can be checked against are kept, if any do (a figure the text
    states may be counted another way: it never rules out every cut).
    """
    options: list[list[tuple[int, ...]] | None] = []
    for run in runs:
        found = cuts(run.groups, len(run.cells))
        own = [rule for rule in rules if _within(rule, set(run.cells), fixed) and _touches(rule, run)]
        if found is not None:
            found = [cut for cut in found if all(_holds(rule, _values(run, cut, fixed)) for rule in own)]
        options.append(found)
    alone = [
        _alone(run, _agreeing(found, run, fixed, stated), any(_touches(rule, run) for rule in rules))
        for run, found in zip(runs, options, strict=True)
    ]
    # Runs that cannot be read at all take no part in the joint search: rules over their cells are unusable.
    live = [index for index, found in enumerate(options) if found]
    live_cells = {cell for index in live for cell in runs[index].cells}
    joint_rules = [
        rule for rule in rules if _within(rule, live_cells, fixed) and sum(_touches(rule, runs[i]) for i in live) > 1
    ]
    joint = (
        _joint([runs[i] for i in live], [options[i] for i in live], fixed, joint_rules, stated) if joint_rules else None
    )
    if joint is None:
        return alone
    decisions = list(alone)
    for index, kept in zip(live, joint, strict=True):
        values = next(iter(kept)) if len(kept) == 1 else None
        decisions[index] = Decision(values, "" if values is not None else "several")
    return decisions


def _agreeing(
    found: list[tuple[int, ...]] | None, run: JoinedRun, fixed: dict[CellKey, int], stated: tuple[Stated, ...]
) -> list[tuple[int, ...]] | None:
    """The cuts of one run that agree with the stated figures checkable on it, when some do; else all."""
    if not found or not stated:
        return found
    kept = [cut for cut in found if all(s.agrees(_values(run, cut, fixed)) is not False for s in stated)]
    return kept or found


def _within(rule: Equation, cells: set[CellKey], fixed: dict[CellKey, int]) -> bool:
    return all(c in cells or c in fixed for c in (*rule.left, *rule.right))


def _touches(rule: Equation, run: JoinedRun) -> bool:
    return any(c in run.cells for c in (*rule.left, *rule.right))


def _alone(run: JoinedRun, found: list[tuple[int, ...]] | None, has_rules: bool) -> Decision:
    """A run decided by its own arithmetic only (or, without any, by its digits alone)."""
    if found is None:
        return Decision(None, "several")
    if not found:
        return Decision(None, "none")
    if len(found) > 1:
        return Decision(None, "several")
    if not has_rules and readable_with_blanks(run.groups, len(run.cells)):
        return Decision(None, "several")
    return Decision(found[0], "")


def _joint(
    runs: list[JoinedRun],
    options: list[list[tuple[int, ...]] | None],
    fixed: dict[CellKey, int],
    rules: tuple[Equation, ...] | list[Equation],
    stated: tuple[Stated, ...] = (),
) -> list[set[tuple[int, ...]]] | None:
    """For each run, the cuts that belong to some assignment of all runs satisfying every rule (and,
    where some assignments also agree with every stated figure, to one of those).

    None when the search cannot be done (a run with too many cuts, no run at all, the step limit)
    or when no assignment satisfies every rule (the report's own figures do not add up, so the rules
    cannot choose between cuts).
    """
    if not runs or any(found is None for found in options):
        return None
    order = sorted(range(len(runs)), key=lambda i: len(options[i] or []))
    placed: dict[CellKey, int] = dict(fixed)
    position = {index: step for step, index in enumerate(order)}
    # A rule is checked as soon as the last run it depends on is placed.
    due: dict[int, list[Equation]] = {}
    for rule in rules:
        owners = {position[i] for i, run in enumerate(runs) for c in (*rule.left, *rule.right) if c in run.cells}
        if len(owners) > 1:
            due.setdefault(max(owners), []).append(rule)
    kept: list[set[tuple[int, ...]]] = [set() for _ in runs]
    agreeing: list[set[tuple[int, ...]]] = [set() for _ in runs]
    chosen: list[tuple[int, ...]] = []
    steps = 0

    def search(step: int) -> Iterator[None]:
        nonlocal steps
        if step == len(order):
            yield None
            return
        index = order[step]
        for cut in options[index] or []:
            steps += 1
            if steps > MAX_STEPS:
                raise _TooLong
            for cell, value in zip(runs[index].cells, cut, strict=True):
                placed[cell] = value
            if all(_holds(rule, placed) for rule in due.get(step, ())):
                chosen.append(cut)
                yield from search(step + 1)
                chosen.pop()
        for cell in runs[index].cells:
            placed.pop(cell, None)

    try:
        solutions = 0
        for _ in search(0):
            solutions += 1
            agrees = all(figure.agrees(placed) is not False for figure in stated)
            for step, cut in enumerate(chosen):
                kept[order[step]].add(cut)
                if agrees:
                    agreeing[order[step]].add(cut)
    except _TooLong:
        return None
    if not solutions:
        return None
    return agreeing if any(agreeing) else kept


class _TooLong(Exception):
    """The joint search went over its step limit."""


def _values(run: JoinedRun, cut: tuple[int, ...], fixed: dict[CellKey, int]) -> dict[CellKey, int]:
    return {**fixed, **dict(zip(run.cells, cut, strict=True))}


def _holds(rule: Equation, values: dict[CellKey, int]) -> bool:
    return sum(values[c] for c in rule.left) == sum(values[c] for c in rule.right)
