"""The fixed query set of the benchmark, and a warm-latency runner (one process, index opened once).

Run as a script: ``python bench/queries.py INDEX_DIR QUERIES_JSON ROUNDS`` prints JSON timings.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TERMS = [
    "依申请公开", "政务新媒体", "政策解读", "政府信息管理", "监督保障", "行政复议", "行政诉讼", "政务公开",
    "信息公开指南", "适老化", "无障碍改造", "保密审查", "重点领域信息", "政民互动", "网民留言", "绩效考核",
    "业务培训", "门户网站", "微信公众号", "意见征集",
]
TWO_WORDS = [
    "政务新媒体 监督", "依申请公开 答复", "政策解读 形式", "政府网站 更新", "培训 考核",
    "主动公开 目录", "信息处理费 收取", "人大代表建议 政协委员提案", "保密审查 制度", "政务公开 -新媒体",
]
TABLE_LABELS = [
    "不予公开 国家秘密", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "予以公开", "部分公开",
    "本机关不掌握相关政府信息", "重复申请", "行政许可", "行政处罚", "行政事业性收费",
]
PHRASES = ['"政策解读"', '"依申请公开工作"', '"政务新媒体管理"', '"信息公开平台"', '"年度考核"']
SENTENCE = re.compile(r"[^。；！？\n“”\"]{14,40}")


def fixed_queries(reports_dir: Path, seed: int = 0) -> list[dict[str, Any]]:
    """At least 50 queries: terms, two words, table labels, phrases, filters, agency names, copied sentences."""
    rng = random.Random(seed)
    files = sorted(reports_dir.rglob("*.txt"))
    sample = [files[i] for i in sorted(rng.sample(range(len(files)), min(10, len(files))))]
    queries: list[dict[str, Any]] = [{"q": q} for q in TERMS + TWO_WORDS + TABLE_LABELS + PHRASES]
    queries += [{"q": "政务公开", "year": 2023}, {"q": "依申请公开", "region": "河南"}, {"q": "培训", "part": "一"}]
    queries += [{"q": "国家秘密", "kind": "table_row"}, {"q": "政策解读", "kind": "section", "year": 2022}]
    for path in sample:
        text = path.read_text("utf-8")
        title = text.split("\n", 1)[0]
        agency = title.split("20", 1)[0]
        queries.append({"q": "政府信息公开", "agency": agency})
        body = text.split("一、总体情况", 1)[-1]
        sentences = [s.strip() for s in SENTENCE.findall(body.split("二、主动公开", 1)[0])]
        if sentences:
            queries.append({"q": rng.choice(sentences)[:20]})
    return queries


def run(index_dir: Path, queries: list[dict[str, Any]], rounds: int) -> dict[str, Any]:
    started = time.perf_counter()
    from archive.index.search import ArchiveSearcher, Filters

    searcher = ArchiveSearcher(index_dir)
    opened = time.perf_counter() - started

    def one(query: dict[str, Any]) -> tuple[float, int]:
        filters = Filters(**{k: v for k, v in query.items() if k != "q"})
        t = time.perf_counter()
        response = searcher.search(query["q"], filters, limit=10)
        for hit in response.hits:
            hit.to_dict()
        return time.perf_counter() - t, response.total

    first = [one(q) for q in queries]  # the first time each query runs in this process
    warm = [one(q)[0] for _ in range(rounds) for q in queries]
    searcher.close()
    return {
        "open_seconds": opened,
        "first_seconds": [t for t, _ in first],
        "totals": [n for _, n in first],
        "warm_seconds": warm,
    }


if __name__ == "__main__":
    index, queries_file, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(run(index, json.loads(queries_file.read_text("utf-8")), rounds)))
