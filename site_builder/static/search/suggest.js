// "Did you mean": ArchiveSearcher.suggest and close_words of archive/index/search.py, on the
// lexicon blobs of the query files (a blob per word length).
import * as Q from "./query.js";

// Levenshtein distance with adjacent transpositions (optimal string alignment), capped above `limit`.
export function editDistance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      rows[i][j] = v;
    }
  }
  return rows[a.length][b.length];
}

async function lexicon(engine, field, length) {
  const at = engine.manifest.lexicon[`${field}-${length}`];
  return at === undefined ? [] : (await engine.queryJson(at)) || [];
}

// archive.index.search.close_words: indexed words near `word`, most frequent first.
async function closeWords(engine, word) {
  const chars = Array.from(word);
  const maxdist = chars.length <= 4 ? 1 : 2;
  const ascii = /^[\x00-\x7f]*$/.test(word);
  const out = [];
  for (const field of engine.manifest.fields) {
    const options = [];
    for (let n = Math.max(1, chars.length - maxdist); n <= chars.length + maxdist; n++) {
      for (const [term, freq] of await lexicon(engine, field, n)) {
        if (term !== word && editDistance(chars, Array.from(term), maxdist) <= maxdist) options.push([term, freq]);
      }
    }
    options.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const top = options.slice(0, 5).map((o) => o[0]);
    const same = top.filter((o) => Array.from(o).length === chars.length);
    out.push(...(same.length || !ascii ? same : top));
  }
  return [...new Set(out)].slice(0, 5);
}

// ArchiveSearcher.suggest: a corrected query that finds something, or null.
export async function suggest(engine, text) {
  await engine.segmenter.prepare(text);
  const lowered = text.toLowerCase();
  const plain = Q.parse(text, engine.segmenter, engine.manifest.rules);
  for (const clause of Q.include(plain)) {
    const tokens = clause.tokens;
    const candidates = [];
    for (let i = 0; i + 1 < tokens.length; i++) {
      const joined = tokens[i] + tokens[i + 1];
      const n = Array.from(joined).length;
      if (n >= 2 && n <= 6) candidates.push(joined);
    }
    candidates.push(...tokens.filter((t) => Array.from(t).length >= 2));
    const unique = [...new Set(candidates)];
    await engine.lookup(unique);
    for (const word of unique) {
      if (engine.known(word) || !lowered.includes(word)) continue;
      const start = lowered.indexOf(word);
      for (const better of await closeWords(engine, word)) {
        const corrected = text.slice(0, start) + better + text.slice(start + word.length);
        const parsed = await engine.parse(corrected);
        if (Q.include(parsed).length) {
          const { docs } = await engine.candidates(parsed, null);
          if (docs.length) return corrected;
        }
      }
    }
  }
  return null;
}
