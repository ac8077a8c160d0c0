"""Similar passages across agencies: other agencies only, one paragraph per agency, exact similarity, copies."""

from __future__ import annotations

from archive.corpus.similar import COPY_MIN, SIMILAR_MIN, Passage, find_similar, jaccard, word_set
from archive.index.report_analysis import words_segmenter

ORGANISE = "一是加强组织领导。成立政府信息公开工作领导小组，负责日常管理协调，明确分管领导和具体工作人员，确保工作落实。"
ORGANISE_TOO = "一是强化组织领导。成立了政府信息公开领导小组，明确了全乡信息公开工作的组织领导体系，确保工作有人抓、有人管。"
PLATFORM = "依托社区党群服务中心，充分发挥网格员作用，对群众关心的热点问题进行解答，打通政务公开最后一公里。"
TRAINING = "加强业务培训，定期开展政务公开工作培训指导，提升各地各单位政务公开工作能力，不断推动政务公开工作提质增效。"


def _passage(report: str, text: str, anchor: str = "p5", number: int = 1) -> Passage:
    words = " ".join(w for w, _ in words_segmenter().cut(text))
    return Passage(report, "五", anchor, number, words)


AGENCY = {"a2022": "甲", "a2023": "甲", "b2023": "乙", "c2023": "丙", "d2023": "丁"}


def test_other_agencies_only_one_paragraph_each_best_first() -> None:
    passages = [
        _passage("a2022", ORGANISE),
        _passage("a2023", ORGANISE),  # the same agency a year later: not another unit
        _passage("b2023", ORGANISE.replace("2023", "2024")),  # copied (figures and years aside)
        _passage("c2023", ORGANISE_TOO),  # the same work in other words
        _passage("c2023", ORGANISE, "p5-1", 2),  # and copied too, in another paragraph: one per agency
        _passage("d2023", PLATFORM),
    ]
    found = find_similar(passages, AGENCY.__getitem__)
    a = found["a2023"]
    assert [m.other_report for m in a] == ["b2023", "c2023"]
    assert a[0].similarity == 1.0 and a[0].copied
    assert (a[1].other_anchor, a[1].other_number) == ("p5-1", 2)  # c's copy, not its paraphrase
    assert a[0].same_text_elsewhere == 2  # b's paragraph and c's second one
    assert all(m.other_report not in ("a2022", "a2023") for m in a)
    assert "d2023" not in found  # nothing like it


def test_similarity_is_the_exact_jaccard_index_of_the_words() -> None:
    b, c = _passage("b2023", ORGANISE), _passage("c2023", ORGANISE_TOO)
    exact = jaccard(word_set(b.words), word_set(c.words))
    assert SIMILAR_MIN <= exact < COPY_MIN
    (match,) = find_similar([b, c], AGENCY.__getitem__)["b2023"]
    assert match.similarity == round(exact, 4) and not match.copied
    unrelated = find_similar([_passage("b2023", TRAINING), _passage("c2023", PLATFORM)], AGENCY.__getitem__)
    assert unrelated == {}


def test_the_same_input_gives_the_same_matches() -> None:
    passages = [_passage(r, t) for r, t in (("a2023", ORGANISE), ("b2023", ORGANISE_TOO), ("c2023", ORGANISE))]
    assert find_similar(passages, AGENCY.__getitem__) == find_similar(list(reversed(passages)), AGENCY.__getitem__)


def test_workers_in_parallel_find_the_same_matches_as_one() -> None:
    import random

    clauses = [c for text in (ORGANISE, ORGANISE_TOO, PLATFORM, TRAINING) for c in text.rstrip("。").split("，")]
    chance = random.Random(7)
    passages = []
    for number in range(400):
        picked = chance.sample(clauses, chance.randint(3, 6))
        passages.append(_passage(f"r{number:03d}", "，".join(picked) + "。", "p5", 1))
    agency = {f"r{n:03d}": f"agency{n % 60}" for n in range(400)}
    alone = find_similar(passages, agency.__getitem__, workers=1)
    assert sum(len(m) for m in alone.values()) > 400  # enough matches to tell a difference
    assert find_similar(passages, agency.__getitem__, workers=2) == alone
