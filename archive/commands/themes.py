"""archive themes [--suggest] [--content DIR] [--index DIR] [--json]"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import click

from archive.commands.options import content_option, index_option
from archive.themes.config import load_themes, themes_path


@click.command()
@content_option("Content folder (with themes.toml).")
@index_option
@click.option("--suggest", is_flag=True, help="Propose keywords for the sentences of part 五 that no theme covers.")
@click.option("--count", default=20, show_default=True, type=click.IntRange(1, 200), help="How many keywords to propose.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def themes(content_dir: Path, index_dir: Path | None, suggest: bool, count: int, as_json: bool) -> None:
    """List the themes of CONTENT/themes.toml with how many reports and sentences mention each.

    Every sentence of parts 一 and 五 is tagged with the themes whose keywords or patterns it
    contains. With --suggest, keywords are proposed for the sentences of part 五 that no theme
    covers (jieba's TF-IDF over them, against the whole archive); add the useful ones to
    themes.toml and run `archive ingest` again.

    \b
    Example:
        archive themes
        archive themes --suggest --count 30
    """
    from site_builder.sources import open_store

    theme_list = load_themes(themes_path(content_dir))
    store, problems = open_store(content_dir, index_dir, theme_list)
    for problem in problems:
        click.echo(f"跳过：{problem}", err=True)
    sentences = [s for texts in store.texts for s in texts.sentences]
    reports = Counter(slug for texts in store.texts for slug in {t for s in texts.sentences for t in s.themes})
    mentions = Counter(slug for s in sentences for slug in s.themes)
    uncovered = sorted({s.text for s in sentences if s.part == "五" and not s.themes})
    if suggest:
        from archive.corpus.suggest import suggest_keywords

        documents = [p.words.split(" ") for texts in store.texts for p in texts.passages]
        found = suggest_keywords(uncovered, documents, theme_list, count)
        if as_json:
            click.echo(json.dumps([asdict(s) for s in found], ensure_ascii=False, indent=2))
            return
        if not found:
            click.echo("第五部分的句子都已归入主题，没有需要补充的关键词。")
            return
        click.echo(f"未归类的句子共 {len(uncovered)} 句；候选关键词（权重、所在句数、例句）：")
        for s in found:
            click.echo(f"  {s.word}\t{s.weight}\t{s.sentences} 句\t{s.example[:60]}")
        return
    rows = [
        {"slug": t.slug, "name": t.name, "reports": reports[t.slug], "sentences": mentions[t.slug]}
        for t in theme_list.themes
    ]
    if as_json:
        click.echo(json.dumps({"themes": rows, "uncovered": len(uncovered)}, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"没有主题表 {themes_path(content_dir)}，或其中没有主题。")
        return
    for row in rows:
        click.echo(f"{row['name']}（{row['slug']}）：{row['reports']} 份报告，{row['sentences']} 句")
    click.echo(f"共 {len(rows)} 个主题，{len(store.texts)} 份报告；第五部分未归类的句子 {len(uncovered)} 句（--suggest 提出候选关键词）。")

