"""The report model: what every stage after parsing reads.

Everything here round-trips through JSON: ``Report.from_dict(report.to_dict()) == report``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

CellState = Literal["number", "text", "missing"]
PART_NUMERALS = ("一", "二", "三", "四", "五", "六")  # the parts of the 2021 format
OTHER_HANDLING_KEY = "3.6"  # （六）其他处理 as one row, in a table's JSON beside its rows
Severity = Literal["error", "warning", "info"]


@dataclass
class Cell:
    """One cell of a statistical table.

    ``state`` is ``number`` (value is an int, or a Decimal for the fee amount),
    ``text`` (the source has something that is not a number: '/', '—', '无', blank;
    value None) or ``missing`` (the source does not contain the cell at all; value None).

    ``inferred`` marks a number the source did not print on its own: the row's digits were run
    together (``801000081``) and this value is the one split of them that the table's own
    arithmetic allows. ``raw`` is then the whole run of digits as printed.
    ``ocr_confidence``: for a cell read by OCR, the engine's confidence (0–1); None otherwise.
    """

    value: int | Decimal | None = None
    raw: str | None = None
    state: CellState = "missing"
    inferred: bool = False
    ocr_confidence: float | None = None

    @classmethod
    def missing(cls) -> Cell:
        return cls(None, None, "missing")

    def to_dict(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        out: dict[str, Any] = {"value": value, "raw": self.raw, "state": self.state}
        if self.inferred:
            out["inferred"] = True
        if self.ocr_confidence is not None:  # only OCR'd cells carry it: text reports' JSON stays as it was
            out["ocr_confidence"] = self.ocr_confidence
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], decimal: bool = False) -> Cell:
        value = data.get("value")
        if value is not None and (decimal or isinstance(value, float)):
            value = Decimal(str(value))
        return cls(
            value, data.get("raw"), data.get("state", "missing"), bool(data.get("inferred", False)), data.get("ocr_confidence")
        )


@dataclass
class Table:
    """One of the three tables, keyed by the schema's row and column keys.

    Every row and column of the schema is present; cells not in the source are ``missing``.
    ``other_handling`` holds, by column, （六）其他处理 where the report prints it as one row (the 2019
    trial format's way): its three sub-items are then missing by nature, and this row stands for them.
    """

    key: str
    rows: dict[str, dict[str, Cell]] = field(default_factory=dict)
    other_handling: dict[str, Cell] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> Cell:
        return self.rows.get(row, {}).get(column) or Cell.missing()

    def value(self, row: str, column: str) -> int | Decimal | None:
        return self.cell(row, column).value

    @property
    def status(self) -> Literal["complete", "partial", "missing"]:
        states = [c.state for cols in self.rows.values() for c in cols.values()]
        if not states or all(s == "missing" for s in states):
            return "missing"
        if any(s == "missing" for s in states):
            return "partial"
        return "complete"

    def to_dict(self) -> dict[str, dict[str, dict[str, Any]]]:
        out = {r: {c: cell.to_dict() for c, cell in cols.items()} for r, cols in self.rows.items()}
        if self.other_handling:
            out[OTHER_HANDLING_KEY] = {c: cell.to_dict() for c, cell in self.other_handling.items()}
        return out

    @classmethod
    def from_dict(cls, key: str, data: dict[str, Any]) -> Table:
        return cls(
            key,
            {
                r: {c: Cell.from_dict(cell, decimal=(c == "amount_10k_yuan")) for c, cell in cols.items()}
                for r, cols in data.items()
                if r != OTHER_HANDLING_KEY
            },
            {c: Cell.from_dict(cell) for c, cell in data.get(OTHER_HANDLING_KEY, {}).items()},
        )


@dataclass
class Section:
    """A part (一、总体情况) or a sub-section at any level.

    ``number`` is the numbering as printed ("一", "（一）", "1."), ``title`` the heading
    without it, ``text`` the section's own paragraphs (not its children's), joined by
    newlines. ``anchor`` is a stable ASCII id, unique within the report (e.g. "s1-2").
    ``part`` is, for a level-1 section, the part of the 2021 format it stands for ("一" … "六"),
    "" where none fits: a report before 2019 numbers its parts its own way ("四、…存在的主要问题…"
    is part 五), and a part of its own ("四、政府信息公开的收费及减免情况") has no counterpart.
    Left out (None), it is the section's own number where that is 一 … 六.
    """

    number: str
    title: str
    text: str = ""
    level: int = 1
    anchor: str = ""
    children: list[Section] = field(default_factory=list)
    part: str | None = None

    def __post_init__(self) -> None:
        if self.part is None:
            number = self.number.strip().rstrip("、.．")
            self.part = number if self.level == 1 and number in PART_NUMERALS else ""

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}" if self.number else self.title

    def walk(self) -> list[tuple[list[Section], Section]]:
        """This section and every descendant, each with the path of its ancestors."""
        out: list[tuple[list[Section], Section]] = [([], self)]
        for child in self.children:
            out.extend(([self, *path], sec) for path, sec in child.walk())
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "level": self.level,
            "anchor": self.anchor,
            "part": self.part,
            "children": [c.to_dict() for c in self.children],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            number=data.get("number", ""),
            title=data.get("title", ""),
            text=data.get("text", ""),
            level=data.get("level", 1),
            anchor=data.get("anchor", ""),
            children=[cls.from_dict(c) for c in data.get("children", [])],
            part=data.get("part"),
        )


@dataclass
class Finding:
    """Something a reader of the report should know: an inconsistency, a gap, a format note."""

    code: str
    severity: Severity
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    section: str | None = None  # the anchor of the section it points to

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "section": self.section,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(**{k: data.get(k) for k in ("code", "severity", "message", "table", "row", "column", "section")})


@dataclass
class Region:
    """Where the agency sits: province › city › county, with the GB/T 2260 code of the lowest known level."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None

    @property
    def path(self) -> list[str]:
        return [p for p in (self.province, self.city, self.county) if p]

    def to_dict(self) -> dict[str, Any]:
        return {"province": self.province, "city": self.city, "county": self.county, "code": self.code}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Region:
        data = data or {}
        return cls(data.get("province"), data.get("city"), data.get("county"), data.get("code"))


@dataclass
class OcrInfo:
    """Pages of the report read by OCR (every page of a scan), the engine, and its mean confidence (0–1)."""

    engine: str
    pages: list[int]
    confidence: float
    dpi: float | None = None  # the resolution PDF pages were rendered at; None for image files

    def to_dict(self) -> dict[str, Any]:
        return {"engine": self.engine, "pages": self.pages, "confidence": self.confidence, "dpi": self.dpi}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> OcrInfo | None:
        if not data:
            return None
        return cls(data["engine"], list(data["pages"]), data["confidence"], data.get("dpi"))


@dataclass
class Report:
    """One annual report, parsed, normalised and checked."""

    id: str
    source: str  # path as ingested, relative to the content folder where possible
    source_format: str  # txt, md, html, pdf, docx
    sha256: str = ""
    encoding: str | None = None
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    publication_date: str | None = None  # ISO date, where printed
    region: Region = field(default_factory=Region)
    format: str = "2021"  # "2019" (the trial format) or "pre2019" (before the standard formats); see schema.json
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    ocr: OcrInfo | None = None  # set when some pages were read by OCR
    empty: bool = False  # the file held no text a reader could read (a scan OCR found nothing in)

    @property
    def parts_found(self) -> list[str]:
        """The parts of the 2021 format (一 … 六) that the report has, in its order."""
        return [s.part for s in self.sections if s.level == 1 and s.part]

    def part(self, number: str) -> Section | None:
        """The level-1 section that stands for part ``number`` (一 … 六) of the 2021 format."""
        return next((s for s in self.sections if s.level == 1 and s.part == number), None)

    def all_sections(self) -> list[tuple[list[Section], Section]]:
        out: list[tuple[list[Section], Section]] = []
        for part in self.sections:
            out.extend(part.walk())
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "source_format": self.source_format,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "publication_date": self.publication_date,
            "region": self.region.to_dict(),
            "format": self.format,
            "parts_found": self.parts_found,
            "sections": [s.to_dict() for s in self.sections],
            "tables": {k: t.to_dict() for k, t in self.tables.items()},
            "table_status": {k: t.status for k, t in self.tables.items()},
            "findings": [f.to_dict() for f in self.findings],
            "ocr": self.ocr.to_dict() if self.ocr else None,
            "empty": self.empty,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            id=data["id"],
            source=data["source"],
            source_format=data["source_format"],
            sha256=data.get("sha256", ""),
            encoding=data.get("encoding"),
            title=data.get("title"),
            agency=data.get("agency"),
            year=data.get("year"),
            publication_date=data.get("publication_date"),
            region=Region.from_dict(data.get("region")),
            format=data.get("format", "2021"),
            sections=[Section.from_dict(s) for s in data.get("sections", [])],
            tables={k: Table.from_dict(k, t) for k, t in data.get("tables", {}).items()},
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            ocr=OcrInfo.from_dict(data.get("ocr")),
            empty=bool(data.get("empty", False)),
        )
