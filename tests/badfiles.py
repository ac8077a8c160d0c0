"""The corpus of bad and hostile input (issue 7), written into a temporary folder at test time.

Nothing here is committed as a file: each case is made from the five seed reports or the real
fixtures, so that a 50 MB file or a symlink never sits in the repository. ``write_bad_corpus``
gives a content folder with the good seeds plus every bad file, and tells for each bad file
whether the archive must skip it (naming the file and the problem) or keep it.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from real_files import real_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "content" / "reports"
PAGES = ROOT / "content" / "pages"

WENXIAN = "wenxian-xianzhengfu-ban-2023.txt"
WENXIAN_AGENCY = "温县人民政府办公室"

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"

PAYLOADS = (
    "<img/src=x/onerror=window.__pwned=1>",
    "<script>window.__pwned=1</script>",
    '"><svg/onload=window.__pwned=1>',
    "javascript:window.__pwned=1",
    "'><iframe/src=javascript:window.__pwned=1>",
)


@dataclass(frozen=True)
class BadFile:
    """One bad file in the corpus and what the archive must do with it."""

    name: str  # path relative to the content folder
    case: str  # the case of issue 7, in words
    skipped: bool  # True: not a report, skipped and named; False: read and kept (with findings)
    message: str = ""  # fragments of the message naming the problem, "a|b" for either (when skipped)
    may_be_read: bool = False  # a reader that recovers part of the file may keep it instead

    def named_in(self, line: str) -> bool:
        return any(fragment.lower() in line.lower() for fragment in self.message.split("|"))


def seed_names() -> list[str]:
    return sorted(p.name for p in SEEDS.glob("*.txt"))


def good_names() -> list[str]:
    """Every report under content/reports (the text seeds, the real HTML and PDF reports, the crawled
    reports in crawled/), as paths relative to it."""
    from archive.readers import REPORT_SUFFIXES

    return sorted(p.relative_to(SEEDS).as_posix() for p in SEEDS.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES)


def seed_text(name: str = WENXIAN) -> str:
    return (SEEDS / name).read_text("utf-8")


def variant(agency: str | None = None, year: int | None = None, name: str = WENXIAN) -> str:
    """A seed report with its agency and/or year replaced everywhere in the text."""
    text = seed_text(name)
    if agency is not None:
        text = text.replace(WENXIAN_AGENCY, agency)
    if year is not None:
        text = text.replace("2023", str(year))
    return text


def copy_good(reports_dir: Path) -> list[str]:
    """The five seed reports copied into ``reports_dir``; their names."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    for name in seed_names():
        shutil.copyfile(SEEDS / name, reports_dir / name)
    return seed_names()


def write_content(folder: Path) -> Path:
    """A content folder with the seed reports, the pages and agencies.toml (a copy of content/)."""
    shutil.copytree(ROOT / "content", folder, dirs_exist_ok=True)
    return folder


# --- numbers as reports print them ----------------------------------------------------------------

NUMERIC_EDITS = (
    # (line prefix in the wenxian seed, old, new)
    ("行政规范性文件\t", "行政规范性文件\t5\t0\t27", "行政规范性文件\t５\t0\t1,234"),
    ("行政许可\t", "行政许可\t0", "行政许可\t１２"),
    ("行政事业性收费\t", "行政事业性收费\t0", "行政事业性收费\t12.5万元"),
    ("一、本年新收", "数量\t\t16\t", "数量\t\t16件\t"),
    ("二、上年结转", "数量\t\t0\t", "数量\t\t-3\t"),
    ("三、本年度办理结果", "予以公开\t1\t", "予以公开\t1 2\t"),
)


def numeric_report() -> str:
    """The wenxian seed with full-width digits, 1,234, 件 and 万元 units, a negative number and two numbers in a cell."""
    text = seed_text()
    for _prefix, old, new in NUMERIC_EDITS:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# --- line endings and encodings -------------------------------------------------------------------


def mixed_line_endings(text: str) -> str:
    endings = ("\r\n", "\n", "\r\n", "\r")
    return "".join(line + endings[i % len(endings)] for i, line in enumerate(text.split("\n")))


def mixed_encodings(text: str) -> bytes:
    """The first half in UTF-8, the second in GBK: a file pasted together from two sources."""
    middle = text.index("\n", len(text) // 2) + 1
    return text[:middle].encode("utf-8") + text[middle:].encode("gbk", "replace")


def cut_points(size: int, count: int, seed: int = 7) -> list[int]:
    rng = random.Random(seed)
    return sorted({rng.randrange(1, size) for _ in range(count)})


# --- the corpus -----------------------------------------------------------------------------------


def _write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def long_name() -> str:
    """A file name near the 255-byte limit of Linux file systems (Chinese: 3 bytes a character)."""
    return "温县人民政府办公室政府信息公开工作年度报告" * 3 + "温县2016年度报告-" + "长" * 8 + ".txt"


CUT_YEARS = (2022, 2021, 2020, 2019, 2009, 2008, 2007, 2006)  # years no other file of the corpus uses


def write_bad_corpus(content_dir: Path, cuts: int = 4) -> list[BadFile]:
    """Write the good seeds and every small bad file into ``content_dir``/reports; the bad files and their fate."""
    write_content(content_dir)
    reports = content_dir / "reports"
    pdf = real_file("hongze-2023.pdf").read_bytes()
    seed = seed_text()
    bad: list[BadFile] = []

    def add(name: str, data: bytes | str, case: str, skipped: bool, message: str = "", may_be_read: bool = False) -> None:
        _write(reports, name, data)
        bad.append(BadFile(f"reports/{name}", case, skipped, message, may_be_read))

    add("empty-2023.txt", b"", "an empty file", True, "空")
    add("blank-2023.txt", b" \r\n\t\n  \n", "a file of blanks only", True, "空")
    add("photo-2023.txt", PNG_HEADER + bytes(range(256)) * 8, "an image renamed .txt", True, "图片")
    add("archive-2023.docx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "a zip renamed .docx", True, "docx|Word")
    add("truncated-2023.pdf", pdf[: len(pdf) // 3], "a truncated PDF", True, "pdf|截断|损坏", may_be_read=True)
    add("not-a-pdf-2023.pdf", "这不是 PDF 文件".encode(), "text renamed .pdf", True, "PDF")
    data = seed.encode("utf-8")
    for i, cut in enumerate(cut_points(len(data), cuts)):
        year = CUT_YEARS[i]  # a year of its own: the cut copies are not duplicates of one another
        add(f"cut-{i}-{year}.txt", data[:cut].replace(b"2023", str(year).encode()), f"a report cut off at byte {cut}",
            False)
    add("line-endings-2018.txt", mixed_line_endings(variant(year=2018)), "mixed line endings (CRLF, LF, CR)", False)
    add("gbk-2017.txt", variant(year=2017).encode("gbk"), "a report in GBK", False)
    add("utf16-2016.txt", variant(year=2016).encode("utf-16"), "a report in UTF-16 with BOM", False)
    add("mixed-encodings-2015.txt", mixed_encodings(variant(year=2015)), "UTF-8 and GBK in one file", False)
    add("numbers-2014.txt", numeric_report().replace("2023", "2014"), "full-width digits, 1,234, 件/万元, -3, two numbers", False)
    add("duplicate copy of wenxian.txt", seed + "\n（转载）\n", "a second file with the same agency and year", False)
    add("含 空格 的文件名 2013.txt", variant(year=2013), "a file name with spaces and Chinese", False)
    add("温县..年度报告..2012.txt", variant(year=2012), "a file name with ..", False)
    add(long_name(), variant(year=2011), "a very long file name", False)
    return bad


def write_big_text(path: Path, megabytes: int = 50) -> Path:
    """A text file of ``megabytes`` MB: a real report followed by the same paragraph again and again."""
    paragraph = ("政府信息公开工作持续推进，依申请公开办理规范有序。" * 30 + "\n\n").encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(seed_text().encode("utf-8"))
        for _ in range(megabytes * 1024 * 1024 // len(paragraph)):
            fh.write(paragraph)
    return path


def symlink_outside(content_dir: Path, outside_dir: Path) -> Path:
    """reports/secret-link-2010.txt → a file outside the content folder (holding a readable report)."""
    outside_dir.mkdir(parents=True, exist_ok=True)
    secret = outside_dir / "secret-2010.txt"
    secret.write_text(variant(agency="机密测试办公室", year=2010), "utf-8")
    link = content_dir / "reports" / "secret-link-2010.txt"
    link.symlink_to(secret)
    return link


# --- hostile input --------------------------------------------------------------------------------


def hostile_markdown() -> str:
    return "\n".join(
        [
            "# 关于<script>window.__pwned=1</script>本站",
            "",
            '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">',
            "",
            '<div onclick="window.__pwned=1">raw html block</div>',
            "",
            "[点我](javascript:window.__pwned=1) [也点我](JaVaScRiPt:alert(1)) [数据](data:text/html,<script>alert(1)</script>)",
            "[外站](//evil.example/x) [空白](java\tscript:alert(1))",
            "",
            "![巨大的外站图片](https://evil.example/huge.png)",
            "![巨大的图片](data:image/png;base64," + "A" * 200_000 + ")",
            '![引号](../static/site.css "x\\" onerror=\\"window.__pwned=1")',
            "",
            '<a href="javascript:alert(1)">raw link</a>',
            "",
            "正常的文字与[帮助](help.md)。",
        ]
    )


def write_hostile_corpus(content_dir: Path) -> list[str]:
    """A content folder whose agency names, section text, file names and pages carry script payloads."""
    write_content(content_dir)
    reports = content_dir / "reports"
    names = []
    for i, payload in enumerate(PAYLOADS):
        agency = f"温县{payload}人民政府办公室"
        text = variant(agency=agency, year=2010 + i)
        text = text.replace("一、总体情况", f"一、总体情况{payload}", 1)
        text = text.replace("（一）主动公开", f"（一）主动公开 {payload} <b>粗体</b>", 1)
        text = text.replace("重点领域信息公开。", f"重点领域信息公开{payload}<b>粗体</b>。", 1)
        name = f"{payload.replace('/', '／')}-{2010 + i}.txt"
        _write(reports, name, text)
        names.append(name)
    portal = real_file("pingtan-2023.html").read_text("utf-8")
    evil = "".join(f"<p>{payload}</p>" for payload in PAYLOADS) + '<img src="https://evil.example/t.gif">'
    portal = portal.replace("<body", "<script>window.__pwned=1</script><body", 1).replace("</body>", evil + "</body>", 1)
    _write(reports, "portal-page-with-scripts.html", portal)
    names.append("portal-page-with-scripts.html")
    (content_dir / "pages" / "evil.md").write_text(hostile_markdown(), "utf-8")
    about = content_dir / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n\n" + hostile_markdown().split("\n", 1)[1], "utf-8")
    return names
