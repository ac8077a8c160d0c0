"""Snippets: the window of a text with the most query terms, the terms marked.

Deliberately simple (the browser search reproduces it): terms are found as case-insensitive
substrings of the stored text; the window of ``width`` characters starting at a term occurrence
that holds the most distinct terms (the earliest on a tie) is shown, with "…" where cut.
"""

from __future__ import annotations

import html

import click

Fragment = tuple[str, bool]  # (text, is a match)


def _matches(text: str, terms: list[str]) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        start = lowered.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = lowered.find(term, end)
    return sorted(spans)


def fragments(text: str, terms: list[str], width: int = 120) -> list[Fragment]:
    """The snippet of ``text`` as fragments, matches flagged."""
    text = " ".join(text.split())
    spans = _matches(text, [t.lower() for t in terms if t])
    start = 0
    if spans and len(text) > width:
        best = -1
        for s, _ in spans:
            window = {text[a:b].lower() for a, b in spans if s <= a and b <= s + width}
            if len(window) > best:
                best, start = len(window), s
        start = max(0, min(start - width // 6, len(text) - width))
    end = min(len(text), start + width)
    out: list[Fragment] = [("…", False)] if start > 0 else []
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        if s > cursor:
            out.append((text[cursor:s], False))
        out.append((text[s:e], True))
        cursor = e
    if cursor < end:
        out.append((text[cursor:end], False))
    if end < len(text):
        out.append(("…", False))
    return out


def to_html(parts: list[Fragment]) -> str:
    """HTML-escaped, matches in ``<mark>``."""
    return "".join(f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t) for t, hit in parts)


def to_terminal(parts: list[Fragment], color: bool) -> str:
    return "".join(click.style(t, fg="yellow", bold=True) if hit and color else t for t, hit in parts)
