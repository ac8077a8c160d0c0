"""Record what the fixed query set returns, or compare it with a recording (a one-off check, not a test).

    python bench/compare_results.py record INDEX_DIR QUERIES_JSON OUT_JSON
    python bench/compare_results.py compare INDEX_DIR QUERIES_JSON RECORDED_JSON
    python bench/compare_results.py record-whoosh INDEX_DIR QUERIES_JSON OUT_JSON   # Whoosh's own search

``record-whoosh`` records with ``ArchiveSearcher(fast=False)``: Whoosh's search without block-max skipping.

Compares, per query, the total, ``total_capped``, the suggestion and every result (id, order,
score, snippet and the other fields of ``--json``), with ``limit`` 10 and 50.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LIMITS = (10, 50)


def answers(index_dir: Path, queries: list[dict[str, Any]], fast: bool = True) -> list[dict[str, Any]]:
    from archive.index.search import ArchiveSearcher, Filters

    out = []
    with ArchiveSearcher(index_dir, fast=fast) as searcher:
        for query in queries:
            filters = Filters(**{k: v for k, v in query.items() if k != "q"})
            for limit in LIMITS:
                started = time.perf_counter()
                response = searcher.search(query["q"], filters, limit=limit)
                data = response.to_dict()
                data["limit"] = limit
                data["ms"] = round((time.perf_counter() - started) * 1000, 1)
                out.append(data)
    return out


def main() -> None:
    action, index_dir, queries_file, recorded = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    queries = json.loads(queries_file.read_text("utf-8"))
    now = answers(index_dir, queries, fast=action != "record-whoosh")
    if action.startswith("record"):
        recorded.write_text(json.dumps(now, ensure_ascii=False, indent=1), "utf-8")
        print(f"recorded {len(now)} answers")
        return
    before = json.loads(recorded.read_text("utf-8"))
    differ = same_ranking = 0
    for old, new in zip(before, now, strict=True):
        old_ms, new_ms = old.pop("ms"), new.pop("ms")
        label = f"{new['query']!r} {new['filters']} limit {new['limit']}"
        if old == new:
            print(f"same  {old_ms:8.1f} -> {new_ms:8.1f} ms  {label}")
            continue
        differ += 1
        ranking = [(r["id"]) for r in old["results"]] == [(r["id"]) for r in new["results"]]
        counts = all(old[k] == new[k] for k in ("total", "total_capped", "suggestion"))
        if ranking and counts:
            same_ranking += 1
            shift = {round(b["score"] - a["score"], 4) for a, b in zip(old["results"], new["results"], strict=True)}
            print(f"same ids, order and totals; scores shifted by {sorted(shift)}: {label}")
            continue
        print(f"DIFFERENT: {label}")
        for key in ("total", "total_capped", "suggestion"):
            if old[key] != new[key]:
                print(f"  {key}: {old[key]!r} -> {new[key]!r}")
        for i, (a, b) in enumerate(zip(old["results"], new["results"], strict=False)):
            if a["id"] != b["id"]:
                print(f"  result {i}: {a['id']} {a['score']} -> {b['id']} {b['score']}")
                break
    print(f"{len(now) - differ} of {len(now)} answers identical; {same_ranking} more with the same ids, order and totals")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
