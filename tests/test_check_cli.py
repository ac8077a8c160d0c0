"""archive check: readable text, JSON, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive.cli import cli


def _run(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def test_text_output_names_what_was_found(sample_path) -> None:
    result = _run(str(sample_path("wenxian")), str(sample_path("dongfeng")))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "发布机关：温县人民政府办公室" in out
    assert "报告年度：2023" in out
    assert "河南省 › 焦作市 › 温县" in out
    assert "已识别部分：一 二 三 四 五 六（六个部分齐全）" in out
    assert "已识别部分：一 二 三 五 六（缺少：四）" in out
    assert "三、收到和处理政府信息公开申请情况：完整" in out
    assert "四、政府信息公开行政复议、行政诉讼情况：缺失" in out
    assert "Traceback" not in result.output


def test_json_for_one_file_is_one_object(sample_path) -> None:
    result = _run("--json", str(sample_path("guanzhuang")))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["agency"] == "安丘市官庄镇人民政府"
    assert data["year"] == 2023
    assert data["format"] == "2021"
    assert data["region"]["county"] == "安丘市"
    assert {"title", "sections", "tables", "findings"} <= data.keys()
    part = data["sections"][1]
    assert {"number", "title", "text", "children"} <= part.keys()
    assert data["tables"]["requests"]["1"]["total"] == {"value": 3, "raw": "3", "state": "number"}


def test_json_for_several_files_is_an_array(sample_path) -> None:
    result = _run("--json", str(sample_path("wenxian")), str(sample_path("huji")))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["agency"] for d in data] == ["温县人民政府办公室", "金乡县胡集镇人民政府"]


def test_an_unreadable_file_exits_3_names_it_and_the_others_are_still_checked(sample_path, tmp_path: Path) -> None:
    image = tmp_path / "scan.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    missing = tmp_path / "nowhere.txt"
    result = _run(str(image), str(sample_path("wenxian")), str(missing))
    assert result.exit_code == 3
    assert f"无法读取 {image}" in result.stderr
    assert f"无法读取 {missing}：文件不存在" in result.stderr
    assert "发布机关：温县人民政府办公室" in result.stdout
    assert "Traceback" not in result.output


def test_json_with_an_unreadable_file_still_prints_the_others(sample_path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _run("--json", str(empty), str(sample_path("wenxian")))
    assert result.exit_code == 3
    assert [d["agency"] for d in json.loads(result.stdout)] == ["温县人民政府办公室"]
    assert "empty.txt" in result.stderr


def test_help_reads_like_documentation() -> None:
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "archive check content/reports/*.txt" in result.output
