"""The query plan's golden file, ``tests/golden/query_plan.json``, run by both implementations.

Each case names the step of the plan it shows (``archive.index.query.STEPS``): a query and the plan
``archive search`` makes of it (every clause's tokens, required and optional words, sequence,
expansions of cut edges, common words left out, neighbours of its cut edges; the optional groups),
or a query and its top results on the samples' index. Python's ``ArchiveSearcher`` and the site's
``engine.js`` (node, on the index's browser export) must both give what the file says: the plan is
specified once, as data, not kept in step by hand between the two.

After a deliberate change of the plan (or of the samples), write the file again and read its diff:
``.venv/bin/python tests/test_query_plan.py`` (the cases are the file's own: add one by adding its
``step``, ``query`` and, for results, ``limit``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from archive.index import query as query_language
from archive.index.ingest import ingest
from archive.index.search import ArchiveSearcher
from site_builder.search.export import write_export

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "query_plan.json"
ENGINE_JS = ROOT / "site_builder" / "static" / "search" / "engine.js"
HARNESS = ROOT / "tests" / "js" / "plan_harness.mjs"
CONSTANTS = {"commonShare": "COMMON_SHARE", "commonMin": "COMMON_MIN"}  # the manifest's names → query.py's


def _golden() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text("utf-8"))


def _make_index(folder: Path) -> tuple[Path, Path]:
    """The samples' index and its browser export (search/ alone)."""
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    index = folder / "index"
    assert ingest(content, index).exit_code in (0, 3)
    search = folder / "search"

    write_export(index, search)
    return index, search


@contextmanager
def _constants(case: dict[str, Any]) -> Iterator[None]:
    """The case's constants of the plan (the manifest's names) set in archive.index.query."""
    saved = {name: getattr(query_language, name) for name in CONSTANTS.values()}
    try:
        for key, value in (case.get("constants") or {}).items():
            setattr(query_language, CONSTANTS[key], value)
        yield
    finally:
        for name, value in saved.items():
            setattr(query_language, name, value)


def plan_of(searcher: ArchiveSearcher, case: dict[str, Any]) -> dict[str, Any]:
    with _constants(case):
        parsed = searcher.parse(case["query"])
    return {
        "clauses": [
            {"negated": c.negated, "quoted": c.quoted, "tokens": c.tokens, "required": c.required,
             "optional": c.optional, "sequence": c.sequence, "expansions": c.expansions, "common": c.common,
             "neighbours": [list(side) for side in c.neighbours]}
            for c in parsed.clauses
        ],
        "groups": [list(g) for g in parsed.optional_groups],
    }


def results_of(searcher: ArchiveSearcher, case: dict[str, Any]) -> dict[str, Any]:
    with _constants(case):
        response = searcher.search(case["query"], limit=case["limit"] + 1)
    scores = [round(h.score, 9) for h in response.hits]
    if len(set(scores)) < len(scores):  # document numbers differ between ingests: so would the order of ties
        raise ValueError(f"{case['query']!r}: equal scores among the first {case['limit'] + 1} results")
    return {"total": response.total, "ids": [h.fields["id"] for h in response.hits[: case["limit"]]]}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _make_index(tmp_path_factory.mktemp("plan"))


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [f"{c['step']}: {c['query']}" for c in cases]


def test_every_step_has_a_case_and_every_case_a_step() -> None:
    golden = _golden()
    named = {c["step"] for c in golden["plans"] + golden["results"]}
    assert named == set(query_language.STEPS), named ^ set(query_language.STEPS)


@pytest.mark.parametrize("case", _golden()["plans"], ids=_ids(_golden()["plans"]))
def test_plan(samples: tuple[Path, Path], case: dict[str, Any]) -> None:
    with ArchiveSearcher(samples[0]) as searcher:
        assert plan_of(searcher, case) == case["plan"]


@pytest.mark.parametrize("case", _golden()["results"], ids=_ids(_golden()["results"]))
def test_results(samples: tuple[Path, Path], case: dict[str, Any]) -> None:
    with ArchiveSearcher(samples[0]) as searcher:
        assert results_of(searcher, case) == {"total": case["total"], "ids": case["ids"]}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_engine_runs_the_golden_file(samples: tuple[Path, Path]) -> None:
    golden = _golden()
    result = subprocess.run(["node", str(HARNESS), str(ENGINE_JS), str(samples[1]), str(GOLDEN)],
                            capture_output=True, text=True, check=True, timeout=300)
    got = json.loads(result.stdout)
    for case, plan in zip(golden["plans"], got["plans"], strict=True):
        assert plan == case["plan"], f"{case['step']}: {case['query']}"
    for case, found in zip(golden["results"], got["results"], strict=True):
        want = {"total": case["total"], "ids": case["ids"], "topIds": case["ids"]}
        assert found == want, f"{case['step']}: {case['query']}"


def write_golden() -> None:
    """Fill in the plan and results of every case of the golden file, from archive search."""
    golden = _golden()
    with tempfile.TemporaryDirectory() as tmp:
        index, _ = _make_index(Path(tmp))
        with ArchiveSearcher(index) as searcher:
            for case in golden["plans"]:
                case["plan"] = plan_of(searcher, case)
            for case in golden["results"]:
                case.update(results_of(searcher, case))
    GOLDEN.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    write_golden()
    sys.exit(0)
