"""Keywords to propose for the sentences of part 五 that no theme covers (``archive themes --suggest``).

jieba's TF-IDF keyword extraction (``jieba.analyse.TFIDF``) over the uncovered sentences, with the
inverse document frequencies of this archive instead of jieba's general ones (each paragraph of
parts 一 and 五 of every report is a document): a word that every report uses (政府信息公开) weighs
little, a word frequent in the uncovered sentences and rare elsewhere weighs much. Words already in
the themes list, words inside one of its keywords and ordinals (一是、二是) are not proposed.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jieba
from jieba.analyse import TFIDF

from archive.themes.config import ThemeList

ORDINAL = re.compile(r"^[一二三四五六七八九十]+是$|^第[一二三四五六七八九十]+$")
"""一是、二是…: how points are counted, not what they are about."""


@dataclass(frozen=True)
class Suggestion:
    word: str
    weight: float
    sentences: int
    """How many uncovered sentences contain the word."""
    example: str


def suggest_keywords(
    uncovered: Sequence[str], documents: Sequence[Sequence[str]], themes: ThemeList, count: int = 20
) -> list[Suggestion]:
    """Up to ``count`` keywords for the ``uncovered`` sentences; ``documents``: the words of each paragraph of
    parts 一 and 五 of every report."""
    if not uncovered:
        return []
    frequency: Counter[str] = Counter()
    for words in documents:
        frequency.update(set(words))
    total = max(len(documents), 1)
    known = [k for t in themes.themes for k in t.keywords]
    with tempfile.TemporaryDirectory() as folder:
        idf_path = Path(folder) / "idf.txt"
        idf_path.write_text(
            "".join(f"{w} {math.log(total / n):.6f}\n" for w, n in sorted(frequency.items()) if " " not in w), "utf-8"
        )
        jieba.setLogLevel(60)
        extractor = TFIDF(str(idf_path))
        tags = extractor.extract_tags("\n".join(uncovered), topK=count * 3, withWeight=True)
    out: list[Suggestion] = []
    for word, weight in tags:
        if word.isdigit() or ORDINAL.match(word) or any(word in keyword for keyword in known):
            continue
        containing = [s for s in uncovered if word in s]
        out.append(Suggestion(word, round(weight, 4), len(containing), containing[0] if containing else ""))
        if len(out) >= count:
            break
    return out
