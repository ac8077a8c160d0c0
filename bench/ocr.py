"""OCR benchmark: speed, memory and accuracy of reading scanned reports (`make bench`).

Every real text PDF (tests/real_files.py) is turned into image-only scans (300 dpi, 150 dpi,
JPEG-compressed, turned 1.5°: tests/scans.py) and read back; its text layer is the known truth.

* Speed and memory per rendering resolution: the pages of the 300 dpi scan of the first PDF,
  rendered at 150, 200 and 300 dpi and OCR'd in a fresh process (no cache), with one worker
  (seconds per page on one core) and with one worker per core (wall seconds per page).
* Accuracy per file and kind of scan, at the resolution the reader uses (``RENDER_DPI``).
* A 20-page scan (the scans of the real PDFs, repeated) ingested into a fresh index and cache.
* The install size the OCR engine adds (its packages in the virtual environment).

Writes var/bench/ocr.json and the OCR section of docs/benchmarks.md.

    .venv/bin/python bench/ocr.py            # everything (about 10 minutes on 2 cores)
    .venv/bin/python bench/ocr.py --quick    # one PDF, 300 dpi and rotated only
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from real_files import real_files  # noqa: E402
from scans import KINDS, caught, compare_tables, explained, make_scan  # noqa: E402

from archive.model import Report  # noqa: E402
from archive.parse.ocr_cells import LOW_CONFIDENCE  # noqa: E402
from archive.pipeline import load_report  # noqa: E402
from archive.readers.ocr.engine import engine_id  # noqa: E402
from archive.readers.ocr.pages import RENDER_DPI  # noqa: E402

OUT = ROOT / "var" / "bench" / "ocr.json"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- ocr-bench:start -->", "<!-- ocr-bench:end -->"
RESOLUTIONS = (150, 200, 300)
ENGINE_PACKAGES = (
    "rapidocr", "onnxruntime", "cv2", "opencv_python_headless.libs", "shapely", "shapely.libs", "pyclipper",
    "omegaconf", "antlr4", "colorlog", "yaml", "_yaml", "requests", "urllib3", "idna", "certifi", "tqdm",
    "six.py", "flatbuffers", "coloredlogs", "humanfriendly", "protobuf", "google", "sympy", "mpmath",
)


def pdfs() -> list[Path]:
    return [p for p in real_files() if p.suffix == ".pdf"]


def speed(scan: Path, dpi: int, workers: int) -> dict[str, Any]:
    """OCR every page of ``scan`` rendered at ``dpi`` in a fresh process; seconds and peak memory."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from archive.readers.ocr.pages import PdfPages\n"
        "from archive.readers.ocr.reading import pdf_pages_without_text\n"
        "from archive.readers.ocr.run import read_pages\n"
        "data = Path(sys.argv[1]).read_bytes(); pages = pdf_pages_without_text(data)\n"
        "start = time.perf_counter()\n"
        "scans = read_pages(PdfPages(data, int(sys.argv[2])), pages, 'bench-no-cache')\n"
        "seconds = time.perf_counter() - start\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'pages': len(pages), 'seconds': seconds, 'boxes': sum(len(s.boxes) for s in scans.values()),"
        " 'peak_mb': (own + (kids if int(sys.argv[3]) > 1 else 0)) / 1024, 'worker_peak_mb': max(own, kids) / 1024}))\n"
    )
    env = {**os.environ, "ARCHIVE_OCR_WORKERS": str(workers)}
    env.pop("ARCHIVE_OCR_CACHE", None)
    out = subprocess.run([sys.executable, "-c", code, str(scan), str(dpi), str(workers)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds_per_page"] = result["seconds"] / result["pages"]
    return result


def text_of(report: Report) -> str:
    return re.sub(r"\s+", "", "".join(s.heading + s.text for _, s in report.all_sections()))


def accuracy(pdf: Path, scan: Path) -> dict[str, Any]:
    truth = load_report(pdf)
    started = time.perf_counter()
    read = load_report(scan)
    seconds = time.perf_counter() - started
    cells = compare_tables(truth, read)
    number_cells = [c for t in read.tables.values() for cols in t.rows.values() for c in cols.values() if c.ocr_confidence]
    wrong = {w for w in cells.different}
    right_conf = [
        read.tables[k].cell(r, c).ocr_confidence
        for k, t in truth.tables.items() for r, cols in t.rows.items() for c, cell in cols.items()
        if cell.state == "number" and (k, r, c) not in wrong and read.tables[k].cell(r, c).ocr_confidence is not None
    ]
    return {
        "file": pdf.name,
        "scan": scan.name,
        "seconds": round(seconds, 1),
        "agency": read.agency == truth.agency,
        "year": read.year == truth.year,
        "parts": read.parts_found == truth.parts_found,
        "parts_found": read.parts_found,
        "text_similarity": round(difflib.SequenceMatcher(None, text_of(truth), text_of(read), autojunk=False).ratio(), 4),
        "cells": cells.cells,
        "equal": cells.equal,
        "equal_share": round(cells.equal_share, 4),
        "null": len(cells.null),
        "null_explained": sum(explained(read, w) for w in cells.null),
        "different": len(cells.different),
        "different_cells": [list(w) for w in cells.different],
        "different_caught": sum(caught(read, w) for w in cells.different),
        "low_confidence_findings": sum(f.code == "ocr_low_confidence" for f in read.findings),
        "min_confidence_of_right_numbers": min(right_conf, default=None),
        "confidence_of_wrong_numbers": [read.tables[k].cell(r, c).ocr_confidence for k, r, c in cells.different],
        "ocr_cells": len(number_cells),
        "mean_confidence": read.ocr.confidence if read.ocr else None,
    }


def ingest_twenty_pages(scans: list[Path], work: Path) -> dict[str, Any]:
    """A 20-page scan made of the real scans' pages, ingested into a fresh index (and OCR cache), then again."""
    import pypdfium2

    big = pypdfium2.PdfDocument.new()
    while len(big) < 20:
        for scan in scans:
            if len(big) < 20:
                source = pypdfium2.PdfDocument(scan.read_bytes())
                big.import_pages(source, list(range(min(len(source), 20 - len(big)))))
    content = work / "content20"
    (content / "reports").mkdir(parents=True)
    big.save(content / "reports" / "scan-20-pages.pdf")
    index = work / "index20"
    timings = []
    for _ in range(2):  # the second run: the file is unchanged, nothing is read again
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "archive"), "ingest", str(content), "--index", str(index), "--quiet"],
                       check=True, cwd=ROOT)
        timings.append(time.perf_counter() - started)
    for item in index.iterdir():
        if item.name != "ocr-cache":
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    started = time.perf_counter()  # the index gone, the OCR cache kept: the file is parsed again, not OCR'd
    subprocess.run([str(ROOT / ".venv" / "bin" / "archive"), "ingest", str(content), "--index", str(index), "--quiet"],
                   check=True, cwd=ROOT)
    rebuilt = time.perf_counter() - started
    return {"pages": 20, "first_ingest_seconds": round(timings[0], 1), "unchanged_seconds": round(timings[1], 1),
            "rebuild_with_cache_seconds": round(rebuilt, 1)}


def install_size() -> dict[str, Any]:
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    sizes = {}
    for name in ENGINE_PACKAGES:
        path = site / name
        if path.exists():
            sizes[name] = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
    models = site / "rapidocr" / "models"
    return {"packages_mb": round(sum(sizes.values()) / 2**20, 1), "models_mb": round(sum(f.stat().st_size for f in models.glob("*.onnx")) / 2**20, 1),
            "by_package_mb": {k: round(v / 2**20, 1) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])}}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def render(result: dict[str, Any]) -> str:
    lines = [START, "## OCR of scanned reports", ""]
    lines.append(
        f"Measured by `bench/ocr.py` (`make bench`) on {result['machine']}, {result['date']}; load average "
        f"{result['load_start']} at the start, {result['load_end']} at the end (the machine is shared: other jobs ran "
        f"at the same time, so seconds are pessimistic). Engine: {result['engine']}. Scans are made from the real text "
        "PDFs (`tests/scans.py`): every page rendered to a greyscale image and saved as an image-only PDF."
    )
    lines += ["", "### Speed and memory per rendering resolution", ""]
    lines.append(f"The 300 dpi scan of {result['speed_file']} ({result['speed_pages']} pages), its pages rendered at each resolution and "
                 "OCR'd in a fresh process, no cache. One worker: seconds per page on one core. One worker per core: wall "
                 "seconds per page of the whole file. Peak memory: resident size of the process and its workers.")
    lines += ["", "| rendered at | s/page, 1 worker | s/page, 2 workers (wall) | peak memory, 1 worker | peak memory, 2 workers | text boxes |", "|---|---|---|---|---|---|"]
    for dpi, row in result["speed"].items():
        one, two = row["1"], row["2"]
        chosen = " (chosen)" if int(dpi) == result["render_dpi"] else ""
        lines.append(f"| {dpi} dpi{chosen} | {one['seconds_per_page']:.2f} | {two['seconds_per_page']:.2f} | "
                     f"{one['peak_mb']:.0f} MB | {two['peak_mb']:.0f} MB | {one['boxes']} |")
    twenty = result.get("twenty")
    if twenty:
        lines += ["", f"A {twenty['pages']}-page scan, `archive ingest` into a fresh index and OCR cache: **{twenty['first_ingest_seconds']} s** "
                  f"(target < 60 s); again, unchanged: {twenty['unchanged_seconds']} s; index deleted, OCR cache kept: "
                  f"{twenty['rebuild_with_cache_seconds']} s (parsed again, not OCR'd)."]
    lines += ["", f"### Accuracy per file (rendered at {result['render_dpi']} dpi)", ""]
    lines.append("Cells: the table cells the text layer has, compared one by one. *Null*: no value where the text layer has one "
                 "(each named by a finding, e.g. `ocr_low_confidence`); *different*: another number than the text layer's "
                 "(caught: a table rule — row total, 勾稽关系 — fails on its row or column). Text: similarity of the section text "
                 f"(headings and paragraphs, spaces removed) to the text layer's. A number read with confidence under {LOW_CONFIDENCE:.0%} is null.")
    lines += ["", "| file | scan | agency | year | six parts | cells equal | null (named) | different (caught) | text | lowest confidence of a right number | s |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    yes = {True: "equal", False: "**differs**"}
    for row in result["accuracy"]:
        lowest = row["min_confidence_of_right_numbers"]
        lines.append(
            f"| {row['file']} | {row['kind']} | {yes[row['agency']]} | {yes[row['year']]} | {yes[row['parts']]} | "
            f"{row['equal']}/{row['cells']} ({row['equal_share']:.1%}) | {row['null']} ({row['null_explained']}) | "
            f"{row['different']} ({row['different_caught']}) | {row['text_similarity']:.1%} | "
            f"{'' if lowest is None else f'{lowest:.3f}'} | {row['seconds']} |"
        )
    size = result["install"]
    lines += ["", "### Install size", "",
              f"The OCR engine's packages add **{size['packages_mb']} MB** to the virtual environment, of which the PP-OCR models "
              f"inside the rapidocr wheel are {size['models_mb']} MB: "
              + ", ".join(f"{k} {v} MB" for k, v in size["by_package_mb"].items() if v >= 0.5) + ".", END]
    return "\n".join(lines)


def write_doc(result: dict[str, Any]) -> None:
    text = DOC.read_text("utf-8")
    section = render(result)
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one PDF, 300 dpi and rotated scans only, no 20-page ingest")
    parser.add_argument("--render-only", action="store_true", help="rewrite docs/benchmarks.md from var/bench/ocr.json")
    args = parser.parse_args()
    if args.render_only:
        write_doc(json.loads(OUT.read_text("utf-8")))
        return
    result: dict[str, Any] = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                              "load_start": load(), "engine": engine_id(), "render_dpi": RENDER_DPI}
    files = pdfs()[:1] if args.quick else pdfs()
    kinds = ("300dpi", "rotated") if args.quick else KINDS
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scans = {(pdf, kind): make_scan(pdf, work / f"{pdf.stem}-{kind}.pdf", kind) for pdf in files for kind in kinds}
        first = scans[(files[0], "300dpi")]
        result["speed_file"], result["speed_pages"] = files[0].name, None
        result["speed"] = {}
        for dpi in RESOLUTIONS:
            result["speed"][str(dpi)] = {str(w): speed(first, dpi, w) for w in (1, 2)}
            print(f"speed {dpi} dpi: {result['speed'][str(dpi)]}", flush=True)
        result["speed_pages"] = result["speed"][str(RESOLUTIONS[0])]["1"]["pages"]
        result["accuracy"] = []
        for (pdf, kind), scan in scans.items():
            row = accuracy(pdf, scan)
            row["kind"] = kind
            result["accuracy"].append(row)
            print(f"accuracy {pdf.name} {kind}: equal {row['equal_share']:.1%} null {row['null']} different {row['different']}", flush=True)
        if not args.quick:
            result["twenty"] = ingest_twenty_pages([scans[(pdf, "300dpi")] for pdf in files], work)
            print(f"20 pages: {result['twenty']}", flush=True)
    result["install"] = install_size()
    result["load_end"] = load()
    result["peak_mb_this_process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    write_doc(result)


if __name__ == "__main__":
    main()
