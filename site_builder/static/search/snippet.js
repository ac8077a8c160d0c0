// The snippet of archive/index/snippet.py: the window with the most distinct query terms.
import { PY_SPACE } from "./query.js";

const SPACES = new RegExp(`[${PY_SPACE}]+`, "u");

function matches(text, terms) {
  const lowered = text.toLowerCase();
  const spans = [];
  const unique = [...new Set(terms)];
  // Python's sorted(set, key=len, reverse=True) is stable on the set's order; only length matters for
  // which spans win, and distinct terms of one length never overlap at one start.
  unique.sort((a, b) => b.length - a.length);
  for (const term of unique) {
    let start = lowered.indexOf(term);
    while (start >= 0) {
      const end = start + term.length;
      if (!spans.some(([s, e]) => s < end && start < e)) spans.push([start, end]);
      start = lowered.indexOf(term, end);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

// [[text, isMatch], …]
export function fragments(rawText, terms, width = 120) {
  const text = rawText.split(SPACES).filter(Boolean).join(" ");
  const spans = matches(text, terms.filter(Boolean).map((t) => t.toLowerCase()));
  let start = 0;
  if (spans.length && text.length > width) {
    let best = -1;
    for (const [s] of spans) {
      const window = new Set(
        spans.filter(([a, b]) => s <= a && b <= s + width).map(([a, b]) => text.slice(a, b).toLowerCase()),
      );
      if (window.size > best) {
        best = window.size;
        start = s;
      }
    }
    start = Math.max(0, Math.min(start - Math.floor(width / 6), text.length - width));
  }
  const end = Math.min(text.length, start + width);
  const out = start > 0 ? [["…", false]] : [];
  let cursor = start;
  for (const [s, e] of spans) {
    if (s < start || e > end) continue;
    if (s > cursor) out.push([text.slice(cursor, s), false]);
    out.push([text.slice(s, e), true]);
    cursor = e;
  }
  if (cursor < end) out.push([text.slice(cursor, end), false]);
  if (end < text.length) out.push(["…", false]);
  return out;
}
