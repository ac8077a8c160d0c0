"""Where the real reports are: the sample corpus (content/reports) holds the agencies' published
HTML and PDF files and, in crawled/, the reports from before 2019 as a website crawler saved them;
tests/fixtures/real holds what is not a report of the corpus (the blank Word template of the 2021
format, and in crawled/ the crawled copies of the sample's portal pages, which would be duplicates
there) and the MANIFEST.tsv that says where each real file comes from."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "reports"
FIXTURES = ROOT / "tests" / "fixtures" / "real"
MANIFEST = FIXTURES / "MANIFEST.tsv"


def real_file(name: str) -> Path:
    """The real file ``name`` of MANIFEST.tsv."""
    return FIXTURES / name if (FIXTURES / name).is_file() else SAMPLES / name


def real_files() -> list[Path]:
    """Every real file of MANIFEST.tsv."""
    lines = MANIFEST.read_text("utf-8").splitlines()[1:]
    return [real_file(line.split("\t")[0]) for line in lines if line.strip()]


def crawled_files() -> list[Path]:
    """The real reports as a website crawler saved them (before 2019, and copies of the portal pages)."""
    return [path for path in real_files() if path.parent.name == "crawled"]


def real_reports() -> list[Path]:
    """Every real report of MANIFEST.tsv (the blank template is not one), and the five seed texts."""
    manifest = [path for path in real_files() if path.suffix != ".docx"]
    seeds = sorted(path for path in SAMPLES.glob("*.txt"))
    return [*seeds, *manifest]
