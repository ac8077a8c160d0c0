"""The segmentation floor: jieba alone segmenting the text the index holds, in one process.

Run as a script: ``python bench/floor.py INDEX_DIR`` prints JSON. The text is every indexed
document's title and text (sections at every level and table rows), read back from the stored
reports; the segmenter is the index's own (same dictionary, ``HMM=False``). Loading the reports
and the dictionary is not timed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def measure(index_dir: Path) -> dict[str, float]:
    from archive.index import store
    from archive.index.analysis import use_dictionary
    from archive.index.documents import report_documents

    generation = store.current_generation(index_dir)
    assert generation is not None, "ingest first"
    manifest = store.read_manifest(generation)
    segmenter = use_dictionary(manifest["words"], index_dir)
    texts = [
        doc[name]
        for entry in manifest["files"].values()
        for doc in report_documents(store.read_report(generation, entry["report_id"]))
        for name in ("title", "text")
    ]
    started, cpu_started = time.perf_counter(), time.process_time()
    tokens = 0
    for text in texts:
        tokens += sum(1 for _ in segmenter.tokenizer.cut(text, HMM=False))
    jieba_seconds = time.perf_counter() - started
    jieba_cpu_seconds = time.process_time() - cpu_started
    started = time.perf_counter()
    for text in texts:
        segmenter.index_tokens(text)
    analyzer_seconds = time.perf_counter() - started
    return {
        "chars": sum(len(t) for t in texts),
        "tokens": tokens,
        "jieba_seconds": jieba_seconds,
        "jieba_cpu_seconds": jieba_cpu_seconds,
        "analyzer_seconds": analyzer_seconds,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
