"""The themes list (content/themes.toml): checked with every problem named; sentences tagged at ingest,
again when the list changes; keywords proposed for what it does not cover."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.files import report_files
from archive.index import store
from archive.index.ingest import ingest
from archive.index.report_analysis import read_analysis
from archive.model import Section
from archive.pipeline import load_report
from archive.themes.config import ThemesConfigError, load_themes
from archive.themes.tagging import tag_report

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content" / "themes.toml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "themes.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_shipped_list_loads_and_covers_the_samples() -> None:
    themes = load_themes(SHIPPED)
    assert len(themes.themes) >= 8
    names = {t.name for t in themes.themes}
    assert {"政策解读", "依申请公开办理", "网站与政务新媒体", "队伍建设与培训", "监督考核"} <= names
    tagged = uncovered = 0
    for path in report_files(ROOT / "content"):
        for sentence in tag_report(load_report(path, ROOT / "content"), themes):
            if sentence.part == "五":
                tagged += bool(sentence.themes)
                uncovered += not sentence.themes
    assert tagged > 4 * uncovered


def test_a_sentence_gets_every_theme_it_mentions_and_uncovered_ones_of_part_five_are_kept() -> None:
    themes = load_themes(SHIPPED)
    report = load_report(ROOT / "content" / "reports" / "pingtan-2024.html", ROOT / "content")
    sentences = tag_report(report, themes)
    interpretation = [s for s in sentences if "policy-interpretation" in s.themes]
    assert any(s.part == "五" and "政策解读形式仍需创新" in s.text for s in interpretation)
    assert all(s.part in ("一", "五") for s in sentences)
    assert all(s.themes or s.part == "五" for s in sentences)
    section_text = {sec.anchor: sec.text for _, sec in report.all_sections()}
    assert all(section_text[s.anchor][s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[theme]]\nslug = "a"\nname = 甲\ndescription = "x"\nkeywords = ["政策解读"]\n', "不是有效的 TOML：第 3 行第 8 列"),
        ('title = "x"\n', "不认识的设置 title"),
        ('[[theme]]\nslug = "a"\ndescription = "x"\nkeywords = ["解读"]\n', "第 1 个主题：缺少名称 name"),
        ('[[theme]]\nslug = "Policy_1"\nname = "甲"\ndescription = "x"\nkeywords = ["解读"]\n', "第 1 个主题「甲」：slug “Policy_1” 只能包含"),
        ('[[theme]]\nslug = "a"\nname = "甲"\ndescription = "x"\nkeywords = ["解读"]\nwords = ["y"]\n', "第 1 个主题「甲」：不认识的键 words"),
        ('[[theme]]\nslug = "a"\nname = "甲"\ndescription = "x"\n', "第 1 个主题「甲」：至少要有一个关键词"),
        ('[[theme]]\nslug = "a"\nname = "甲"\ndescription = "x"\npatterns = ["解读(形式"]\n', "“解读(形式” 不是有效的正则表达式"),
        ('[[theme]]\nslug = "a"\nname = "甲"\ndescription = "x"\npatterns = ["解?"]\n', "能匹配空文字"),
        ('[[theme]]\nslug = "a"\nname = "甲"\ndescription = "x"\nkeywords = "解读"\n', "keywords 应是文字列表"),
        (
            '[[theme]]\nslug = "a"\nname = "甲"\ndescription = "x"\nkeywords = ["解读"]\n'
            '[[theme]]\nslug = "a"\nname = "乙"\ndescription = "y"\nkeywords = ["培训"]\n',
            "第 2 个主题「乙」：slug “a” 与第 1 个主题重复",
        ),
        ('[[theme]]\nslug = "uncovered"\nname = "甲"\ndescription = "x"\nkeywords = ["解读"]\n', "slug 不能是 “uncovered”"),
    ],
)
def test_each_problem_is_named_with_the_file_and_the_entry(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ThemesConfigError) as caught:
        load_themes(path)
    message = caught.value.format_message()
    assert str(path) in message
    assert expected in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[[theme]]\nslug = "A"\nname = "甲"\ndescription = "x"\nkeywords = ["解读"]\n'
        '[[theme]]\nslug = "b"\ndescription = "y"\nkeywords = ["培训"]\n',
    )
    with pytest.raises(ThemesConfigError) as caught:
        load_themes(path)
    assert "2 处错误" in caught.value.format_message()


def test_a_missing_file_is_no_themes(tmp_path: Path) -> None:
    assert load_themes(tmp_path / "themes.toml").themes == ()


def test_a_bad_list_stops_ingest_and_build_with_its_message(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "reports").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "reports" / "wenxian-xianzhengfu-ban-2023.txt", content / "reports")
    (content / "themes.toml").write_text('[[theme]]\nslug = "a"\n', "utf-8")
    for args in (["ingest", str(content), "--index", str(tmp_path / "index")],
                 ["build", "--content", str(content), "--out", str(tmp_path / "site"), "--index", str(tmp_path / "none")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert f"主题表 {content / 'themes.toml'} 有" in result.output
        assert "缺少名称 name" in result.output


def test_ingest_tags_sentences_and_tags_them_again_when_the_list_changes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "reports", content / "reports")
    shutil.copy(SHIPPED, content / "themes.toml")
    index = tmp_path / "index"
    first = ingest(content, index)
    generation = store.current_generation(index)
    assert generation is not None
    report_id = next(m["report_id"] for s, m in first and store.read_manifest(generation)["files"].items() if "pingtan-2024" in s)
    before = read_analysis(generation, report_id)
    assert before is not None and before.paragraphs
    assert not any("new-theme" in s.themes for s in before.sentences)

    assert ingest(content, index).up_to_date
    with open(content / "themes.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[[theme]]\nslug = "new-theme"\nname = "新主题"\ndescription = "测试"\nkeywords = ["智能化"]\n')
    again = ingest(content, index)
    assert not again.up_to_date and again.parsed == 0 and again.retagged == first.reports
    generation = store.current_generation(index)
    assert generation is not None
    after = read_analysis(generation, report_id)
    assert after is not None and after.paragraphs == before.paragraphs
    assert any("new-theme" in s.themes and "智能化" in s.text for s in after.sentences)
    stored = json.loads((generation / store.THEMES_FILE).read_text("utf-8"))
    assert stored["digest"] == load_themes(content / "themes.toml").digest


def test_suggest_proposes_words_of_the_uncovered_sentences(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "reports", content / "reports")
    # a list without 培训: training sentences of part 五 are uncovered now
    themes = load_themes(SHIPPED)
    kept = [t for t in themes.themes if t.slug != "staff-training"]
    text = "".join(
        f'[[theme]]\nslug = "{t.slug}"\nname = "{t.name}"\ndescription = "{t.description}"\n'
        f"keywords = {json.dumps(list(t.keywords), ensure_ascii=False)}\n"
        for t in kept
    )
    (content / "themes.toml").write_text(text, "utf-8")
    ingest(content, tmp_path / "index")
    result = CliRunner().invoke(
        cli, ["themes", "--content", str(content), "--index", str(tmp_path / "index"), "--suggest", "--json"]
    )
    assert result.exit_code == 0, result.output
    words = {item["word"]: item for item in json.loads(result.output)}
    assert "培训" in words
    assert words["培训"]["sentences"] >= 2 and "培训" in words["培训"]["example"]
    assert not any(word in keyword for word in words for t in kept for keyword in t.keywords)


def test_tagging_an_empty_report_is_nothing() -> None:
    from archive.model import Report
    from archive.themes.config import load_themes as load

    report = Report("r1", "x.txt", "txt", sections=[Section("五", "存在的主要问题及改进情况", "", 1, "p5")])
    assert tag_report(report, load(SHIPPED)) == []


def test_themes_lists_each_theme_with_its_reports_and_sentences(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "reports", content / "reports")
    shutil.copy(SHIPPED, content / "themes.toml")
    ingest(content, tmp_path / "index")
    result = CliRunner().invoke(cli, ["themes", "--content", str(content), "--index", str(tmp_path / "index"), "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    rows = {row["slug"]: row for row in listed["themes"]}
    assert list(rows) == [t.slug for t in load_themes(SHIPPED).themes]
    assert 0 < rows["policy-interpretation"]["reports"] <= rows["policy-interpretation"]["sentences"]
    assert listed["uncovered"] > 0


def test_a_site_without_a_themes_list_says_so(tmp_path: Path) -> None:
    from site_builder.build import build

    content = tmp_path / "content"
    (content / "reports").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "reports" / "wenxian-xianzhengfu-ban-2023.txt", content / "reports")
    build(content, tmp_path / "site", tmp_path / "no-index")
    assert sorted(p.name for p in (tmp_path / "site" / "themes").iterdir()) == ["index.html"]
    assert "还没有主题表" in (tmp_path / "site" / "themes" / "index.html").read_text("utf-8")
