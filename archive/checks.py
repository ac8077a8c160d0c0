"""Findings from the schema's consistency rules and from what a report lacks."""

from __future__ import annotations

from archive.model import Finding, Report


def check_report(report: Report) -> list[Finding]:
    """Every finding about one report on its own (carry-over needs two reports: ``check_carry_over``)."""
    return []


def check_carry_over(previous: Report, current: Report) -> list[Finding]:
    """requests row 2 of year N against row 4 of year N-1, per column, for one agency."""
    return []
