"""Known-item search in the browser: a sentence copied from a section finds that section (issue 5).

200 sentences of 8 to 20 characters, picked at random with a fixed seed from the sections of a
synthetic corpus (each the only section holding it), are searched on the built site in headless
chromium, all in one call; the section they came from must be among the first 3 results for at
least 95% of them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from archive_command import ARCHIVE
from search_site import browser, build_site, known_items, run_queries, serve

ROOT = Path(__file__).resolve().parent.parent


def test_sentences_find_their_section(tmp_path: Path) -> None:
    content = tmp_path / "synth"
    subprocess.run([ARCHIVE, "synth", "--count", "30", "--out", str(content), "--seed", "7"],
                   check=True, capture_output=True)
    index = tmp_path / "index"
    site = build_site(content, index, tmp_path / "site")
    items = known_items(index, 200)
    assert len(items) == 200
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(base + "search.html")
        got = run_queries(page, [{"q": item["q"], "limit": 3} for item in items])
    missed = [item["q"] for item, result in zip(items, got, strict=True) if item["id"] not in result["ids"]]
    assert len(missed) <= 10, f"{len(missed)} of 200 sentences missed their section: {missed[:20]}"
