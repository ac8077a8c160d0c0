"""Record what the fixed query set returns, or compare it with a recording (a one-off check, not a test).

    python bench/compare_results.py record INDEX_DIR QUERIES_JSON OUT_JSON
    python bench/compare_results.py compare INDEX_DIR QUERIES_JSON RECORDED_JSON

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


def answers(index_dir: Path, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from archive.index.search import ArchiveSearcher, Filters

    out = []
    with ArchiveSearcher(index_dir) as searcher:
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
    now = answers(index_dir, queries)
    if action == "record":
        recorded.write_text(json.dumps(now, ensure_ascii=False, indent=1), "utf-8")
        print(f"recorded {len(now)} answers")
        return
    before = json.loads(recorded.read_text("utf-8"))
    differ = 0
    for old, new in zip(before, now, strict=True):
        old_ms, new_ms = old.pop("ms"), new.pop("ms")
        if old != new:
            differ += 1
            print(f"DIFFERENT: {new['query']!r} {new['filters']} limit {new['limit']}")
            for key in ("total", "total_capped", "suggestion"):
                if old[key] != new[key]:
                    print(f"  {key}: {old[key]!r} -> {new[key]!r}")
            for i, (a, b) in enumerate(zip(old["results"], new["results"], strict=False)):
                if a != b:
                    print(f"  result {i}: {a['id']} {a['score']} -> {b['id']} {b['score']}")
                    break
        else:
            print(f"same  {old_ms:8.1f} -> {new_ms:8.1f} ms  {new['query']!r} limit {new['limit']}")
    print(f"{len(now) - differ} of {len(now)} answers identical")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
