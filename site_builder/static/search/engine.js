// The search engine of the static site: the query plan of archive/index/query.py and Whoosh's
// BM25F, on the files written by site_builder/search/export.py (format: docs/search-format.md).
import { Segmenter } from "./segment.js";
import * as Q from "./query.js";
import { Affixes } from "./affixes.js";
import { BlobArray, Files, inflate } from "./packs.js";
import { MAX_BLOCKS, Part, Postings, Term } from "./postings.js";
import { Unit, deletedDocuments } from "./units.js";
import { filterPredicate } from "./filters.js";
import { topK } from "./topk.js";
import { suggest } from "./suggest.js";

export { fnv1a } from "./packs.js";
export { editDistance } from "./suggest.js";

// A pair list is read whole rather than by blocks, without waiting for the candidates, when these
// would fall in more than this share of its blocks.
const WHOLE_SHARE = 0.25;
// Candidates for each block of a word past which its slim list is read without waiting for the
// rarer words to narrow them (copied sentences: thousands of candidates, every word's slim list).
const SLIM_AHEAD = 8;

// The words that expand_cut_edges may add for the cut edges of `parsed` (query.js expandCutEdges).
function edgeWords(parsed, affixes) {
  const edges = Q.edgeAffixes(parsed, affixes.maxLength);
  const pick = (texts, find) => {
    for (const text of texts) {
      const words = [...new Set(find(text))].slice(0, affixes.words);
      if (words.length) return words;
    }
    return [];
  };
  return [
    ...(edges.first ? pick(edges.head, (t) => affixes.endingWith(t)) : []),
    ...(edges.last ? pick(edges.tail, (t) => affixes.beginningWith(t)) : []),
  ];
}

// The pairs "a b" of adjacent tokens of the clauses' sequences (check_phrases and rerank_by_sequence); with `neighbours`,
// also those of their cut edges with the sequences' ends (rank_edge_neighbours).
function pairKeys(clauses, neighbours = false) {
  const keys = new Set();
  for (const c of clauses) {
    for (let i = 0; i + 1 < c.sequence.length; i++) keys.add(`${c.sequence[i]} ${c.sequence[i + 1]}`);
    if (neighbours) for (const key of Q.neighbourPairs(c).flat()) keys.add(key);
  }
  return keys;
}

// The best `depth` of `docs` by score (rounded to 1e-9), then document number, as hits
// {doc, score}: the key of the depth-th best found in a sorted copy, hits made for those reaching it.
function bestHits(docs, scores, depth) {
  const keys = Float64Array.from(scores, (score) => Math.floor(score * 1e9 + 0.5));
  const least = docs.length > depth ? Float64Array.from(keys).sort()[docs.length - depth] : -Infinity;
  const hits = [];
  for (let i = 0; i < docs.length; i++) if (keys[i] >= least) hits.push({ doc: docs[i], score: scores[i], key: keys[i] });
  hits.sort((a, b) => b.key - a.key || a.doc - b.doc);
  return hits.slice(0, depth);
}

export class SearchEngine {
  // base: the URL of the search/ folder; fetcher(url, start, end) → Promise<{bytes, whole}> reads a
  // byte range (end null: the whole file) — packs.js reads with fetch and HTTP Range by default.
  constructor(base, fetcher) {
    this.files = new Files(base, fetcher);
    this.terms = new Map();
    this.manifest = null;
    this.exact = false; // true: every candidate is scored and counted (no top-k, no estimate)
    this.docLength = null; // document → its length byte (-1: not known yet), from a list that has it
    this.topkForce = false; // true (tests): top-k wherever it applies, without the cost heuristics
  }

  async init() {
    if (!this.manifest) {
      const manifest = await this.files.json("manifest.json");
      if (manifest.empty) {
        this.manifest = manifest;
        return manifest;
      }
      const deleted = deletedDocuments(manifest);
      this.units = manifest.units.map((u) => new Unit(manifest, u, this.files, deleted));
      this.deleted = deleted;
      this.queryBlobs = new BlobArray(this.files, manifest.blobs);
      this.docLength = new Int16Array(manifest.docCount).fill(-1);
      const dict = manifest.dict;
      this.segmenter = new Segmenter(dict, async (n) => {
        const blob = await this.queryBlobs.blob(dict.first + n);
        return blob.length ? new TextDecoder().decode(await inflate(blob)) : "";
      });
      this.manifest = manifest;
      // what every query reads, read while the reader types
      this.queryBlobs.located().catch(() => {});
      for (const unit of this.units) unit.warm();
    }
    return this.manifest;
  }

  // A deflated JSON blob of the query files (affix shards, lexicon).
  async queryJson(i) {
    const blob = await this.queryBlobs.blob(i);
    return blob.length ? JSON.parse(new TextDecoder().decode(await inflate(blob))) : null;
  }

  // expand_cut_edges: the indexed words by their suffixes and prefixes (affixes.js), read by shards.
  affixLookup() {
    const entry = this.manifest.affixes;
    return this.affixes ||= new Affixes(entry, (kind, n) => this.queryJson(entry.first + (kind === "sfx" ? n : entry.sfx + n)));
  }

  // The terms of `texts`, looked up in every unit (fetching the shards they are in); a pair's
  // words with it.
  async lookup(texts) {
    const wanted = new Set(texts);
    for (const t of texts) if (t.includes(" ")) for (const w of t.split(" ")) wanted.add(w);
    const missing = [...wanted].filter((t) => !this.terms.has(t));
    if (missing.length) {
      const shards = await Promise.all(this.units.map((unit) => Promise.all(missing.map((t) => unit.shard(t)))));
      for (const [i, t] of missing.entries()) {
        if (this.terms.has(t)) continue;
        const parts = [];
        this.units.forEach((unit, u) => {
          const entry = shards[u][i][t];
          if (entry) parts.push(new Part(unit, entry, t.includes(" ")));
        });
        this.terms.set(t, new Term(t, parts, this.manifest));
      }
      for (const t of missing) {
        const term = this.terms.get(t);
        if (term.pair && !term.words) term.words = t.split(" ").map((w) => this.terms.get(w));
      }
    }
    return texts.map((t) => this.terms.get(t));
  }

  known(text) {
    const term = this.terms.get(text);
    return Boolean(term && term.known);
  }

  // `resolved(parsed)`, if given, is called as soon as the query is resolved (split_unknown_tokens, the cut-edge steps and drop_common_words: the
  // words of every entry it needs are then read, and the pairs of check_phrases and rerank_by_sequence known).
  async parse(text, resolved = null) {
    await this.init();
    await this.segmenter.prepare(text);
    const parsed = Q.parse(text, this.segmenter, this.manifest.rules);
    const tokens = parsed.clauses.flatMap((c) => c.tokens);
    // expand_cut_edges: the words the cut edges may be part of (affixes.js), their shards and dictionary
    // entries read together with the tokens' entries
    const affixes = this.affixLookup();
    const prepared = affixes.prepare(parsed);
    const edges = prepared.then(() => this.lookup(edgeWords(parsed, affixes)));
    edges.catch(() => {});
    await this.lookup(tokens);
    const unknown = tokens.filter((t) => !this.known(t));
    if (unknown.length) await this.lookup(unknown.flatMap(Q.lookups));
    await prepared;
    Q.resolve(parsed, (t) => this.known(t), affixes);
    await edges;
    // rerank_by_sequence and drop_common_words: the words' document counts (of the words looked up above)
    const words = await this.lookup(parsed.clauses.flatMap((c) => [...c.required, ...c.optional, ...c.neighbours.flat(), ...c.sequence]));
    const documents = new Map(words.map((t) => [t.text, t.df]));
    const count = (t) => documents.get(t) || 0;
    Q.dropCommonNeighbours(parsed, count, this.manifest.rules);
    Q.dropCommon(parsed, count, this.manifest.docCount, this.manifest.rules);
    if (resolved) resolved(parsed);
    return parsed;
  }

  // Whether the sorted `docs` surely fall in too many of `term`'s blocks to read them one by one,
  // judged without its blocks' starts (blocks of equal spans): skips reading the starts.
  manyBlocks(term, docs) {
    if (term.starts) return false;
    const count = term.blockCount;
    let spans = 0;
    let last = -1;
    for (const d of docs) {
      const span = Math.floor((d * count) / this.manifest.docCount);
      if (span !== last) {
        spans++;
        last = span;
      }
    }
    return spans > 2 * MAX_BLOCKS || spans > 0.75 * count;
  }

  // Fetch the postings of `term` for every document (docs null) or for the given sorted documents,
  // or (ranges) for the documents in those sorted [start, end) runs.
  async fetchPostings(term, docs, ranges = null) {
    if (term.exceptions) await Promise.all(term.words.map((w) => this.fetchPostings(w, docs)));
    if (term.pending) await term.pending;
    if (!term.parts.length || term.full || (docs && term.slim)) return;
    if (term.inline) {
      await term.readFull();
      return;
    }
    const count = term.blockCount;
    if (ranges && !docs && count) {
      // the word the candidates come from, with a filter: the full segments over the allowed documents
      const starts = await term.readStarts();
      const wanted = [];
      starts.forEach((first, k) => {
        const end = k + 1 < count ? starts[k + 1] : Infinity;
        if (ranges.some(([a, b]) => a < end && first < b) && !term.segments.has(k)) wanted.push(k);
      });
      if (wanted.length <= MAX_BLOCKS && wanted.length + term.segments.size <= count / 2) {
        await term.readSegments(wanted);
        return;
      }
    }
    if (docs && count && !(term.hasSlim && this.manyBlocks(term, docs))) {
      await term.readStarts();
      const wanted = [...new Set(docs.map((d) => term.blockOf(d)))].filter((k) => !term.blocks.has(k));
      if (wanted.length <= MAX_BLOCKS && wanted.length + term.blocks.size <= count / 2) {
        await term.readBlocks(wanted);
        return;
      }
    }
    if (docs && term.hasSlim) {
      // not the word the candidates come from: their length bytes are known, the slim list will do
      await term.readSlim();
      return;
    }
    await term.readFull();
  }

  // Remember the length bytes of a list's documents (for slim lists).
  noteLengths(list) {
    const { docs, l } = list;
    for (let k = 0; k < docs.length; k++) if (l[k] >= 0) this.docLength[docs[k]] = l[k];
  }

  lengthByte(p, k) {
    const byte = p.l[k];
    if (byte >= 0) return byte;
    const known = this.docLength[p.docs[k]];
    if (!(known >= 0)) throw new Error(`length of document ${p.docs[k]} unknown`);
    return known;
  }

  bm25(idf, tf, lengthByte) {
    const m = this.manifest;
    const fl = m.lengths[lengthByte];
    return idf * ((tf * (m.K1 + 1)) / (tf + m.K1 * ((1 - m.B) + (m.B * fl) / m.avgfl[0])));
  }

  postingScore(term, p, k) {
    return this.bm25(term.idf, p.w[k], this.lengthByte(p, k));
  }

  // Whoosh's BM25F score of `term` in `doc` (0 when absent).
  termScore(term, doc) {
    const found = term.find(doc);
    return found ? this.postingScore(term, found[0], found[1]) : 0;
  }

  // Adds `term`'s score in each of the sorted `docs` to `scores` (termScore of each): along its
  // whole list when it has one, without a search a document.
  addScores(term, docs, scores) {
    const full = term.pair ? null : term.full;
    if (!full) {
      for (let i = 0; i < docs.length; i++) scores[i] += this.termScore(term, docs[i]);
      return;
    }
    const listed = full.docs;
    let k = 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      while (k < listed.length && listed[k] < doc) k++;
      if (k < listed.length && listed[k] === doc) scores[i] += this.postingScore(term, full, k);
    }
  }

  // The documents matching the query's required, optional and excluding clauses (and the filters):
  // sorted document numbers.
  async candidates(parsed, predicate) {
    const required = await this.lookup(Q.requiredTerms(parsed));
    const optional = await this.lookup(Q.optionalTerms(parsed));
    let docs;
    if (required.length) {
      if (required.some((t) => !t.known)) return { docs: [], required, optional };
      const sorted = [...required].sort((a, b) => a.n - b.n);
      const first = sorted[0];
      // without filters, the candidates are the rarest word's documents: the other words' slim
      // lists that they will need are read together with its list
      const reading = this.fetchPostings(first, null, predicate ? predicate.ranges : null);
      if (!predicate) this.slimAhead([...sorted.slice(1), ...optional], first.n);
      await reading;
      const lists = first.full ? [first.full] : [...first.segments.keys()].sort((a, b) => a - b).map((k) => first.segments.get(k));
      docs = [];
      for (const list of lists) {
        for (let k = 0; k < list.docs.length; k++) {
          const d = list.docs[k];
          if (!predicate || predicate.test(d, list.codes[k])) {
            docs.push(d);
            this.docLength[d] = list.l[k];
          }
        }
      }
      // the second rarest narrows the candidates; the others are then fetched together
      const rest = sorted.slice(1);
      this.slimAhead([...rest, ...optional], docs.length);
      if (rest.length && docs.length) {
        await this.fetchPostings(rest[0], docs);
        docs = docs.filter((d) => rest[0].find(d));
      }
      if (rest.length > 1 && docs.length) {
        await Promise.all(rest.slice(1).map((term) => this.fetchPostings(term, docs)));
        docs = docs.filter((d) => rest.every((term) => term.find(d)));
      }
    } else {
      const union = new Set();
      for (const term of optional) {
        if (!term.known) continue;
        const full = await term.readFull();
        full.docs.forEach((d, k) => {
          if (!predicate || predicate.test(d, full.codes[k])) union.add(d);
        });
        this.noteLengths(full);
      }
      docs = [...union].sort((a, b) => a - b);
    }
    for (const words of Q.exclusionGroups(parsed)) {
      if (!docs.length) break;
      const terms = await this.lookup(words);
      if (terms.some((t) => !t.known)) continue;
      for (const term of terms) await this.fetchPostings(term, docs);
      docs = docs.filter((d) => !terms.every((t) => t.find(d)));
    }
    return { docs, required, optional };
  }

  // Start reading the slim lists of the `terms` (not the one the candidates come from) that `count`
  // candidates will surely need whole: several candidates for each block of the term.
  slimAhead(terms, count) {
    for (const t of terms) {
      if (t.hasSlim && !t.full && !t.slim && !t.pending && count >= SLIM_AHEAD * t.blockCount) {
        t.pending = t.readSlim();
        t.pending.catch(() => {});
      }
    }
  }

  // check_phrases and rerank_by_sequence: whether a pair "a b" (read for `doc`) stands in `doc`.
  occursIn(doc) {
    return (key) => {
      const pair = this.terms.get(key);
      return Boolean(pair && pair.find(doc));
    };
  }

  // rank_edge_neighbours and rank_optional_groups: whether `doc` holds a known word or pair (read for it).
  holdsIn(doc) {
    return (text) => {
      const term = this.terms.get(text);
      return Boolean(term && term.known && term.find(doc));
    };
  }

  // Fetch the pairs of the clauses' sequences (and with `neighbours`, of their cut edges) for the
  // given sorted documents.
  async withPairs(clauses, docs, neighbours = false) {
    const terms = await this.lookup([...pairKeys(clauses, neighbours)]);
    await Promise.all(terms.map((term) => this.fetchPostings(term, docs)));
  }

  // check_phrases and rerank_by_sequence read pairs for the first candidates (at most `phraseCheckLimit`, `rerankDepth`):
  // their dictionary entries, and the lists that will be read whole or their blocks' starts, are
  // read meanwhile the words' postings are (not awaited: fetchPostings waits for what it needs).
  prefetchPairs(parsed, phrases, literal, limit) {
    if (!phrases.length && !literal.length) return;
    const rules = this.manifest.rules;
    // the candidates hold every required word: no more of them than the rarest one's documents
    const most = Math.min(...Q.requiredTerms(parsed).map((t) => (this.terms.get(t) || {}).n || 0));
    const depth = new Map();
    for (const [clauses, n, neighbours] of [[phrases, rules.phraseCheckLimit, false], [literal, Math.max(limit, rules.rerankDepth), true]]) {
      for (const key of pairKeys(clauses, neighbours)) depth.set(key, Math.max(depth.get(key) || 0, Math.min(n, most)));
    }
    this.lookup([...depth.keys()]).then((terms) => {
      for (const term of terms) {
        if (!term.parts.length || term.full || term.pending || term.inline) continue;
        if (this.readWhole(term, depth.get(term.text))) {
          term.pending = term.readFull();
          term.pending.catch(() => {});
        } else {
          term.readStarts().catch(() => {});
        }
      }
    }, () => {});
  }

  // Whether a list without a slim list is better read whole than by blocks for `count` documents
  // spread over the collection: it has no blocks, or they would fall in many of its blocks.
  readWhole(term, count) {
    const blocks = term.blockCount;
    if (!blocks) return true;
    const expected = blocks * (1 - (1 - 1 / blocks) ** count);
    return expected > WHOLE_SHARE * blocks;
  }

  // Search: {total, hits: [{doc, score}], terms, suggestion}; `limit` as the command line's --limit.
  // `shownFrom`: the first hit the caller will show (its documents read as soon as the hits are known).
  async search(text, filters = {}, limit = 10, shownFrom = null) {
    await this.init();
    const rules = this.manifest.rules;
    // the pairs of check_phrases and rerank_by_sequence are looked up while drop_common_words and the words are read
    const parsed = await this.parse(text, (p) => this.prefetchPairs(p, Q.phraseClauses(p), Q.literalClauses(p, rules), limit));
    const response = { total: 0, totalCapped: false, totalEstimated: false, hits: [], terms: Q.terms(parsed), suggestion: null };
    if (!Q.include(parsed).length) return response;
    const predicate = await filterPredicate(this, filters);
    const phrases = Q.phraseClauses(parsed);
    const literal = Q.literalClauses(parsed, rules);
    if (!this.exact && !predicate && !phrases.length && !Q.exclude(parsed).length) {
      const top = await topK(this, parsed, literal.length ? Math.max(limit, rules.rerankDepth) : limit);
      if (top) {
        response.topK = true;
        response.hits = literal.length ? await this.rerank(parsed, literal, top.hits, limit) : top.hits;
        response.hits = response.hits.slice(0, limit);
        if (shownFrom !== null) this.readAhead(response.hits.slice(shownFrom).map((h) => h.doc));
        const count = await top.count;
        response.total = count.total;
        response.totalEstimated = count.estimated;
        if (response.total === 0) response.suggestion = await suggest(this, text);
        return response;
      }
    }
    const { docs, required, optional } = await this.candidates(parsed, predicate);
    const depth = phrases.length ? rules.phraseCheckLimit : literal.length ? Math.max(limit, rules.rerankDepth) : limit;
    // scores in typed arrays, each term's added in the order of the terms (the same sums as a
    // document's score added term by term); hits made for the best `depth` only
    const base = new Float64Array(docs.length);
    for (const term of required) this.addScores(term, docs, base);
    let score = base;
    const live = optional.filter((t) => t.known);
    if (live.length) {
      // optional tokens only add: read them only for the documents that could reach the first
      // `depth` (their score without them, plus the most the tokens could add, reaches the
      // depth-th best score without them); the others cannot be shown
      const bound = live.reduce((sum, t) => sum + t.idf * (this.manifest.K1 + 1), 0);
      let threshold = -Infinity;
      if (docs.length > depth) threshold = Float64Array.from(base).sort()[docs.length - depth] - 1e-6;
      const kept = [];
      for (let i = 0; i < docs.length; i++) if (base[i] + bound >= threshold) kept.push(i);
      const positions = Int32Array.from(kept);
      const ids = Array.from(positions, (i) => docs[i]);
      await Promise.all(live.map((term) => this.fetchPostings(term, ids)));
      const sums = Float64Array.from(positions, (i) => base[i]);
      for (const term of optional) this.addScores(term, ids, sums);
      score = Float64Array.from(base);
      positions.forEach((i, j) => {
        score[i] = sums[j];
      });
    }
    let scored = bestHits(docs, score, depth);
    response.total = docs.length;
    if (phrases.length && scored.length) {
      // check_phrases on the best phraseCheckLimit candidates, as the command line
      response.totalCapped = docs.length > rules.phraseCheckLimit;
      await this.withPairs(phrases, scored.map((h) => h.doc).sort((a, b) => a - b));
      scored = scored.filter((h) => Q.matchesPhrases(parsed, this.occursIn(h.doc)));
      response.total = scored.length;
    }
    let hits = scored;
    if (literal.length) hits = await this.rerank(parsed, literal, hits, limit);
    response.hits = hits.slice(0, limit);
    if (response.total === 0) response.suggestion = await suggest(this, text);
    return response;
  }

  // rerank_by_sequence: the first max(limit, RERANK_DEPTH) hits (in score order) by how many long clauses
  // occur as adjacent words, then how many of their cut edges stand next to their sequences, then
  // how many optional tokens they hold, then score.
  async rerank(parsed, literal, hits, limit) {
    const head = hits.slice(0, Math.max(limit, this.manifest.rules.rerankDepth));
    await this.withPairs(literal, head.map((h) => h.doc).sort((a, b) => a - b), true);
    const rules = this.manifest.rules;
    for (const h of head) [h.literal, h.edges, h.extra] = Q.sequenceRanks(parsed, rules, this.occursIn(h.doc), this.holdsIn(h.doc));
    // stable: score order within equal counts
    head.sort((a, b) => b.literal - a.literal || b.edges - a.edges || b.extra - a.extra);
    return head;
  }

  unitOf(doc) {
    for (let i = this.units.length - 1; i >= 0; i--) if (doc >= this.units[i].first) return this.units[i];
    return this.units[0];
  }

  // The document chunks of `docs`: [unit, chunk number] pairs, each once.
  chunksOf(docs) {
    const seen = new Map();
    for (const d of docs) {
      const unit = this.unitOf(d);
      const c = Math.floor((d - unit.first) / this.manifest.docChunk);
      seen.set(`${unit.dir} ${c}`, [unit, c]);
    }
    return [...seen.values()];
  }

  // Start reading the documents of `docs` (documents() then finds them read or on their way).
  readAhead(docs) {
    for (const [unit, c] of this.chunksOf(docs)) unit.chunk(c).catch(() => {});
  }

  // The stored fields of documents, as {doc: {…}}.
  async documents(docs) {
    const chunks = this.chunksOf(docs);
    const loaded = await Promise.all(chunks.map(([unit, c]) => unit.chunk(c)));
    const out = new Map();
    chunks.forEach(([unit, c], i) => {
      const chunk = loaded[i];
      chunk.d.forEach((record, k) => {
        const [report, suffix, kind, part, title, text, anchor, label, values] = record;
        const r = chunk.r[String(report)];
        const doc = unit.first + c * this.manifest.docChunk + k;
        out.set(doc, {
          doc, id: `${r[0]}:${suffix}`, kind: this.manifest.kinds[kind], part, title, text,
          anchor: anchor === 0 ? suffix : anchor, label, values,
          reportId: r[0], agency: r[1], year: r[2], province: r[3], city: r[4], county: r[5], url: r[6],
        });
      });
    });
    return out;
  }
}

export { Postings };
