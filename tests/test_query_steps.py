"""Each step of the query plan alone, BM25F and the snippet: ``tests/golden/query_steps.json``, run by both implementations.

A case names its step (``archive.index.query.STEPS``) and, where the step has more than one
function, the function (``call``); its ``input`` is the data that step reads (clauses as far as the
plan has filled them, the words an index knows, documents' words and pairs, words' document counts)
and its ``output`` what the step makes of it. Python calls the step's function in
``archive.index.query``; node calls the function of the same step in the site's ``query.js``
(``tests/js/steps_harness.mjs``, one process for every case). The steps that segment or look up the
words a cut edge may be part of (``segment_clauses``, ``split_cut_ending``, ``expand_cut_edges``)
run on the samples' index and its browser export, as ``tests/test_query_plan.py`` does.

The file also holds Whoosh's BM25F (idf, term frequency, length byte, average length, B, K1 →
score), the length byte (a field's length → the byte Whoosh stores → the length it decodes), and
snippets (text, terms → fragments): ``whoosh.scoring.bm25``, the array ranker and ``engine.js``'s
``bm25`` must give its scores; ``archive.index.snippet`` and ``snippet.js`` its fragments.

After a deliberate change of a step, write the outputs again from Python and read the diff:
``.venv/bin/python tests/test_query_steps.py`` (a case is added by adding its ``step``, ``input``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import whoosh.scoring
from test_query_plan import ENGINE_JS, ROOT, _make_index
from whoosh.util.numeric import byte_to_length, length_to_byte

from archive.index import array_ranker
from archive.index import query as query_language
from archive.index.query import Clause, ParsedQuery
from archive.index.search import ArchiveSearcher
from archive.index.snippet import fragments

GOLDEN = ROOT / "tests" / "golden" / "query_steps.json"
HARNESS = ROOT / "tests" / "js" / "steps_harness.mjs"


def _golden() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text("utf-8"))


def clause_of(data: dict[str, Any]) -> Clause:
    """A clause from a case's data: what is not given is empty (the text is the tokens joined)."""
    tokens = list(data.get("tokens", []))
    clause = Clause(data.get("text", "".join(tokens)), tokens, data.get("quoted", False), data.get("negated", False))
    clause.offsets = list(data.get("offsets") or accumulate([len(t) for t in tokens[:-1]], initial=0))
    for name in ("edges", "cut", "whole", "expanded"):
        setattr(clause, name, set(data.get(name, [])))
    for name in ("required", "optional", "sequence", "common"):
        setattr(clause, name, list(data.get(name, [])))
    clause.expansions = [list(words) for words in data.get("expansions", [])]
    clause.spans = tuple(data.get("spans", (0, 0)))
    clause.neighbours = tuple(list(words) for words in data.get("neighbours", ([], [])))
    return clause


def parsed_of(data: dict[str, Any]) -> ParsedQuery:
    return ParsedQuery([clause_of(c) for c in data["clauses"]])


def _positions(sets: list[set[int]]) -> list[list[int]]:
    return [sorted(s) for s in sets]


def _ranks(data: dict[str, Any], key: int) -> list[int]:
    parsed = parsed_of(data)
    ranks = []
    for doc in data["documents"]:
        words = set(doc["words"])
        ranks.append(query_language.sequence_ranks(parsed, frozenset(doc["pairs"]), words.__contains__)[key])
    return ranks


def _segment_clauses(searcher: ArchiveSearcher, data: dict[str, Any]) -> list[dict[str, Any]]:
    parsed = query_language.segment_clauses(data["query"], searcher.query_segmenter)
    return [{"tokens": c.tokens, "offsets": c.offsets, "quoted": c.quoted, "negated": c.negated} for c in parsed.clauses]


def _split_cut_ending(searcher: ArchiveSearcher, data: dict[str, Any]) -> dict[str, Any]:
    seg = searcher.query_segmenter
    parsed = query_language.segment_clauses(data["query"], seg)
    query_language.split_cut_ending(parsed, seg)
    return {
        "tokens": [c.tokens for c in parsed.clauses],
        "offsets": [c.offsets for c in parsed.clauses],
        "edges": _positions(query_language.cut_ending_edges(parsed.include, seg.freq)),
    }


def _keep_one_required(data: dict[str, Any]) -> list[dict[str, list[int]]]:
    clauses = parsed_of(data).include
    layers = [[set(p) for p in data[name]] for name in ("query_edges", "cut_ending", "single_characters")]
    query_language.keep_one_required(clauses, *layers)
    return [{"edges": sorted(c.edges), "cut": sorted(c.cut), "whole": sorted(c.whole)} for c in clauses]


def _expand_cut_edges(searcher: ArchiveSearcher, data: dict[str, Any]) -> list[dict[str, Any]]:
    parsed = parsed_of(data)
    query_language.expand_cut_edges(parsed, searcher.affixes)
    return [{"expansions": c.expansions, "expanded": sorted(c.expanded), "spans": list(c.spans)} for c in parsed.clauses]


def _keep_whole_edges(data: dict[str, Any]) -> list[dict[str, list[int]]]:
    parsed = parsed_of(data)
    query_language.keep_whole_edges(parsed, set(data["known"]).__contains__)
    return [{"edges": sorted(c.edges), "cut": sorted(c.cut)} for c in parsed.clauses]


def _drop_common_neighbours(data: dict[str, Any]) -> list[list[list[str]]]:
    parsed = query_language.drop_common_neighbours(parsed_of(data), _counts(data))
    return [[list(side) for side in c.neighbours] for c in parsed.clauses]


def _rank_optional_groups(data: dict[str, Any]) -> dict[str, Any]:
    return {"groups": [list(g) for g in parsed_of(data).optional_groups], "held": _ranks(data, 2)}


def _drop_common_words(data: dict[str, Any]) -> list[dict[str, Any]]:
    parsed = query_language.drop_common(parsed_of(data), _counts(data), data["total"])
    return [{"required": c.required, "optional": c.optional, "common": c.common, "expansions": c.expansions}
            for c in parsed.clauses]


def _counts(data: dict[str, Any]) -> Callable[[str], int]:
    documents = data["documents"]
    return lambda word: documents.get(word, 0)


Step = Callable[[ArchiveSearcher, dict[str, Any]], Any]

# A case's ``call`` (its ``step`` when it has none) → the step's function, on the case's input.
STEP_CALLS: dict[str, Step] = {
    "split_clauses": lambda _, d: [list(c) for c in query_language.split_clauses(d["query"])],
    "segment_clauses": _segment_clauses,
    "split_unknown_tokens": lambda _, d: query_language.split_unknown(d["token"], set(d["known"]).__contains__),
    "loosen_query_edges": lambda _, d: _positions(query_language.loosen_query_edges(parsed_of(d).include)),
    "split_cut_ending": _split_cut_ending,
    "loosen_single_characters": lambda _, d: _positions(query_language.loosen_single_characters(parsed_of(d).include)),
    "keep_one_required": lambda _, d: _keep_one_required(d),
    "expand_cut_edges": _expand_cut_edges,
    "keep_whole_edges": lambda _, d: _keep_whole_edges(d),
    "check_phrases": lambda _, d: query_language.matches_phrases(parsed_of(d), frozenset(d["pairs"])),
    "exclude_clauses": lambda _, d: query_language.exclusion_groups(parsed_of(d)),
    "rerank_by_sequence": lambda _, d: _ranks(d, 0),
    "rank_edge_neighbours": lambda _, d: _ranks(d, 1),
    "drop_common_neighbours": lambda _, d: _drop_common_neighbours(d),
    "rank_optional_groups": lambda _, d: _rank_optional_groups(d),
    "drop_common_words": lambda _, d: _drop_common_words(d),
}


def run_step(searcher: ArchiveSearcher, case: dict[str, Any]) -> Any:
    return STEP_CALLS[case.get("call", case["step"])](searcher, case["input"])


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [f"{c.get('call', c['step'])}: {json.dumps(c['input'], ensure_ascii=False)[:60]}" for c in cases]


STEPS = _golden()["steps"]


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _make_index(tmp_path_factory.mktemp("steps"))


@pytest.fixture(scope="module")
def searcher(samples: tuple[Path, Path]):
    with ArchiveSearcher(samples[0]) as opened:
        yield opened


@pytest.fixture(scope="module")
def browser(samples: tuple[Path, Path]) -> dict[str, Any]:
    """What the site's scripts give for every case of the file (one node process)."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    result = subprocess.run(["node", str(HARNESS), str(ENGINE_JS), str(samples[1]), str(GOLDEN)],
                            capture_output=True, text=True, check=True, timeout=300)
    return json.loads(result.stdout)


def test_every_step_has_cases_of_its_own() -> None:
    assert {c["step"] for c in STEPS} == set(query_language.STEPS)
    assert set(STEP_CALLS) >= {c.get("call", c["step"]) for c in STEPS}


@pytest.mark.parametrize("case", STEPS, ids=_ids(STEPS))
def test_step_in_python(searcher: ArchiveSearcher, case: dict[str, Any]) -> None:
    assert run_step(searcher, case) == case["output"]


@pytest.mark.parametrize("at", range(len(STEPS)), ids=_ids(STEPS))
def test_step_in_the_browser(browser: dict[str, Any], at: int) -> None:
    assert browser["steps"][at] == STEPS[at]["output"]


# BM25F and the length byte


def test_bm25_is_whoosh_s() -> None:
    for case in _golden()["bm25"]:
        fl = byte_to_length(case["length_byte"])
        assert whoosh.scoring.bm25(case["idf"], case["tf"], fl, case["avgfl"], case["B"], case["K1"]) == case["score"]


def test_the_array_ranker_scores_with_whoosh_s_bm25_on_arrays() -> None:
    assert array_ranker.bm25 is whoosh.scoring.bm25
    for (idf, avgfl, B, K1), cases in _by_parameters(_golden()["bm25"]).items():
        tf = np.array([c["tf"] for c in cases])
        fl = array_ranker.length_table()[np.array([c["length_byte"] for c in cases])]
        assert array_ranker.bm25(idf, tf, fl, avgfl, B, K1).tolist() == [c["score"] for c in cases]


def _by_parameters(cases: list[dict[str, Any]]) -> dict[tuple[float, ...], list[dict[str, Any]]]:
    out: dict[tuple[float, ...], list[dict[str, Any]]] = {}
    for c in cases:
        out.setdefault((c["idf"], c["avgfl"], c["B"], c["K1"]), []).append(c)
    return out


def test_length_bytes_are_whoosh_s() -> None:
    table = array_ranker.length_table()
    for case in _golden()["lengths"]:
        assert length_to_byte(case["length"]) == case["byte"]
        assert byte_to_length(case["byte"]) == table[case["byte"]] == case["decoded"]


def test_bm25_and_length_bytes_in_the_browser(browser: dict[str, Any]) -> None:
    golden = _golden()
    assert browser["bm25"] == [c["score"] for c in golden["bm25"]]
    assert browser["lengths"] == [c["decoded"] for c in golden["lengths"]]


# snippets


def _fragments(case: dict[str, Any]) -> list[list[Any]]:
    return [list(f) for f in fragments(case["text"], case["terms"], case.get("width", 120))]


def test_snippets_in_python() -> None:
    for case in _golden()["snippets"]:
        assert _fragments(case) == case["fragments"], case["text"]


def test_snippets_in_the_browser(browser: dict[str, Any]) -> None:
    assert browser["snippets"] == [c["fragments"] for c in _golden()["snippets"]]


def write_golden() -> None:
    """Fill in the outputs of every case of the file, from Python."""
    golden = _golden()
    with tempfile.TemporaryDirectory() as tmp:
        index, _ = _make_index(Path(tmp))
        with ArchiveSearcher(index) as opened:
            for case in golden["steps"]:
                case["output"] = run_step(opened, case)
    for case in golden["bm25"]:
        fl = byte_to_length(case["length_byte"])
        case["score"] = whoosh.scoring.bm25(case["idf"], case["tf"], fl, case["avgfl"], case["B"], case["K1"])
    for case in golden["lengths"]:
        case["byte"] = length_to_byte(case["length"])
        case["decoded"] = byte_to_length(case["byte"])
    for case in golden["snippets"]:
        case["fragments"] = _fragments(case)
    GOLDEN.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    write_golden()
    sys.exit(0)
