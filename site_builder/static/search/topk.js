// The best k documents by impact tiers (Fagin's threshold algorithm) and the estimated count:
// docs/search.md, "The best k by impact tiers".
import * as Q from "./query.js";
import { MAX_BLOCKS } from "./postings.js";

// Top-k when the rarest required word has more documents than this and at most TOPK_MAX results
// are asked for; otherwise every candidate is scored (the exact path).
const TOPK_FROM = 1024;
const TOPK_MAX = 100;
const TOPK_ROUNDS = 40;
const TOPK_BUDGET = 4; // the top-k reads at most 1/4 of the postings of the required words
const TOPK_POSTINGS = 12288; // and at most this many
// Copied sentences of more words are scored in full: their candidates share the sentence word for
// word, so their scores differ by a length byte and no bound separates them before all are read.
const TOPK_WORDS = 4;
// The top-k reads a word's slim list rather than this many of its blocks in a round.
const SLIM_BLOCKS = 8;
// Blocks of each other word read to check the sample of the estimated result count.
const SAMPLE_BLOCKS = 16;

// The most a posting of `part` not yet read can score after `depth` tiers: the best score of the
// frontier of what follows its last tier read (0: nothing follows).
function partBound(engine, term, part, depth) {
  const tiers = part.entry.t;
  if (!tiers || !depth) return tiers ? Infinity : 0;
  const frontier = tiers[Math.min(depth, tiers.length) - 1][2];
  let best = 0;
  for (const [w, l] of frontier) best = Math.max(best, engine.bm25(term.idf, w, l));
  return best;
}

// The term's floor after `depth` tiers: no posting not read scores more.
function floorAfter(engine, term, depth) {
  let floor = 0;
  for (const part of term.parts) floor = Math.max(floor, partBound(engine, term, part, depth));
  return floor;
}

// Tier i of every part that has it (and, with the first, the whole list of the parts without
// tiers): their postings are then known, with their length bytes.
async function readTier(engine, term) {
  const i = term.tiers.length;
  const lists = await Promise.all(term.parts.map((p) => {
    if (p.entry.t) return i < p.entry.t.length ? p.tier(i) : null;
    return i === 0 ? p.full() : null;
  }));
  if (term.tiers.length !== i) return; // read meanwhile
  const read = lists.filter(Boolean);
  term.tiers.push(read);
  for (const tier of read) {
    engine.noteLengths(tier);
    tier.docs.forEach((doc, k) => term.tierIndex.set(doc, [tier, k]));
  }
  term.floor = floorAfter(engine, term, term.tiers.length);
}

function tierPostings(term) {
  return term.tiers.reduce((n, lists) => n + lists.reduce((m, p) => m + p.docs.length, 0), 0);
}

// The term's score in `doc` when known (0: absent), else undefined.
function scoreIfKnown(engine, term, doc) {
  const i = term.partIndex(doc);
  if (i < 0) return 0;
  const found = term.find(doc);
  if (found && found[0].l[found[1]] < 0 && engine.docLength[doc] < 0) return undefined;
  if (found) return engine.postingScore(term, found[0], found[1]);
  if (term.slim || term.complete || term.blockRead(doc)) return 0;
  const part = term.parts[i];
  if (term.tiers.length && !part.entry.t) return 0; // a part without tiers was read whole
  return undefined;
}

// The best `k` documents (score rounded to 1e-9, then document number) of the required words
// and the optional ones, without scoring every candidate: Fagin's threshold algorithm on the
// impact tiers of each word, a candidate's missing words resolved from deeper tiers or from its
// block of the word's postings. Stops when no other document can come before the k-th best:
// a document seen but incomplete when its bound (its known scores plus the floors of the words it
// is missing) rounds lower, or equal with a higher number; an unseen one when the sum of the
// floors rounds lower. Returns {hits, count: Promise of {total, estimated}}, or null where this
// does not apply (the caller scores everything).
export async function topK(engine, parsed, k) {
  const required = await engine.lookup(Q.requiredTerms(parsed));
  const optional = await engine.lookup(Q.optionalTerms(parsed));
  if (!required.length || required.some((t) => !t.known)) return null;
  const rarest = [...required].sort((a, b) => a.n - b.n)[0];
  const force = engine.topkForce;
  if ((rarest.n <= TOPK_FROM && !force) || k > TOPK_MAX) return null;
  const live = optional.filter((t) => t.known);
  const scoring = [...required, ...live];
  if (scoring.length > TOPK_WORDS && !force) return null;
  // a required word whose best 1,024 postings may score as much as the rest (a table row that every
  // report has) leaves its documents in ties that only reading them all can order: score them all
  if (!force && required.some((t) => t.tierCount > 1 && floorAfter(engine, t, 2) >= floorAfter(engine, t, 1))) return null;
  const isRequired = new Set(required);
  // the postings the exact path would read at least (every required word's list: the rarest is
  // read whole and the others' blocks over its many documents are most of them); the top-k gives
  // up past a quarter of that, and never reads a tier that would take it past that budget
  const size = engine.manifest.blockPostings;
  const budget = force ? Infinity : Math.min(TOPK_POSTINGS, required.reduce((sum, t) => sum + t.n, 0) / TOPK_BUDGET);
  const readCost = () => scoring.reduce((sum, t) => sum + (t.full ? t.n
    : tierPostings(t) + size * (t.blocks.size + t.topSlimCost)), 0);
  // the blocks' starts of the words cut in blocks are read meanwhile (most queries need some
  // blocks; it saves a round trip)
  for (const t of scoring) if (t.blockCount && !t.starts) t.readStarts().catch(() => {});
  await Promise.all(scoring.map((t) => (t.tiers.length ? null : readTier(engine, t))));
  for (let round = 0; round < TOPK_ROUNDS && readCost() <= budget; round++) {
    const seen = new Set();
    for (const t of scoring) {
      if (t.full) for (const d of t.full.docs) seen.add(d);
      for (const d of t.tierIndex.keys()) seen.add(d);
    }
    const complete = [];
    const incomplete = [];
    for (const doc of seen) {
      let score = 0;
      let bound = 0;
      let missing = null;
      let dead = false;
      for (const t of scoring) {
        const c = scoreIfKnown(engine, t, doc);
        if (c === undefined) {
          (missing ||= []).push(t);
          bound += t.floor;
        } else if (c === 0 && isRequired.has(t)) {
          dead = true;
          break;
        } else {
          score += c;
          bound += c;
        }
      }
      if (dead) continue;
      if (missing) incomplete.push({ doc, bound: Math.floor(bound * 1e9 + 0.5), missing });
      else complete.push({ doc, score, key: Math.floor(score * 1e9 + 0.5) });
    }
    complete.sort((a, b) => b.key - a.key || a.doc - b.doc);
    // an unseen document holds every required word, so none if one of them is wholly known
    const unseen = required.some((t) => t.complete) ? -Infinity
      : Math.floor(scoring.reduce((sum, t) => sum + (t.complete ? 0 : t.floor), 0) * 1e9 + 0.5);
    let unseenBlocks;
    let blocking;
    if (complete.length >= k) {
      const kth = complete[k - 1];
      unseenBlocks = unseen >= kth.key;
      blocking = incomplete.filter((c) => c.bound > kth.key || (c.bound === kth.key && c.doc < kth.doc));
    } else {
      unseenBlocks = unseen > -Infinity;
      blocking = incomplete;
    }
    if (!unseenBlocks && !blocking.length) {
      const hits = complete.slice(0, k).map(({ doc, score }) => ({ doc, score }));
      if (complete.length < k) return { hits, count: Promise.resolve({ total: complete.length, estimated: false }) };
      // the count is estimated while the caller goes on with the hits (rerank_by_sequence, their documents)
      const count = estimateTotal(engine, required, rarest)
        .then((c) => ({ total: Math.max(c.total, complete.length), estimated: c.estimated }));
      count.catch(() => {});
      return { hits, count };
    }
    if (unseenBlocks) {
      // lower the floors: the next tier of the words whose floor falls most per posting read
      const room = budget - readCost();
      const options = scoring.filter((t) => t.tiers.length < t.tierCount && t.tierSize(t.tiers.length) <= room).map((t) => {
        const next = floorAfter(engine, t, t.tiers.length + 1);
        return { t, gain: (t.floor - next) / t.tierSize(t.tiers.length) };
      });
      if (!options.length) {
        if (rarest.n > room) return null;
        await engine.fetchPostings(rarest);
        continue;
      }
      const best = Math.max(...options.map((o) => o.gain));
      await Promise.all(options.filter((o) => o.gain >= best / 2).map((o) => readTier(engine, o.t)));
      continue;
    }
    // resolve the candidates that could still come first, the most promising first: their
    // blocks (at most MAX_BLOCKS of a word a round), or a deeper tier when that reads fewer
    blocking.sort((a, b) => b.bound - a.bound || a.doc - b.doc);
    let affordable = Math.floor((budget - readCost()) / size);
    if (affordable < 1) return null;
    const unresolved = new Set(blocking.flatMap((c) => c.missing));
    await Promise.all([...unresolved].map((t) => t.readStarts()));
    const wanted = new Map(); // term → Map block → [documents]
    for (const c of blocking) {
      for (const t of c.missing) {
        const blocks = wanted.get(t) || wanted.set(t, new Map()).get(t);
        const b = t.blockOf(c.doc);
        if (blocks.has(b)) blocks.get(b).push(c.doc);
        else if (blocks.size < MAX_BLOCKS && affordable > 0) {
          blocks.set(b, [c.doc]);
          affordable--;
        }
      }
    }
    await Promise.all([...wanted].filter(([, blocks]) => blocks.size).map(([t, blocks]) => {
      if (t.tiers.length < t.tierCount && t.tierSize(t.tiers.length) <= blocks.size * size) return readTier(engine, t);
      if (t.hasSlim && blocks.size >= SLIM_BLOCKS) {
        // many blocks: the slim list in one request instead, counted as the blocks it replaces
        t.topSlimCost += blocks.size;
        return t.readSlim();
      }
      return t.readBlocks([...blocks.keys()]);
    }));
  }
  return null;
}

// The number of documents holding every required word, estimated from a sample: the rarest
// word's first block (or all of it), checked against the others' blocks over the same documents.
// {total, estimated}: exact when the sample is all of the rarest word's documents.
async function estimateTotal(engine, required, rarest) {
  const others = required.filter((t) => t !== rarest);
  if (!others.length && !engine.deleted) return { total: rarest.n, estimated: false };
  const cut = others.filter((t) => !t.full && !t.slim && t.blockCount > SAMPLE_BLOCKS);
  const starts = Promise.all(cut.map((t) => t.readStarts()));
  starts.catch(() => {});
  let sample;
  if (rarest.full) sample = Array.from(rarest.full.docs);
  else {
    if (!rarest.segments.has(0)) await rarest.readSegments([0]);
    sample = Array.from(rarest.segments.get(0).docs);
  }
  let end = Infinity;
  await starts;
  for (const t of cut) end = Math.min(end, t.starts[SAMPLE_BLOCKS]);
  const whole = Boolean(rarest.full) && end === Infinity;
  sample = sample.filter((d) => d < end);
  if (!sample.length) {
    return { total: Math.round(others.reduce((n, t) => (n * t.n) / engine.manifest.docCount, rarest.n)), estimated: true };
  }
  await Promise.all(others.map((t) => engine.fetchPostings(t, sample)));
  const hits = sample.filter((d) => others.every((t) => t.find(d))).length;
  return { total: whole ? hits : Math.round((hits / sample.length) * rarest.n), estimated: !whole };
}
