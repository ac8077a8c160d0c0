// The query language of archive/index/query.py (the steps of its query plan, by the same names), for the browser.

const CLAUSE = /(-?)"([^"]*)"?|(-?)(\S+)/gu;

// Python's str.split() whitespace (JavaScript's \s differs on a few characters).
export const PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SPACES = new RegExp(`[${PY_SPACE}]+`, "gu");

// Lowercase, without whitespace: how phrases are compared (kept for the literal rules' wording).
export function normalise(text) {
  return text.toLowerCase().replace(SPACES, "");
}

function isAlnum(ch) {
  return /[\p{L}\p{N}]/u.test(ch);
}

// Segmenter.cut of archive/index/analysis.py: (token, start offset), lowercased, punctuation dropped.
export function cutTokens(segmenter, text) {
  const out = [];
  let offset = 0;
  for (const word of segmenter.cut(text)) {
    const start = offset;
    offset += Array.from(word).length;
    if (Array.from(word).some(isAlnum)) out.push([word.toLowerCase(), start]);
  }
  return out;
}

// split_clauses: each clause's text (without quotes or minus), whether it is quoted, whether it excludes.
export function splitClauses(text) {
  const source = text.replaceAll("“", '"').replaceAll("”", '"');
  return [...source.matchAll(CLAUSE)].map((m) => {
    const quoted = m[2] !== undefined;
    return { text: (quoted ? m[2] : m[4]) || "", quoted, negated: Boolean(m[1] || m[3]) };
  });
}

// split_clauses and segment_clauses: the query's clauses, each segmented (a clause without any word is
// left out). `segmenter` must have been prepared with the query text.
export function segmentClauses(text, segmenter) {
  const clauses = [];
  for (const { text: body, quoted, negated } of splitClauses(text)) {
    const cut = cutTokens(segmenter, body);
    if (cut.length) {
      clauses.push({
        text: body,
        tokens: cut.map((c) => c[0]),
        offsets: cut.map((c) => c[1]),
        quoted,
        negated,
        edges: new Set(),
        cut: new Set(),
        required: [],
        optional: [],
        expansions: [],
        expanded: new Set(),
        whole: new Set(),
        spans: [0, 0],
        common: [], // drop_common_words: words left out as too common
        neighbours: [[], []], // rank_edge_neighbours: the words a cut edge may be, next to the sequence
      });
    }
  }
  return { clauses };
}

// split_clauses, segment_clauses and the cut-edge steps. `segmenter` must have been prepared with the query text.
export function parse(text, segmenter, rules) {
  const parsed = segmentClauses(text, segmenter);
  splitCutEnding(parsed, segmenter, rules);
  markCutEdges(parsed, segmenter, rules);
  return parsed;
}

export const include = (parsed) => parsed.clauses.filter((c) => !c.negated);
export const exclude = (parsed) => parsed.clauses.filter((c) => c.negated);

// jieba's FREQ.get(word) == 0: a prefix of a dictionary word, or a word added with frequency 0.
function isZeroFreq(segmenter, word) {
  return segmenter.known.has(word) && !segmenter.weight.has(word);
}

function rstripChars(text, chars) {
  const arr = Array.from(text);
  while (arr.length && chars.includes(arr[arr.length - 1])) arr.pop();
  return arr;
}

function rstripSpace(text) {
  return text.replace(new RegExp(`[${PY_SPACE}]+$`, "u"), "");
}

// split_cut_ending: where the clause's ending that is only the beginning of a dictionary word starts, or null.
function cutEndingStart(clause, segmenter, rules) {
  const ending = rstripChars(rstripSpace(clause.text), rules.trailing);
  for (let size = Math.min(rules.maxCutWord, ending.length); size > 1; size--) {
    if (isZeroFreq(segmenter, ending.slice(ending.length - size).join(""))) return ending.length - size;
  }
  return null;
}

// split_cut_ending: in a query of three or more tokens, the ending that is only the beginning of a word
// is segmented apart from the text before it (认真贯彻落: 认真 / 贯彻 / 落).
export function splitCutEnding(parsed, segmenter, rules) {
  const clauses = include(parsed);
  if (clauses.reduce((n, c) => n + c.tokens.length, 0) < rules.optionalEdgesFrom) return;
  const last = clauses[clauses.length - 1];
  const start = cutEndingStart(last, segmenter, rules);
  if (start === null) return;
  const inside = last.tokens.some((t, i) => last.offsets[i] < start && start < last.offsets[i] + Array.from(t).length);
  if (!inside) return;
  const chars = Array.from(last.text);
  const cut = [
    ...cutTokens(segmenter, chars.slice(0, start).join("")),
    ...cutTokens(segmenter, chars.slice(start).join("")).map(([t, o]) => [t, start + o]),
  ];
  last.tokens = cut.map((c) => c[0]);
  last.offsets = cut.map((c) => c[1]);
}

const tokenCount = (clauses) => clauses.reduce((n, c) => n + c.tokens.length, 0);
const isAsciiWord = (token) => /^[a-z0-9]+$/.test(token);

// loosen_query_edges: per included clause, the positions of the query's first and last token where
// copying may have cut them (one character, ASCII letters and digits, or any in a long query).
export function loosenQueryEdges(clauses, rules) {
  const edges = clauses.map(() => new Set());
  const count = tokenCount(clauses);
  if (count < rules.optionalEdgesFrom) return edges;
  const long = count >= rules.longQuery;
  const cuttable = (token) => Array.from(token).length === 1 || isAsciiWord(token) || long;
  const first = clauses[0];
  const last = clauses[clauses.length - 1];
  if (cuttable(first.tokens[0])) edges[0].add(0);
  if (cuttable(last.tokens[last.tokens.length - 1])) edges[clauses.length - 1].add(last.tokens.length - 1);
  return edges;
}

// split_cut_ending: per included clause, the positions of the tokens overlapping the query's ending
// that is only the beginning of a dictionary word.
export function cutEndingEdges(clauses, segmenter, rules) {
  const edges = clauses.map(() => new Set());
  if (tokenCount(clauses) < rules.optionalEdgesFrom) return edges;
  const last = clauses[clauses.length - 1];
  const start = cutEndingStart(last, segmenter, rules);
  if (start !== null) {
    last.offsets.forEach((offset, i) => {
      if (offset + Array.from(last.tokens[i]).length > start) edges[clauses.length - 1].add(i);
    });
  }
  return edges;
}

// loosen_single_characters: per included clause, in a long query, the positions of its tokens of one character.
export function loosenSingleCharacters(clauses, rules) {
  const edges = clauses.map(() => new Set());
  if (tokenCount(clauses) < rules.longQuery) return edges;
  clauses.forEach((c, k) => c.tokens.forEach((t, i) => { if (Array.from(t).length === 1) edges[k].add(i); }));
  return edges;
}

// keep_one_required: each clause's edges (and of them its cut pieces and whole first word) from the
// first choice of the steps' edges that leaves at least one token required.
export function keepOneRequired(clauses, queryEdges, cutEnding, singleCharacters) {
  const count = tokenCount(clauses);
  const first = clauses[0];
  const choices = [[queryEdges, cutEnding, singleCharacters], [queryEdges, singleCharacters], [queryEdges, cutEnding], [queryEdges]];
  for (const layers of choices) {
    const edges = clauses.map((_, k) => new Set(layers.flatMap((l) => [...l[k]])));
    if (edges.reduce((n, e) => n + e.size, 0) < count) {
      clauses.forEach((c, k) => {
        c.edges = edges[k];
        c.cut = new Set(layers.filter((l) => l !== singleCharacters).flatMap((l) => [...l[k]]));
        // keep_whole_edges: the first token, an edge of loosen_query_edges only as a word of a long query
        const t0 = c.tokens[0];
        c.whole = new Set(c === first && !c.quoted && queryEdges[k].has(0) && !cutEnding[k].has(0) && Array.from(t0).length > 1
          && !isAsciiWord(t0) ? [0] : []);
      });
      return;
    }
  }
}

// The cut-edge steps: mark the tokens that may be pieces of words cut by copying (they become optional).
export function markCutEdges(parsed, segmenter, rules) {
  const clauses = include(parsed);
  if (tokenCount(clauses) < rules.optionalEdgesFrom) return;
  keepOneRequired(clauses, loosenQueryEdges(clauses, rules), cutEndingEdges(clauses, segmenter, rules),
    loosenSingleCharacters(clauses, rules));
}

// split_unknown_tokens: the longest indexed words `token` is made of, left to right.
export function splitUnknown(token, known) {
  if (known(token)) return [token];
  const chars = Array.from(token);
  const pieces = [];
  let i = 0;
  while (i < chars.length) {
    let found = false;
    for (let j = chars.length; j > i; j--) {
      const piece = chars.slice(i, j).join("");
      if (known(piece)) {
        pieces.push(piece);
        i = j;
        found = true;
        break;
      }
    }
    if (!found) i += 1;
  }
  return pieces.length ? pieces : [token];
}

// Every string that splitUnknown may ask `known` about (to fetch their dictionary shards first).
export function lookups(token) {
  const chars = Array.from(token);
  const out = [];
  for (let i = 0; i < chars.length; i++) {
    for (let j = i + 1; j <= chars.length; j++) out.push(chars.slice(i, j).join(""));
  }
  return out;
}

// split_unknown_tokens and the cut-edge steps: each clause's required and optional tokens; with `affixes` (affixes.js, its
// shards fetched for this query), the expansions of the cut edges (expand_cut_edges).
export function resolve(parsed, known, affixes = null) {
  if (affixes) {
    expandCutEdges(parsed, affixes);
    keepWholeEdges(parsed, known);
  }
  for (const c of parsed.clauses) {
    c.required = [];
    c.optional = [];
    c.sequence = [];
    // expand_cut_edges: an unknown cut piece is replaced by the words it may be part of
    const pieces = c.tokens.map((t, i) => (c.expanded.has(i) && !known(t) ? [] : splitUnknown(t, known)));
    const [head, tail] = c.spans;
    const length = Array.from(c.text).length;
    const outside = new Set(c.tokens.map((_, i) => i));
    c.tokens.forEach((t, i) => {
      const chars = Array.from(t);
      const offset = c.offsets[i];
      const end = offset + chars.length;
      if (head && offset < head) { // inside the word the start was cut from
        outside.delete(i);
        if (end > head && !c.edges.has(i)) {
          pieces[i] = splitUnknown(chars.slice(head - offset).join(""), known);
          outside.add(i);
        }
      }
      if (tail && end > length - tail) {
        outside.delete(i);
        if (offset < length - tail && !c.edges.has(i)) {
          pieces[i] = splitUnknown(chars.slice(0, length - tail - offset).join(""), known);
          outside.add(i);
        }
      }
    });
    const kept = c.tokens.map((_, i) => i).filter((i) => !c.cut.has(i) && outside.has(i));
    const lo = kept.length ? kept[0] : 0;
    const hi = kept.length ? kept[kept.length - 1] : -1;
    c.tokens.forEach((t, i) => {
      (c.edges.has(i) ? c.optional : c.required).push(...pieces[i]);
      if (i >= lo && i <= hi) c.sequence.push(...pieces[i]);
    });
    for (const words of c.expansions) {
      for (const w of words) if (!c.optional.includes(w)) c.optional.push(w);
    }
    c.neighbours = edgeNeighbours(c, pieces, lo, hi);
  }
  return parsed;
}

// rank_edge_neighbours: the words that may stand just before (after) the clause's sequence in the
// text it was copied from: the token before (after) it and the words its cut edge may be part of.
function edgeNeighbours(c, pieces, lo, hi) {
  if (!c.sequence.length) return [[], []];
  const last = c.tokens.length - 1;
  let next = 0;
  const before = c.expanded.has(0) ? c.expansions[next++] : [];
  const after = c.expanded.has(last) ? c.expansions[next] || [] : [];
  const left = [...before, ...(lo > 0 ? pieces[lo - 1].slice(-1) : [])];
  const right = [...after, ...(hi < last ? pieces[hi + 1].slice(0, 1) : [])];
  return [[...new Set(left)], [...new Set(right)]];
}

// rank_edge_neighbours (archive.index.query.drop_common_neighbours): a word that more than
// `commonMin` documents hold is no neighbour of a sequence end that as many hold.
export function dropCommonNeighbours(parsed, documents, rules) {
  for (const c of include(parsed)) {
    if (!c.sequence.length) continue;
    const ends = [documents(c.sequence[0]), documents(c.sequence[c.sequence.length - 1])];
    c.neighbours = c.neighbours.map((words, side) => words.filter((w) => Math.min(documents(w), ends[side]) <= rules.commonMin));
  }
  return parsed;
}

// rank_edge_neighbours: per cut edge of a clause, the pairs of a word it may be with the sequence's
// first (last) word.
export function neighbourPairs(c) {
  const [left, right] = c.neighbours;
  const groups = [];
  if (left.length) groups.push(left.map((w) => `${w} ${c.sequence[0]}`));
  if (right.length) groups.push(right.map((w) => `${c.sequence[c.sequence.length - 1]} ${w}`));
  return groups;
}

// drop_common_words (archive.index.query.drop_common): in a query of three or more tokens, the words of its
// clauses not quoted that more than `commonShare` of the `total` documents and more than
// `commonMin` documents hold (`documents(word)`) are neither required nor scored, except in a
// clause that would lose all its required words, and unless the query would keep no word at all.
export function dropCommon(parsed, documents, total, rules) {
  const inc = include(parsed);
  if (inc.reduce((n, c) => n + c.tokens.length, 0) < rules.optionalEdgesFrom) return parsed;
  const floor = Math.max(total * rules.commonShare, rules.commonMin);
  const changes = new Map();
  for (const c of inc) {
    if (c.quoted) continue;
    const common = [...new Set([...c.required, ...c.optional])].filter((t) => documents(t) > floor);
    const required = c.required.filter((t) => !common.includes(t));
    if (common.length && (required.length || !c.required.length)) {
      changes.set(c, { common, required, optional: c.optional.filter((t) => !common.includes(t)) });
    }
  }
  const keeps = inc.some((c) => {
    const next = changes.get(c) || c;
    return next.required.length || next.optional.length;
  });
  if (!keeps) return parsed;
  for (const [c, { common, required, optional }] of changes) {
    c.common = common;
    c.required = required;
    c.optional = optional;
    c.expansions = c.expansions.map((words) => words.filter((w) => !common.includes(w))).filter((words) => words.length);
  }
  return parsed;
}

// expand_cut_edges: the strings whose words are looked up for the cut edges, longest first:
// {head: [...] (the words ending with them), tail: [...] (the words beginning with them)}.
export function edgeAffixes(parsed, maxLength) {
  const clauses = include(parsed);
  const out = { head: [], tail: [], first: null, last: null };
  if (!clauses.length) return out;
  const first = clauses[0];
  const last = clauses[clauses.length - 1];
  // a token that punctuation separates from the query's edge was not cut
  if (first.cut.has(0) && first.offsets[0] === 0) {
    const chars = Array.from(first.text);
    const size = Array.from(first.tokens[0]).length;
    const head = chars.slice(first.offsets[0], first.offsets[0] + Math.max(size, maxLength));
    for (let k = head.length; k >= size; k--) out.head.push(head.slice(0, k).join("").toLowerCase());
    out.first = first;
  }
  const lastAt = last.tokens.length - 1;
  const lastEnd = last.offsets[lastAt] + Array.from(last.tokens[lastAt]).length;
  if (last.cut.has(lastAt) && lastEnd === Array.from(last.text).length) {
    const chars = Array.from(last.text);
    const size = Array.from(last.tokens[lastAt]).length;
    const end = lastEnd;
    const tail = chars.slice(Math.max(0, end - Math.max(size, maxLength)), end);
    for (let k = tail.length; k >= size; k--) out.tail.push(tail.slice(tail.length - k).join("").toLowerCase());
    out.last = last;
  }
  return out;
}

// The words of the first of `texts` that `lookup` finds any for (at most `limit`), and its length.
function edgeWords(texts, lookup, limit) {
  for (const text of texts) {
    const words = [...new Set(lookup(text))].slice(0, limit);
    if (words.length) return [words, Array.from(text).length];
  }
  return [[], 0];
}

// expand_cut_edges: the indexed words that a cut first (last) token may be the end (beginning) of.
export function expandCutEdges(parsed, affixes) {
  const edges = edgeAffixes(parsed, affixes.maxLength);
  if (edges.first) {
    const [words, span] = edgeWords(edges.head, (s) => affixes.endingWith(s), affixes.words);
    if (words.length) {
      edges.first.expansions.push(words);
      edges.first.expanded.add(0);
      if (!edges.first.quoted) edges.first.spans = [span, edges.first.spans[1]]; // a typed phrase keeps its sequence
    }
  }
  if (edges.last) {
    const [words, span] = edgeWords(edges.tail, (s) => affixes.beginningWith(s), affixes.words);
    if (words.length) {
      edges.last.expansions.push(words);
      edges.last.expanded.add(edges.last.tokens.length - 1);
      if (!edges.last.quoted) edges.last.spans = [edges.last.spans[0], span];
    }
  }
}

// keep_whole_edges: the first token, an indexed word of two or more characters (not ASCII) that is an
// edge of loosen_query_edges only because the query is long, is required when expand_cut_edges found no word it may be
// a piece of (or punctuation separates it from the query's start).
export function keepWholeEdges(parsed, known) {
  for (const c of include(parsed)) {
    for (const i of [...c.whole]) {
      if (!c.expanded.has(i) && known(c.tokens[i])) {
        c.edges.delete(i);
        c.cut.delete(i);
      }
    }
  }
}

// rank_optional_groups: each optional token alone, except the expansions of a cut edge (expand_cut_edges),
// which count together (a result has the group when it has any of them).
export function optionalGroups(parsed) {
  const groups = [];
  const seen = new Set();
  const add = (group) => {
    const key = JSON.stringify(group);
    if (!seen.has(key)) {
      seen.add(key);
      groups.push(group);
    }
  };
  for (const c of include(parsed)) {
    const expanded = new Set(c.expansions.flat());
    for (const t of c.optional) if (!expanded.has(t)) add([t]);
    for (const words of c.expansions) add(words);
  }
  return groups;
}

export function terms(parsed) {
  const inc = include(parsed);
  const all = inc.flatMap((c) => [...c.required, ...c.optional, ...c.common]);
  return all.length ? all : inc.flatMap((c) => c.tokens);
}

// check_phrases: the quoted clauses of two or more tokens.
export function phraseClauses(parsed) {
  return include(parsed).filter((c) => c.quoted && c.tokens.length > 1);
}

// rerank_by_sequence: the clauses of three or more tokens.
export function literalClauses(parsed, rules) {
  return include(parsed).filter((c) => c.tokens.length >= rules.optionalEdgesFrom);
}

// check_phrases and rerank_by_sequence: whether every pair "a b" of neighbouring tokens of the clause's
// sequence `occurs(pair)` in the document.
export function sequenceOccurs(c, occurs) {
  for (let i = 0; i + 1 < c.sequence.length; i++) if (!occurs(`${c.sequence[i]} ${c.sequence[i + 1]}`)) return false;
  return true;
}

// check_phrases: whether every phrase of the query occurs in the document (`occurs(pair)`).
export function matchesPhrases(parsed, occurs) {
  return phraseClauses(parsed).every((c) => sequenceOccurs(c, occurs));
}

// exclude_clauses: per excluding clause, the words (each once) a document must all hold to be removed.
export function exclusionGroups(parsed) {
  return exclude(parsed).map((c) => [...new Set(c.required)]);
}

// The keys of rerank_by_sequence (how many long clauses occur as adjacent words), rank_edge_neighbours
// (how many of their cut edges stand next to their sequences) and rank_optional_groups (how many
// optional groups it holds) of a document: `occurs(pair)` for the sequences' pairs, `holds(text)`
// for the edges' pairs and the optional words. The larger first.
export function sequenceRanks(parsed, rules, occurs, holds) {
  const literal = literalClauses(parsed, rules);
  const held = (groups) => groups.filter((group) => group.some(holds)).length;
  return [
    literal.filter((c) => sequenceOccurs(c, occurs)).length,
    held(literal.flatMap((c) => neighbourPairs(c))),
    held(optionalGroups(parsed)),
  ];
}

export function requiredTerms(parsed) {
  return [...new Set(include(parsed).flatMap((c) => c.required))];
}

export function optionalTerms(parsed) {
  const req = new Set(requiredTerms(parsed));
  return [...new Set(include(parsed).flatMap((c) => c.optional))].filter((t) => !req.has(t));
}
