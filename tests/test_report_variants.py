"""Every real report, damaged the ways people have reports on their disks, reads as the original.

For each real report of the repository and each kind of damage (archive.synth.variants: flattened
onto one line, table digits run together, converted to Markdown, under a crawler's header and a
breadcrumb, with 正文 on the first line, a crawled page, a crawler's bracketed header with the body on
its 【正文】 line, Markdown with bold paragraphs for headings), the damaged copy must give the original's
agency, year, format and parts, and each of the original's cells or a null: never another number.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from real_files import real_reports

from archive.model import Report
from archive.pipeline import load_report
from archive.readers import read_document
from archive.synth.variants import VARIANTS, Variant, compare_cells

FORMAT_2019 = sorted((Path(__file__).parent / "fixtures" / "format2019").glob("shiliexian-2019.*"))
ORIGINALS: dict[Path, Report] = {}


def _original(path: Path) -> Report:
    if path not in ORIGINALS:
        ORIGINALS[path] = load_report(path)
    return ORIGINALS[path]


def _variant(path: Path, variant: Variant, folder: Path) -> Report:
    original = _original(path)
    copy = folder / f"{path.stem}-{variant.name}{variant.suffix}"
    copy.write_text(variant.make(read_document(path), original.title or ""), "utf-8")
    return load_report(copy)


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
@pytest.mark.parametrize("path", [*real_reports(), *FORMAT_2019], ids=[p.name for p in [*real_reports(), *FORMAT_2019]])
def test_a_damaged_copy_reads_as_the_original(path: Path, variant: Variant, tmp_path: Path) -> None:
    original = _original(path)
    copy = _variant(path, variant, tmp_path)
    assert copy.agency == original.agency
    assert copy.year == original.year
    assert copy.format == original.format
    assert copy.parts_found == original.parts_found
    cells = compare_cells(original, copy)
    assert cells.different == [], f"{variant.label}: numbers that are not the original's"


def test_the_agency_never_carries_a_key_a_mark_or_a_breadcrumb(tmp_path: Path) -> None:
    names = set()
    for path in real_reports():
        for variant in VARIANTS:
            names.add(_variant(path, variant, tmp_path).agency or "")
    assert names and all(not any(bad in name for bad in (":", "：", "#", "正文", "当前位置", "›", ">")) for name in names)


@pytest.mark.parametrize("name", ["pingtan-2023.html", "wenxian-xianzhengfu-ban-2023.txt"])
@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.name in {"flattened", "digits", "crawled"}], ids=lambda v: v.name)
def test_run_together_tables_are_read_where_their_arithmetic_decides(name: str, variant: Variant, tmp_path: Path) -> None:
    """Reading must not fall back to nulls everywhere: the complete tables of these reports are read
    but for the one row no arithmetic covers (表二 行政规范性文件), and what was split is marked inferred."""
    path = next(p for p in real_reports() if p.name == name)
    copy = _variant(path, variant, tmp_path)
    cells = compare_cells(_original(path), copy)
    assert cells.different == [] and cells.null <= 3 and cells.equal >= 197
    requests = copy.tables["requests"]
    assert requests.cell("1", "total").inferred and requests.cell("1", "total").raw
    assert "digits_split" in {f.code for f in copy.findings}


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.name in {"flattened", "digits", "crawled"}], ids=lambda v: v.name)
def test_other_handling_printed_as_one_row_is_cut_by_the_results_total(variant: Variant, tmp_path: Path) -> None:
    """hongze-2023.pdf prints （六）其他处理 as one row, the 2019 way: run together, it is cut like
    the other rows (each of its cells checked by （七）总计), and the rows after it are read."""
    path = next(p for p in real_reports() if p.name == "hongze-2023.pdf")
    original, copy = _original(path), _variant(path, variant, tmp_path)
    assert original.tables["requests"].other_handling
    other = copy.tables["requests"].other_handling
    assert {c: cell.value for c, cell in other.items()} == {c: cell.value for c, cell in original.tables["requests"].other_handling.items()}
    assert all(cell.inferred and cell.raw == "0000000" for cell in other.values())
    for row in ("3.7", "4"):
        assert copy.tables["requests"].cell(row, "total").value == original.tables["requests"].cell(row, "total").value
    assert "other_handling_unsplit" in {f.code for f in copy.findings}
    assert not [f for f in copy.findings if f.code in {"table_truncated", "digits_run_together_unplaced"}]
