"""archive check on folders: a folder stands for the report files under it, in every format."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli


def _run(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def _checked_files(output: str, root: Path) -> list[str]:
    """The files the output names at the start of a line, relative to ``root``."""
    prefix = str(root) + "/"
    return [line[len(prefix):].split()[0] for line in output.splitlines() if line.startswith(prefix)]


@pytest.fixture()
def content_folder(tmp_path: Path, sample_path) -> Path:
    """A content folder as `archive ingest` sees it: reports nested, site pages, hidden and stray files."""
    root = tmp_path / "content"
    (root / "reports" / "2022").mkdir(parents=True)
    (root / "pages").mkdir()
    (root / ".drafts").mkdir()
    shutil.copy(sample_path("wenxian"), root / "reports" / "wenxian-2023.txt")
    shutil.copy(sample_path("huji"), root / "reports" / "2022" / "huji-2022.TXT")
    shutil.copy(sample_path("guanzhuang"), root / "guanzhuang-2023.md")
    shutil.copy(sample_path("dongfeng"), root / "pages" / "about.md")
    shutil.copy(sample_path("dongfeng"), root / ".drafts" / "dongfeng.txt")
    shutil.copy(sample_path("dongfeng"), root / "reports" / ".dongfeng.txt")
    (root / "agencies.toml").write_text("[agencies]\n", encoding="utf-8")
    (root / "reports" / "notes.json").write_text("{}", encoding="utf-8")
    return root


def test_a_folder_checks_its_reports_recursively_sorted_skipping_pages_and_hidden_files(content_folder: Path) -> None:
    result = _run(str(content_folder))
    assert result.exit_code == 0, result.output
    assert _checked_files(result.stdout, content_folder) == [
        "guanzhuang-2023.md",
        "reports/2022/huji-2022.TXT",
        "reports/wenxian-2023.txt",
    ]
    assert "安丘市官庄镇人民政府" in result.stdout
    assert "金乡县胡集镇人民政府" in result.stdout
    assert "温县人民政府办公室" in result.stdout
    assert "阳城县东峰乡" not in result.stdout
    assert result.stderr == ""


def test_a_folder_is_summed_up_one_line_a_file(content_folder: Path) -> None:
    lines = _run(str(content_folder)).stdout.splitlines()
    assert lines[0].split() == ["文件", "发布机关", "年度", "格式", "部分", "单元格", "问题"]
    assert len(lines) == 4
    wenxian = next(line for line in lines if "wenxian-2023.txt" in line).split()
    assert wenxian[1:7] == ["温县人民政府办公室", "2023", "2021", "年版", "一二三四五六", "200/200"]
    huji = next(line for line in lines if "huji-2022.TXT" in line).split()
    assert huji[5] == "一二四五六（缺三）" and huji[6].endswith("/200")
    detailed = _run("--detail", str(content_folder)).stdout
    assert "发布机关：温县人民政府办公室" in detailed and "统计表：" in detailed


def test_a_folder_of_crawled_reports_before_2019_says_so_in_its_lines(repo_root: Path) -> None:
    result = _run(str(repo_root / "content" / "reports" / "crawled"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()[1:]
    assert len(lines) == 5
    assert all("2019 年以前（无统一格式）" in line and "无统计表" in line for line in lines)
    assert all(":" not in line.split()[1] and "标题" not in line for line in lines)


def test_folders_and_files_mix_and_a_file_named_twice_is_checked_once(content_folder: Path) -> None:
    wenxian = content_folder / "reports" / "wenxian-2023.txt"
    result = _run(str(wenxian), str(content_folder / "reports"))
    assert result.exit_code == 0, result.output
    assert _checked_files(result.stdout, content_folder) == ["reports/wenxian-2023.txt", "reports/2022/huji-2022.TXT"]
    assert "duplicate_report" not in result.stdout


def test_json_for_a_folder_is_an_array_even_with_one_report(tmp_path: Path, sample_path) -> None:
    shutil.copy(sample_path("wenxian"), tmp_path / "wenxian.txt")
    result = _run("--json", str(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert [d["agency"] for d in data] == ["温县人民政府办公室"]
    assert data[0]["source"] == str(tmp_path / "wenxian.txt")


def test_a_folder_without_reports_is_named_and_the_other_arguments_still_checked(tmp_path: Path, sample_path) -> None:
    empty = tmp_path / "empty"
    (empty / "pages").mkdir(parents=True)
    (empty / "pages" / "help.md").write_text("# 帮助\n", encoding="utf-8")
    (empty / "readme.rst").write_text("not a report\n", encoding="utf-8")
    result = _run(str(empty), str(sample_path("wenxian")))
    assert result.exit_code == 3
    assert f"文件夹 {empty} 中没有报告文件" in result.stderr
    assert "温县人民政府办公室" in result.stdout
    alone = _run(str(empty))
    assert alone.exit_code == 1
    assert f"文件夹 {empty} 中没有报告文件" in alone.stderr
    assert "Traceback" not in result.output + alone.output


def test_an_unreadable_report_in_a_folder_is_named_and_the_others_are_checked(tmp_path: Path, sample_path) -> None:
    shutil.copy(sample_path("wenxian"), tmp_path / "a-wenxian.txt")
    (tmp_path / "b-scan.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = _run(str(tmp_path))
    assert result.exit_code == 3
    assert f"无法读取 {tmp_path / 'b-scan.pdf'}" in result.stderr
    assert "温县人民政府办公室" in result.stdout


MIXED_READERS = ("archive.readers.html", "archive.readers.pdf")


@pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in MIXED_READERS),
    reason="the HTML and PDF readers (issue 6) are not written yet",
)
def test_a_folder_mixing_text_html_and_pdf(tmp_path: Path, sample_path, real_dir: Path) -> None:
    shutil.copy(sample_path("wenxian"), tmp_path / "wenxian-2023.txt")
    shutil.copy(real_dir / "pingtan-2024.html", tmp_path / "pingtan-2024.html")
    shutil.copy(real_dir / "hongze-2024.pdf", tmp_path / "hongze-2024.pdf")
    result = _run("--json", str(tmp_path))
    assert result.exit_code == 0, result.output
    reports = {Path(d["source"]).name: d for d in json.loads(result.stdout)}
    assert list(reports) == ["hongze-2024.pdf", "pingtan-2024.html", "wenxian-2023.txt"]
    assert reports["wenxian-2023.txt"]["agency"] == "温县人民政府办公室"
    assert "平潭综合实验区" in reports["pingtan-2024.html"]["agency"]
    assert "洪泽区" in reports["hongze-2024.pdf"]["agency"]
    complete = {"active": "complete", "requests": "complete", "review_litigation": "complete"}
    for name, report in reports.items():
        assert report["year"] in (2023, 2024), name
        assert report["format"] == "2021", name
        assert report["parts_found"] == ["一", "二", "三", "四", "五", "六"], name
        if name == "hongze-2024.pdf":  # prints （六）其他处理 as one row: its three sub-items are missing
            assert report["table_status"] == {**complete, "requests": "partial"}
            assert sorted(f["code"] for f in report["findings"]) == ["label_variant", "other_handling_unsplit"]
        else:
            assert report["table_status"] == complete, name
            assert report["findings"] == [], name
    assert reports["pingtan-2024.html"]["tables"]["requests"]["1"]["total"]["value"] == 218
    assert reports["hongze-2024.pdf"]["tables"]["requests"]["1"]["total"]["value"] == 95
    assert [reports[n]["source_format"] for n in reports] == ["pdf", "html", "txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder whatever its permissions")
def test_a_subfolder_that_cannot_be_listed_is_named_and_the_rest_checked(tmp_path: Path, sample_path) -> None:
    shutil.copy(sample_path("wenxian"), tmp_path / "wenxian.txt")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = _run(str(tmp_path))
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 3
    assert f"无法读取文件夹 {locked}：没有读取权限" in result.stderr
    assert "温县人民政府办公室" in result.stdout
