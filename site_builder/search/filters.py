"""The year, agency and region filters of one unit: which report each document belongs to.

Two deflated JSON blobs per unit, in its meta pack. The filter table, read by the first query with
such a filter: ``{"runs": [start gap, length, report n, …], "reports": [agency n, year, …],
"agencyCount": n}`` — runs of consecutive unit-local document numbers of one report (the gap counted
from the end of the previous run), each report's agency and year, and how many agencies the unit
has. The agencies, read by the first query with an agency or region filter (a year filter does not
need them): ``[[name, province, city, county], …]``. The part and kind filters need no file: each
posting carries its document's part and kind.
"""

from __future__ import annotations

from typing import Any

from site_builder.search.codec import deflate, to_json


class FilterWriter:
    def __init__(self) -> None:
        self.agencies: dict[tuple[str, str, str, str], int] = {}
        self.reports: dict[int, list[int]] = {}
        self.runs: list[int] = []
        self.last_end = 0
        self.run_start = 0
        self.current: tuple[int, int] | None = None

    def add(self, doc: int, number: int, stored: dict[str, Any]) -> None:
        key = (stored.get("agency", ""), stored.get("province", ""), stored.get("city", ""), stored.get("county", ""))
        self.reports[number] = [self.agencies.setdefault(key, len(self.agencies)), stored.get("year") or 0]
        current = self.current
        if current is not None and (number != current[0] or doc != current[1] + 1):
            self.runs += [self.run_start - self.last_end, current[1] + 1 - self.run_start, current[0]]
            self.last_end = current[1] + 1
            current = None
        if current is None:
            self.run_start = doc
        self.current = (number, doc)

    def finish(self, report_count: int) -> tuple[bytes, bytes]:
        """The filter table and the agencies, deflated."""
        if self.current is not None:
            self.runs += [self.run_start - self.last_end, self.current[1] + 1 - self.run_start, self.current[0]]
        reports = [self.reports.get(n, [0, 0]) for n in range(report_count)]
        agencies = [list(k) for k in sorted(self.agencies, key=self.agencies.__getitem__)]
        table = {"runs": self.runs, "reports": [x for pair in reports for x in pair], "agencyCount": len(agencies)}
        return deflate(to_json(table)), deflate(to_json(agencies))
