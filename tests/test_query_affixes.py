"""``expand_cut_edges`` of the query plan: a cut first (last) token is expanded to the indexed words it may
be the end (beginning) of, the same on the command line and in the browser (issue 5)."""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest
from archive_command import ARCHIVE

from archive.index.search import ArchiveSearcher
from archive.index.vocabulary import AFFIX_WORDS, Affixes
from site_builder.search.affixes import SPLIT_ABOVE, first_chars, last_chars, shard_key, split_keys
from site_builder.search.codec import fnv1a
from site_builder.search.export import write_export

ROOT = Path(__file__).resolve().parent.parent
ENGINE_JS = ROOT / "site_builder" / "static" / "search" / "engine.js"
HARNESS = ROOT / "tests" / "js" / "query_harness.mjs"


def test_words_by_suffix_and_prefix() -> None:
    affixes = Affixes([("2024", 9), ("2014", 3), ("024", 1), ("新蔡县", 2), ("上蔡县", 2), ("蔡县", 5), ("县", 40)])
    assert affixes.ending_with("024") == ["2024"]  # proper suffixes only: not 024 itself
    assert affixes.ending_with("4") == ["2024", "2014", "024"]  # highest document frequency first
    assert affixes.ending_with("蔡县") == ["上蔡县", "新蔡县"]  # equal frequencies: code-point order
    assert affixes.ending_with("县")[:1] == ["蔡县"]
    assert affixes.beginning_with("20") == ["2024", "2014"]
    assert affixes.beginning_with("2024") == []
    many = Affixes([(f"{n}县", n) for n in range(10, 30)])
    assert len(many.ending_with("县")) == AFFIX_WORDS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A synthetic corpus's index and its browser export (search/ alone, no site)."""
    from archive.index.ingest import ingest

    tmp = tmp_path_factory.mktemp("affixes")
    content = tmp / "synth"
    subprocess.run([ARCHIVE, "synth", "--count", "12", "--out", str(content), "--seed", "3"],
                   check=True, capture_output=True)
    index = tmp / "index"
    assert ingest(content, index).exit_code in (0, 3)
    search = tmp / "search"

    write_export(index, search)
    return index, search


def _cut_pieces(index: Path, count: int) -> list[str]:
    """Pieces of section text cut anywhere (mostly inside words), 6 to 16 characters."""
    with ArchiveSearcher(index) as searcher:
        texts = sorted(f.get("text") or "" for _, f in searcher.searcher.reader().iter_docs())
    sentences = [s for t in texts for s in re.findall(r"[^。；！？\n]{8,}", t)]
    rng = random.Random(5)
    pieces = []
    for _ in range(count):
        sentence = rng.choice(sentences)
        size = min(len(sentence), rng.randint(6, 16))
        start = rng.randrange(len(sentence) - size + 1)
        pieces.append(sentence[start : start + size])
    return pieces


def test_cut_edges_expand_to_indexed_words(corpus: tuple[Path, Path]) -> None:
    index, _ = corpus
    with ArchiveSearcher(index) as searcher:
        year = next(w for w, _ in searcher._lexicon("content") if re.fullmatch(r"20[12]\d", w))
        parsed = searcher.parse(f"{year[1:]}年，通过政府门户网站")
        first = parsed.include[0]
        assert [year] in first.expansions
        assert year in first.optional and year[1:] not in first.optional + first.required
        assert any(group == tuple(words) for group in parsed.optional_groups for words in first.expansions)
        # a query whose edges are whole words is not expanded
        assert all(not c.expansions for c in searcher.parse("依申请公开").include)
        # ``split_cut_ending``: the cut ending is segmented apart from the text before it, as the text was indexed
        assert searcher.parse("2023年，高庄镇认真贯彻落").include[0].tokens[-3:] == ["认真", "贯彻", "落"]


def test_browser_parses_as_the_command_line(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    index, search = corpus
    queries = _cut_pieces(index, 150) + ["024年，通过政府门户网站", "1 年，大足区", "依申请公", "“中国·大", "本年度",
                                           "2023年，高庄镇认真贯彻落", "依申请公开 政府信息公",
                                           "，温县人民政府门户网站主动公开政务信息", "县人民政府门户网站（ht"]
    path = tmp_path / "queries.json"
    path.write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    result = subprocess.run(["node", str(HARNESS), str(ENGINE_JS), str(search), str(path)],
                            capture_output=True, text=True, check=True, timeout=300)
    data = json.loads(result.stdout)
    expanded = 0
    with ArchiveSearcher(index) as searcher:
        for text, got in zip(queries, data["out"], strict=True):
            parsed = searcher.parse(text)
            want = [{"tokens": c.tokens, "required": c.required, "optional": c.optional, "sequence": c.sequence,
                     "expansions": c.expansions} for c in parsed.include]
            assert got["clauses"] == want, text
            assert [tuple(g) for g in got["groups"]] == parsed.optional_groups, text
            expanded += any(c.expansions for c in parsed.include)
    assert expanded >= 30, "too few queries had a cut edge with indexed words to expand to"
    # each cut edge reads at most two small shards of each kind
    entry = data["affixes"]
    affix_blobs = [(i, size) for i, size in data["blobs"] if entry["first"] <= i < entry["first"] + entry["sfx"] + entry["pfx"]]
    assert affix_blobs, "no affix shard was read"
    assert len(affix_blobs) <= 4 * len(queries)
    assert max(size for _, size in affix_blobs) < 8_000


def test_crowded_keys_are_lengthened() -> None:
    towns = [f"{chr(0x4E00 + i)}{chr(0x4F00 + i)}县人民" for i in range(SPLIT_ABOVE + 1)]
    split = split_keys([*towns, "人民", "民"], last_chars)
    assert {"人民", "县人民"} <= split
    assert shard_key(towns[0], split, last_chars) == towns[0][-4:]
    assert shard_key("县人民", split, last_chars) == "县人民"  # no longer key than the affix itself
    assert shard_key("人民", split, last_chars) == "人民"
    assert shard_key("民", split, last_chars) == "民"
    assert split_keys(["人民", "公民"], last_chars) == set()


def test_browser_finds_the_shard_of_an_affix(tmp_path: Path) -> None:
    entry = {"max": 8, "words": 4, "keyChars": 2, "sfx": 7, "pfx": 13,
             "sfxSplit": ["政府", "政府信"], "pfxSplit": ["人民", "县人民"]}
    affixes = ["政", "政府", "政府信", "政府信息", "政府信息公开", "人民", "县人民", "温县人民", "温县人民政", "024", "ａ县"]
    script = (
        "const { Affixes } = await import(process.argv[1]);"
        "const [entry, affixes] = JSON.parse(process.argv[2]);"
        "const a = new Affixes(entry, null);"
        "console.log(JSON.stringify(affixes.map((s) => [a.shardPath('sfx', s), a.shardPath('pfx', s)])));"
    )
    module = (ROOT / "site_builder" / "static" / "search" / "affixes.js").as_uri()
    result = subprocess.run(["node", "--input-type=module", "-e", script, module, json.dumps([entry, affixes])],
                            capture_output=True, text=True, check=True, timeout=60)
    want = [[f"sfx/{fnv1a(shard_key(s, set(entry['sfxSplit']), first_chars)) % 7}",
             f"pfx/{fnv1a(shard_key(s, set(entry['pfxSplit']), last_chars)) % 13}"] for s in affixes]
    assert json.loads(result.stdout) == want
