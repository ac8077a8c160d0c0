"""Two or more files with the same agency and year: all are kept, each is flagged with a ``duplicate_report`` finding.

A second file for the same report is common on shared drives (a re-download, a corrected version,
a copy in another format). Neither is dropped: which one is right is for a person to decide, so
each copy names the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from archive.model import Finding, Report

CODE = "duplicate_report"


def duplicate_groups(reports: Iterable[Report]) -> list[list[Report]]:
    """Groups of two or more reports with the same agency and year, each ordered by source."""
    groups: dict[tuple[str, int], list[Report]] = defaultdict(list)
    for report in reports:
        if report.agency and report.year:
            groups[(report.agency, report.year)].append(report)
    return [sorted(group, key=lambda r: r.source) for _, group in sorted(groups.items()) if len(group) > 1]


def add_duplicate_findings(reports: Iterable[Report]) -> list[list[Report]]:
    """Add a ``duplicate_report`` warning to every report that shares its agency and year; return the groups.

    Calling it again on the same reports does not add the finding twice.
    """
    groups = duplicate_groups(reports)
    for group in groups:
        for report in group:
            others = "、".join(other.source for other in group if other is not report)
            copies = "两份" if len(group) == 2 else f"这 {len(group)} 份"
            more = "另一份" if len(group) == 2 else f"另外 {len(group) - 1} 份"
            message = (
                f"{report.agency} {report.year} 年度还有{more}报告文件：{others}；{copies}都已收录，请核对哪一份是正式版本"
            )
            report.findings = [f for f in report.findings if f.code != CODE]
            report.findings.append(Finding(CODE, "warning", message))
    return groups
