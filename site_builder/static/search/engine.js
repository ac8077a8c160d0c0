// The search engine of the static site: the rules of archive/index/query.py and Whoosh's BM25F,
// on the files written by site_builder/search/export.py (format: docs/search.md).
import { Segmenter } from "./segment.js";
import * as Q from "./query.js";
import { Affixes } from "./affixes.js";


// Past this many blocks of one term, its whole posting list is read instead (one request).
const MAX_BLOCKS = 48;
// Top-k by impact tiers (topK) when the rarest required word has more documents than this and at
// most this many results are asked for; otherwise every candidate is scored (the exact path).
const TOPK_FROM = 1024;
const TOPK_MAX = 100;
const TOPK_ROUNDS = 40;
const TOPK_BUDGET = 4; // the top-k reads at most 1/4 of the postings of the required words
const TOPK_POSTINGS = 12288; // and at most this many
// Copied sentences of more words are scored in full: their candidates share the sentence word for
// word, so their scores differ by a length byte and no bound separates them before all are read.
const TOPK_WORDS = 4;
// A pair list (no slim list) is read whole rather than by blocks, without waiting for the
// candidates, when these would fall in more than this share of its blocks.
const WHOLE_SHARE = 0.25;
// Candidates for each block of a word past which its slim list is read without waiting for the
// rarer words to narrow them (copied sentences: thousands of candidates, every word's slim list).
const SLIM_AHEAD = 8;
// The top-k reads a word's slim list rather than this many of its blocks in a round.
const SLIM_BLOCKS = 8;
// Blocks of each other word read to check the sample of the estimated result count.
const SAMPLE_BLOCKS = 16;

// FNV-1a (32 bits) of the UTF-8 bytes, as export.fnv1a.
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function fromBase64(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// The words that rule 4 (d) may add for the cut edges of `parsed` (query.js expandCutEdges): those
// of the longest edge that any indexed word ends (begins) with, at most `affixes.words` of them.
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

// The pairs "a b" of adjacent tokens of the clauses' sequences (rules 5 and 7); with `neighbours`,
// also those of their cut edges with the sequences' ends (rule 7's second key).
function pairKeys(clauses, neighbours = false) {
  const keys = new Set();
  for (const c of clauses) {
    for (let i = 0; i + 1 < c.sequence.length; i++) keys.add(`${c.sequence[i]} ${c.sequence[i + 1]}`);
    if (neighbours) for (const key of Q.neighbourPairs(c).flat()) keys.add(key);
  }
  return keys;
}

// Reads a file of the export front to back: single bytes and varints (7 bits a byte, low first).
class ByteReader {
  constructor(bytes) {
    this.bytes = bytes;
    this.i = 0;
  }

  get done() {
    return this.i >= this.bytes.length;
  }

  byte() {
    return this.bytes[this.i++];
  }

  varint() {
    let n = 0;
    let shift = 0;
    let b;
    do {
      b = this.bytes[this.i++];
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return n;
  }
}

// A decoded run of postings (typed arrays): document numbers, part/kind codes, fields present,
// weights, length bytes. Blocks of `blockSize` postings each start from document number 0 (a full
// list is their concatenation).
// A slim list (p/<id>-s.bin, one field; `slim` is the manifest's slimWeights, K): per posting
// varint(docnum gap * K + min(weight, K) - 1), then varint(weight - K) when weight >= K; its length
// bytes (-1) and codes (-1) come from the document's other postings (SearchEngine.docLength).
class Postings {
  constructor(bytes, blockSize, fieldCount, slim = 0) {
    // one pass into typed arrays sized for the most postings the bytes can hold (a posting takes at
    // least two bytes, one in a slim list), then trimmed: decoding arrays of numbers one push at a
    // time was most of the CPU time of the heaviest queries
    const most = slim ? bytes.length : (bytes.length >> 1) + 1;
    const docs = new Int32Array(most);
    const codes = new Int8Array(most);
    const flags = new Uint8Array(most);
    const w = [];
    const l = [];
    for (let f = 0; f < fieldCount; f++) {
      w.push(new Int32Array(most));
      l.push(new Int16Array(most));
    }
    this.fieldCount = fieldCount;
    const mask = (1 << fieldCount) - 1;
    const w0 = w[0];
    const l0 = l[0];
    let i = 0;
    let n = 0;
    let previous = -1;
    const end = bytes.length;
    // varint (7 bits a byte, low first), inline: one byte is the common case
    const varint = () => {
      let b = bytes[i++];
      if (b < 0x80) return b;
      let v = b & 0x7f;
      let scale = 0x80;
      do {
        b = bytes[i++];
        v += (b & 0x7f) * scale;
        scale *= 0x80;
      } while (b & 0x80);
      return v;
    };
    while (i < end) {
      if (n % blockSize === 0) previous = -1;
      if (slim) {
        const v = varint();
        const doc = previous + 1 + Math.floor(v / slim);
        previous = doc;
        const weight = (v % slim) + 1;
        docs[n] = doc;
        flags[n] = 1;
        codes[n] = -1;
        w0[n] = weight === slim ? weight + varint() : weight;
        l0[n] = -1;
        n++;
        continue;
      }
      const doc = previous + 1 + varint();
      previous = doc;
      const f = bytes[i++];
      docs[n] = doc;
      flags[n] = f & mask;
      codes[n] = f >> fieldCount;
      for (let field = 0; field < fieldCount; field++) {
        if (f & (1 << field)) {
          w[field][n] = varint();
          l[field][n] = bytes[i++];
        }
      }
      n++;
    }
    this.docs = docs.slice(0, n);
    this.codes = codes.slice(0, n);
    this.flags = flags.slice(0, n);
    this.w = w.map((a) => a.slice(0, n));
    this.l = l.map((a) => a.slice(0, n));
  }

  // The position of `doc`'s posting, or undefined (the documents are in order; binary search: a Map
  // of every document cost more than decoding the list itself on lists of 400,000 postings).
  at(doc) {
    const docs = this.docs;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = docs[mid];
      if (d === doc) return mid;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

// One term of the index: its dictionary entry and the postings fetched so far.
class Term {
  constructor(text, entry) {
    this.text = text;
    this.entry = entry;
    this.full = null; // Postings of every document
    this.slim = null; // the same without length bytes and codes (for a word the candidates do not come from)
    this.blocks = new Map(); // block number → Postings
    // the blocks' first documents: inline (`blocks`), or p/<id>-b.bin (SearchEngine.blockStarts)
    this.starts = entry && entry.blocks ? entry.blocks : null;
    this.tiers = []; // impact tiers read so far (Postings), best first
    this.tierIndex = new Map(); // document → [Postings, index] of the tiers read
    this.floor = Infinity; // the lowest score in the tiers read: no other posting scores more
    this.pending = null; // the whole list being read ahead (SearchEngine.prefetchPairs)
    // the slim list read by the top-k instead of many blocks (apart from `slim`, which the exact
    // path and the count estimate go by), and the blocks it stood for
    this.topSlim = null;
    this.topSlimCost = 0;
  }

  // Every posting is known: the whole list, or every tier of a term whose tiers hold all of it.
  get complete() {
    if (this.full) return true;
    const tiers = this.entry && this.entry.tiers;
    return Boolean(tiers && this.tiers.length === tiers.length && tiers.reduce((n, t) => n + t[0], 0) === this.entry.n);
  }

  get n() {
    return this.entry ? this.entry.n : 0;
  }

  // Number of blocks of p/<id>-<k>.bin (0: the term is not cut in blocks).
  get blockCount() {
    const e = this.entry;
    return e ? (e.blocks ? e.blocks.length : e.nb || 0) : 0;
  }

  // The block that holds `doc`'s posting if any; before the starts are read, only block 0 is
  // known (the documents up to its last one), other documents give -1 (no block read).
  blockOf(doc) {
    const firsts = this.starts;
    if (!firsts) {
      const first = this.blocks.get(0);
      return first && first.docs.length && doc <= first.docs[first.docs.length - 1] ? 0 : -1;
    }
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // [Postings, index] of `doc`, or null.
  find(doc) {
    if (!this.entry) return null;
    if (this.full) {
      const k = this.full.at(doc);
      return k === undefined ? null : [this.full, k];
    }
    const tiered = this.tierIndex.get(doc);
    if (tiered) return tiered;
    const block = this.blocks.size ? this.blocks.get(this.blockOf(doc)) : null;
    const k = block ? block.at(doc) : undefined;
    if (k !== undefined) return [block, k];
    const j = this.slim ? this.slim.at(doc) : undefined;
    if (j !== undefined) return [this.slim, j];
    const wide = this.topSlim ? this.topSlim.at(doc) : undefined;
    return wide === undefined ? null : [this.topSlim, wide];
  }
}

export class SearchEngine {
  // base: the URL of the search/ folder; fetchBytes(url) → Promise<Uint8Array> (defaults to fetch).
  constructor(base, fetchBytes) {
    this.base = base;
    this.fetchBytes = fetchBytes || (async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${response.status} ${url}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    this.cache = new Map();
    this.terms = new Map();
    this.manifest = null;
    this.exact = false; // true: every candidate is scored and counted (no top-k, no estimate)
    this.docLength = null; // document → its length byte (-1: not known yet), from a posting that has it (slim lists)
    this.topkForce = false; // true (tests): top-k wherever it applies, without the cost heuristics
  }

  // Load many files, at most 12 at a time (thousands of requests at once fail in browsers).
  async loadAll(paths) {
    const out = new Array(paths.length);
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const i = next++;
        out[i] = await this.load(paths[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(12, paths.length) }, worker));
    return out;
  }

  load(path) {
    if (!this.cache.has(path)) {
      const promise = this.fetchBytes(new URL(path, this.base).href);
      promise.catch(() => this.cache.delete(path));
      this.cache.set(path, promise);
    }
    return this.cache.get(path);
  }

  async json(path) {
    return JSON.parse(new TextDecoder().decode(await this.load(path)));
  }

  async init() {
    if (!this.manifest) {
      this.manifest = await this.json("manifest.json");
      if (this.manifest.empty) return this.manifest;
      this.docLength = new Int16Array(this.manifest.docCount).fill(-1);
      const dict = this.manifest.dict;
      this.segmenter = new Segmenter(dict, async (n) => {
        try {
          return new TextDecoder().decode(await this.load(`${dict.path}/${n}.txt`));
        } catch {
          return "";
        }
      });
    }
    return this.manifest;
  }

  // The dictionary entries of `texts` (fetching the shards they are in).
  async lookup(texts) {
    const missing = [...new Set(texts)].filter((t) => !this.terms.has(t));
    const shards = new Set(missing.map((t) => fnv1a(t) % this.manifest.termShards));
    const loaded = await Promise.all([...shards].map(async (n) => [n, await this.json(`t/${n}.json`)]));
    const byShard = new Map(loaded);
    for (const t of missing) {
      if (!this.terms.has(t)) {
        const entry = byShard.get(fnv1a(t) % this.manifest.termShards)[t];
        this.terms.set(t, new Term(t, entry || null));
      }
    }
    return texts.map((t) => this.terms.get(t));
  }

  known(text) {
    const term = this.terms.get(text);
    return Boolean(term && term.entry && term.entry.df.some((n) => n > 0));
  }

  // `resolved(parsed)`, if given, is called as soon as the query is resolved (rules 3, 4 and 8: the
  // words of every entry it needs are then read, and the pairs of rules 5 and 7 known).
  async parse(text, resolved = null) {
    await this.init();
    await this.segmenter.prepare(text);
    const parsed = Q.parse(text, this.segmenter, this.manifest.rules);
    const tokens = parsed.clauses.flatMap((c) => c.tokens);
    // rule 4 (d): the words the cut edges may be part of (affixes.js), their shards and dictionary
    // entries read together with the tokens' entries
    const entry = this.manifest.affixes;
    const affixes = entry ? (this.affixes ||= new Affixes(entry, (p) => this.json(p))) : null;
    const prepared = affixes ? affixes.prepare(parsed) : null;
    const edges = prepared ? prepared.then(() => this.lookup(edgeWords(parsed, affixes))) : null;
    if (edges) edges.catch(() => {});
    await this.lookup(tokens);
    const unknown = tokens.filter((t) => !this.known(t));
    if (unknown.length) await this.lookup(unknown.flatMap(Q.lookups));
    if (prepared) await prepared;
    Q.resolve(parsed, (t) => this.known(t), affixes);
    if (edges) await edges;
    // rules 7 and 8: the words' document counts (of the words looked up above)
    const words = await this.lookup(parsed.clauses.flatMap((c) => [...c.required, ...c.optional, ...c.neighbours.flat(), ...c.sequence]));
    const documents = new Map(words.map((t) => [t.text, t.entry ? t.entry.df[0] : 0]));
    const count = (t) => documents.get(t) || 0;
    Q.dropCommonNeighbours(parsed, count, this.manifest.rules);
    Q.dropCommon(parsed, count, this.manifest.docCount, this.manifest.rules);
    if (resolved) resolved(parsed);
    return parsed;
  }

  // The first document of each block of `term` (inline in its entry, or p/<id>-b.bin: gaps, varints).
  async blockStarts(term) {
    if (term.starts || !term.entry.nb) return term.starts;
    const bytes = await this.load(`p/${term.entry.id}-b.bin`);
    const starts = [];
    const input = new ByteReader(bytes);
    let previous = -1;
    while (!input.done) {
      previous += input.varint() + 1;
      starts.push(previous);
    }
    term.starts = starts;
    return starts;
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
    if (term.pending) await term.pending;
    const e = term.entry;
    if (!e || term.full || (docs && term.slim)) return;
    if (e.p !== undefined) {
      term.full = new Postings(fromBase64(e.p), this.manifest.blockPostings, this.manifest.fields.length);
      return;
    }
    const count = term.blockCount;
    if (ranges && !docs && count) {
      const starts = await this.blockStarts(term);
      const wanted = [];
      starts.forEach((first, k) => {
        const end = k + 1 < count ? starts[k + 1] : Infinity;
        if (ranges.some(([a, b]) => a < end && first < b) && !term.blocks.has(k)) wanted.push(k);
      });
      if (wanted.length <= MAX_BLOCKS && wanted.length + term.blocks.size <= count / 2) {
        const got = await this.loadAll(wanted.map((k) => `p/${e.id}-${k}.bin`));
        wanted.forEach((k, i) => term.blocks.set(k, new Postings(got[i], this.manifest.blockPostings, this.manifest.fields.length)));
        return;
      }
    }
    if (docs && count && !(e.s && this.manyBlocks(term, docs))) {
      await this.blockStarts(term);
      const wanted = [...new Set(docs.map((d) => term.blockOf(d)))].filter((k) => !term.blocks.has(k));
      if (wanted.length <= MAX_BLOCKS && wanted.length + term.blocks.size <= count / 2) {
        const got = await this.loadAll(wanted.map((k) => `p/${e.id}-${k}.bin`));
        wanted.forEach((k, i) => term.blocks.set(k, new Postings(got[i], this.manifest.blockPostings, this.manifest.fields.length)));
        return;
      }
    }
    if (docs && e.s) {
      // not the word the candidates come from: their length bytes are known, the slim list will do
      term.slim = new Postings(await this.load(`p/${e.id}-s.bin`), Infinity, 1, this.manifest.slimWeights);
      return;
    }
    term.full = new Postings(await this.load(`p/${e.id}.bin`), this.manifest.blockPostings, this.manifest.fields.length);
  }

  // Remember the length bytes of the given documents of a list that has them (for slim lists).
  noteLengths(list, docs = list.docs) {
    if (list.fieldCount !== 1) return;
    if (docs === list.docs) {
      list.docs.forEach((d, k) => {
        if (list.l[0][k] >= 0) this.docLength[d] = list.l[0][k];
      });
      return;
    }
    for (const d of docs) {
      const k = list.at(d);
      if (k !== undefined && list.l[0][k] >= 0) this.docLength[d] = list.l[0][k];
    }
  }

  lengthByte(p, k, field) {
    const byte = p.l[field][k];
    if (byte >= 0) return byte;
    const known = this.docLength[p.docs[k]];
    if (!(known >= 0)) throw new Error(`length of document ${p.docs[k]} unknown`);
    return known;
  }

  // Whoosh's BM25F score of `term` in `doc`: the sum over the fields it occurs in.
  termScore(term, doc) {
    const found = term.find(doc);
    if (!found) return 0;
    const [p, k] = found;
    let score = 0;
    for (let field = 0; field < p.fieldCount; field++) {
      if (p.flags[k] & (1 << field)) {
        score += this.bm25(term.entry.idf[field], p.w[field][k], this.lengthByte(p, k, field), field);
      }
    }
    return score;
  }

  async filterTable() {
    if (!this.filters) {
      const data = await this.json("filters/reports.json");
      const docReport = new Int32Array(this.manifest.docCount).fill(-1);
      let doc = 0;
      for (let i = 0; i < data.runs.length; i += 3) {
        doc += data.runs[i];
        for (let k = 0; k < data.runs[i + 1]; k++) docReport[doc + k] = data.runs[i + 2];
        doc += data.runs[i + 1];
      }
      this.filters = { ...data, docReport };
    }
    return this.filters;
  }

  // The filters as ArchiveSearcher._filter: {test(doc, code), ranges} (ranges: sorted [start, end)
  // runs of the documents the year/agency/region filters allow, or null); null when none is set.
  async filterPredicate(filters) {
    const m = this.manifest;
    const tests = [];
    let ranges = null;
    if (filters.part) {
      const part = m.parts.indexOf(filters.part.trim().replace(/、+$/u, ""));
      tests.push((doc, code) => part > 0 && code >> 1 === part);
    }
    if (filters.kind) {
      const kind = m.kinds.indexOf(filters.kind);
      tests.push((doc, code) => (code & 1) === kind);
    }
    if (filters.year || filters.agency || filters.region) {
      const table = await this.filterTable();
      if ((filters.agency || filters.region) && !table.agencies) table.agencies = await this.json("filters/agencies.json");
      const matchIn = (column, text) => {
        const values = new Set(table.agencies.map((a) => a[column]).filter(Boolean));
        return values.has(text) ? [text] : [...values].filter((v) => v.includes(text));
      };
      const agencyNames = filters.agency ? new Set(matchIn(0, filters.agency)) : null;
      const regionValues = filters.region ? [1, 2, 3].map((c) => new Set(matchIn(c, filters.region))) : null;
      const agencies = new Set();
      (table.agencies || []).forEach((a, i) => {
        const agencyOk = !agencyNames || agencyNames.has(a[0]);
        const regionOk = !regionValues || regionValues.some((set, c) => set.has(a[c + 1]));
        if (agencyOk && regionOk) agencies.add(i);
      });
      const year = filters.year ? Number(filters.year) : null;
      const anyAgency = !filters.agency && !filters.region;
      const reportOk = (r) => r >= 0 && (year === null || table.reports[2 * r + 1] === year) &&
        (anyAgency || agencies.has(table.reports[2 * r]));
      ranges = [];
      let doc = 0;
      for (let i = 0; i < table.runs.length; i += 3) {
        doc += table.runs[i];
        if (reportOk(table.runs[i + 2])) ranges.push([doc, doc + table.runs[i + 1]]);
        doc += table.runs[i + 1];
      }
      tests.push((d) => reportOk(table.docReport[d]));
    }
    if (!tests.length) return null;
    return { test: (doc, code) => tests.every((t) => t(doc, code)), ranges };
  }

  // The documents matching rules 4 and 6 (and the filters): sorted document numbers.
  async candidates(parsed, predicate) {
    const required = await this.lookup(Q.requiredTerms(parsed));
    const optional = await this.lookup(Q.optionalTerms(parsed));
    let docs;
    if (required.length) {
      if (required.some((t) => !t.entry || !t.n)) return { docs: [], required, optional };
      const sorted = [...required].sort((a, b) => a.n - b.n);
      const first = sorted[0];
      // without filters, the candidates are the rarest word's documents: the other words' slim
      // lists that they will need are read together with its list
      const reading = this.fetchPostings(first, null, predicate ? predicate.ranges : null);
      if (!predicate) this.slimAhead([...sorted.slice(1), ...optional], first.n);
      await reading;
      const lists = first.full ? [first.full] : [...first.blocks.keys()].sort((a, b) => a - b).map((k) => first.blocks.get(k));
      docs = [];
      for (const list of lists) {
        const length = list.fieldCount === 1 ? list.l[0] : null;
        for (let k = 0; k < list.docs.length; k++) {
          const d = list.docs[k];
          if (!predicate || predicate.test(d, list.codes[k])) {
            docs.push(d);
            if (length) this.docLength[d] = length[k];
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
        if (!term.entry) continue;
        await this.fetchPostings(term);
        term.full.docs.forEach((d, k) => {
          if (!predicate || predicate.test(d, term.full.codes[k])) union.add(d);
        });
      }
      docs = [...union].sort((a, b) => a - b);
    }
    for (const clause of Q.exclude(parsed)) {
      if (!docs.length) break;
      const terms = await this.lookup([...new Set(clause.required)]);
      if (terms.some((t) => !t.entry || !t.n)) continue;
      for (const term of terms) await this.fetchPostings(term, docs);
      docs = docs.filter((d) => !terms.every((t) => t.find(d)));
    }
    return { docs, required, optional };
  }

  // Start reading the slim lists of the `terms` (not the one the candidates come from) that `count`
  // candidates will surely need whole: several candidates for each block of the term.
  slimAhead(terms, count) {
    for (const t of terms) {
      if (t.entry && t.entry.s && !t.full && !t.slim && !t.pending && count >= SLIM_AHEAD * t.blockCount) {
        t.pending = this.load(`p/${t.entry.id}-s.bin`).then((bytes) => {
          t.slim ||= new Postings(bytes, Infinity, 1, this.manifest.slimWeights);
        });
        t.pending.catch(() => {});
      }
    }
  }

  // Rules 5 and 7: does every pair of adjacent tokens of the clause occur adjacent in `doc`?
  occurs(clause, doc) {
    const seq = clause.sequence;
    for (let i = 0; i + 1 < seq.length; i++) {
      const pair = this.terms.get(`${seq[i]} ${seq[i + 1]}`);
      if (!pair || !pair.find(doc)) return false;
    }
    return true;
  }

  // Fetch the pairs of the clauses' sequences (and with `neighbours`, of their cut edges) for the
  // given sorted documents.
  async withPairs(clauses, docs, neighbours = false) {
    const terms = await this.lookup([...pairKeys(clauses, neighbours)]);
    await Promise.all(terms.map((term) => this.fetchPostings(term, docs)));
  }

  // Rules 5 and 7 read pairs for the first candidates (at most `phraseCheckLimit`, `rerankDepth`):
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
    const keys = [...depth.keys()];
    this.lookup(keys).then((terms) => {
      for (const term of terms) {
        const e = term.entry;
        if (!e || term.full || term.pending || e.p !== undefined) continue;
        if (this.readWhole(term, depth.get(term.text))) {
          term.pending = this.load(`p/${e.id}.bin`).then((bytes) => {
            term.full ||= new Postings(bytes, this.manifest.blockPostings, this.manifest.fields.length);
          });
          term.pending.catch(() => {});
        } else {
          this.blockStarts(term).catch(() => {});
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

  // A query of one word, without filters: its best documents are exported in score order.
  async singleTerm(parsed, predicate, limit) {
    if (predicate || Q.exclude(parsed).length || Q.optionalTerms(parsed).length) return null;
    if (Q.phraseClauses(parsed).length || Q.literalClauses(parsed, this.manifest.rules).length) return null;
    const required = Q.requiredTerms(parsed);
    if (required.length !== 1) return null;
    const [term] = await this.lookup(required);
    if (!term.entry || !term.entry.top || limit > term.entry.top) return null;
    const top = new Postings(await this.load(`p/${term.entry.id}-top.bin`), 1, this.manifest.fields.length);
    const hits = Array.from(top.docs.subarray(0, limit), (doc, k) => {
      let score = 0;
      for (let field = 0; field < top.fieldCount; field++) {
        if (top.flags[k] & (1 << field)) score += this.bm25(term.entry.idf[field], top.w[field][k], top.l[field][k], field);
      }
      return { doc, score };
    });
    return { total: term.entry.n, hits };
  }

  // Read the next impact tier of `term` (export: `tiers`, best scores first; each in document order).
  async readTier(term) {
    const i = term.tiers.length;
    const bytes = await this.load(`p/${term.entry.id}-t${i}.bin`);
    if (term.tiers.length !== i) return; // read meanwhile
    const tier = new Postings(bytes, Infinity, this.manifest.fields.length);
    this.noteLengths(tier);
    term.tiers.push(tier);
    let floor = Infinity;
    tier.docs.forEach((doc, k) => {
      term.tierIndex.set(doc, [tier, k]);
      floor = Math.min(floor, this.postingScore(term, tier, k));
    });
    term.floor = floor;
  }

  async readTopSlim(term) {
    if (term.topSlim || term.slim) return;
    const list = new Postings(await this.load(`p/${term.entry.id}-s.bin`), Infinity, 1, this.manifest.slimWeights);
    term.topSlim ||= list;
  }

  async fetchBlocks(term, blocks) {
    const e = term.entry;
    const wanted = blocks.filter((k) => !term.blocks.has(k));
    const got = await this.loadAll(wanted.map((k) => `p/${e.id}-${k}.bin`));
    wanted.forEach((k, i) => term.blocks.set(k, new Postings(got[i], this.manifest.blockPostings, this.manifest.fields.length)));
  }

  // The term's score in `doc` when known (0: absent), else undefined.
  scoreIfKnown(term, doc) {
    const found = term.find(doc);
    if (found && found[0].l[0][found[1]] < 0 && this.docLength[doc] < 0) return undefined;
    if (found) return this.postingScore(term, found[0], found[1]);
    if (term.slim || term.topSlim) return 0;
    if (term.complete || term.blocks.has(term.blockOf(doc))) return 0;
    return undefined;
  }

  postingScore(term, p, k) {
    let score = 0;
    for (let field = 0; field < p.fieldCount; field++) {
      if (p.flags[k] & (1 << field)) score += this.bm25(term.entry.idf[field], p.w[field][k], this.lengthByte(p, k, field), field);
    }
    return score;
  }

  // The best `k` documents (score rounded to 1e-9, then document number) of the required words
  // and the optional ones, without scoring every candidate: Fagin's threshold algorithm on the
  // impact tiers of each word, a candidate's missing words resolved from deeper tiers or from its
  // block of the word's postings. Stops when no other document can come before the k-th best:
  // a document seen but incomplete when its bound (its known scores plus the floors of the words it
  // is missing) rounds lower, or equal with a higher number; an unseen one when the sum of the
  // floors rounds lower. Returns {hits, count: Promise of {total, estimated}}, or null where this
  // does not apply (the caller scores everything).
  async topK(parsed, k) {
    const required = await this.lookup(Q.requiredTerms(parsed));
    const optional = await this.lookup(Q.optionalTerms(parsed));
    if (!required.length || required.some((t) => !t.entry || !t.n)) return null;
    const rarest = [...required].sort((a, b) => a.n - b.n)[0];
    const force = this.topkForce;
    if ((rarest.n <= TOPK_FROM && !force) || k > TOPK_MAX) return null;
    const live = optional.filter((t) => t.entry && t.n);
    const scoring = [...required, ...live];
    if ((scoring.length > TOPK_WORDS && !force) || scoring.some((t) => t.n > this.manifest.blockPostings && !t.entry.tiers)) return null;
    // a required word whose first 2048 postings all score the same (a table row that every report
    // has) leaves its documents in ties that only reading them all can order: score them all
    if (!force && required.some((t) => t.entry.tiers && t.entry.tiers.length > 2 && t.entry.tiers[2][1] === t.entry.tiers[0][1])) return null;
    const isRequired = new Set(required);
    // the postings the exact path would read at least (every required word's list: the rarest is
    // read whole and the others' blocks over its many documents are most of them); the top-k gives
    // up past a quarter of that, and never reads a tier that would take it past that budget
    const size = this.manifest.blockPostings;
    const budget = force ? Infinity : Math.min(TOPK_POSTINGS, required.reduce((sum, t) => sum + t.n, 0) / TOPK_BUDGET);
    const readCost = () => scoring.reduce((sum, t) => sum + (t.full ? t.n
      : t.tiers.reduce((n, tier) => n + tier.docs.length, 0) + size * (t.blocks.size + t.topSlimCost)), 0);
    // the blocks' starts of the words cut in many blocks are read meanwhile (most queries need some
    // blocks; it saves a round trip)
    for (const t of scoring) if (t.entry.nb && !t.starts) this.blockStarts(t).catch(() => {});
    await Promise.all(scoring.map((t) => (t.entry.tiers ? (t.tiers.length ? null : this.readTier(t)) : this.fetchPostings(t))));
    const noted = new Set();
    for (let round = 0; round < TOPK_ROUNDS && readCost() <= budget; round++) {
      const seen = new Set();
      for (const t of scoring) {
        if (t.full && !noted.has(t.full)) {
          this.noteLengths(t.full);
          noted.add(t.full);
        }
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
          const c = this.scoreIfKnown(t, doc);
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
        // the count is estimated while the caller goes on with the hits (rule 7, their documents)
        const count = this.estimateTotal(required, rarest)
          .then((c) => ({ total: Math.max(c.total, complete.length), estimated: c.estimated }));
        count.catch(() => {});
        return { hits, count };
      }
      if (unseenBlocks) {
        // lower the floors: the next tier of the words whose floor falls most per posting read
        const room = budget - readCost();
        const options = scoring.filter((t) => t.entry.tiers && t.tiers.length < t.entry.tiers.length &&
          t.entry.tiers[t.tiers.length][0] <= room).map((t) => {
          const [count, floor] = t.entry.tiers[t.tiers.length];
          return { t, gain: (t.floor - floor) / count };
        });
        if (!options.length) {
          if (rarest.n > room) return null;
          await this.fetchPostings(rarest);
          continue;
        }
        const best = Math.max(...options.map((o) => o.gain));
        await Promise.all(options.filter((o) => o.gain >= best / 2).map((o) => this.readTier(o.t)));
        continue;
      }
      // resolve the candidates that could still come first, the most promising first: their
      // blocks (at most MAX_BLOCKS of a word a round), or a deeper tier when that reads fewer
      blocking.sort((a, b) => b.bound - a.bound || a.doc - b.doc);
      let affordable = Math.floor((budget - readCost()) / size);
      if (affordable < 1) return null;
      const unresolved = new Set(blocking.flatMap((c) => c.missing));
      await Promise.all([...unresolved].map((t) => this.blockStarts(t)));
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
        const tiers = t.entry.tiers;
        if (tiers && t.tiers.length < tiers.length && tiers[t.tiers.length][0] <= blocks.size * size) {
          return this.readTier(t);
        }
        if (t.entry.s && blocks.size >= SLIM_BLOCKS) {
          // many blocks: the slim list in one request instead, counted as the blocks it replaces
          t.topSlimCost += blocks.size;
          return this.readTopSlim(t);
        }
        return this.fetchBlocks(t, [...blocks.keys()]);
      }));
    }
    return null;
  }

  // The number of documents holding every required word, estimated from a sample: the rarest
  // word's first block (or all of it), checked against the others' blocks over the same documents.
  // {total, estimated}: exact when the sample is all of the rarest word's documents.
  async estimateTotal(required, rarest) {
    const e = rarest.entry;
    const others = required.filter((t) => t !== rarest);
    const cut = others.filter((t) => !t.full && !t.slim && t.blockCount > SAMPLE_BLOCKS);
    const starts = Promise.all(cut.map((t) => this.blockStarts(t)));
    starts.catch(() => {});
    let sample;
    if (rarest.full) sample = Array.from(rarest.full.docs);
    else {
      if (!rarest.blocks.has(0)) {
        rarest.blocks.set(0, new Postings(await this.load(`p/${e.id}-0.bin`), this.manifest.blockPostings, this.manifest.fields.length));
      }
      sample = Array.from(rarest.blocks.get(0).docs);
    }
    let end = Infinity;
    await starts;
    for (const t of cut) end = Math.min(end, t.starts[SAMPLE_BLOCKS]);
    const whole = Boolean(rarest.full) && end === Infinity;
    sample = sample.filter((d) => d < end);
    if (!sample.length) {
      return { total: Math.round(others.reduce((n, t) => (n * t.n) / this.manifest.docCount, rarest.n)), estimated: true };
    }
    await Promise.all(others.map((t) => this.fetchPostings(t, sample)));
    const hits = sample.filter((d) => others.every((t) => t.find(d))).length;
    return { total: whole ? hits : Math.round((hits / sample.length) * rarest.n), estimated: !whole };
  }

  bm25(idf, tf, lengthByte, field) {
    const m = this.manifest;
    const fl = m.lengths[lengthByte];
    return idf * ((tf * (m.K1 + 1)) / (tf + m.K1 * ((1 - m.B) + (m.B * fl) / m.avgfl[field])));
  }

  // Search: {total, hits: [{doc, score}], terms, suggestion}; `limit` as the command line's --limit.
  // `shownFrom`: the first hit the caller will show (its documents read as soon as the hits are known).
  async search(text, filters = {}, limit = 10, shownFrom = null) {
    await this.init();
    const rules = this.manifest.rules;
    // the pairs of rules 5 and 7 are looked up while rule 8 and the words are read
    const parsed = await this.parse(text, (p) => this.prefetchPairs(p, Q.phraseClauses(p), Q.literalClauses(p, rules), limit));
    const response = { total: 0, totalCapped: false, totalEstimated: false, hits: [], terms: Q.terms(parsed), suggestion: null };
    if (!Q.include(parsed).length) return response;
    const predicate = await this.filterPredicate(filters);
    const single = await this.singleTerm(parsed, predicate, limit);
    if (single) {
      response.total = single.total;
      response.hits = single.hits;
      return response;
    }
    const phrases = Q.phraseClauses(parsed);
    const literal = Q.literalClauses(parsed, this.manifest.rules);
    if (!this.exact && !predicate && !phrases.length && !Q.exclude(parsed).length) {
      const top = await this.topK(parsed, literal.length ? Math.max(limit, this.manifest.rules.rerankDepth) : limit);
      if (top) {
        response.topK = true;
        response.hits = literal.length ? await this.rerank(parsed, literal, top.hits, limit) : top.hits;
        response.hits = response.hits.slice(0, limit);
        if (shownFrom !== null) this.readAhead(response.hits.slice(shownFrom).map((h) => h.doc));
        const count = await top.count;
        response.total = count.total;
        response.totalEstimated = count.estimated;
        if (response.total === 0) response.suggestion = await this.suggest(text);
        return response;
      }
    }
    const { docs: found, required, optional } = await this.candidates(parsed, predicate);
    const docs = found;
    const depth = phrases.length ? this.manifest.rules.phraseCheckLimit
      : literal.length ? Math.max(limit, this.manifest.rules.rerankDepth) : limit;
    let scored = docs.map((doc) => {
      let score = 0;
      for (const term of required) score += this.termScore(term, doc);
      return { doc, score, base: score };
    });
    const live = optional.filter((t) => t.entry && t.n);
    if (live.length) {
      // optional tokens only add: read them only for the documents that could reach the first
      // `depth` (their score without them, plus the most the tokens could add, reaches the
      // depth-th best score without them); the others cannot be shown
      const bound = live.reduce((sum, t) => sum + t.entry.idf.reduce((a, idf) => a + idf * (this.manifest.K1 + 1), 0), 0);
      let contenders = scored;
      if (scored.length > depth) {
        const bases = scored.map((h) => h.base).sort((a, b) => b - a);
        const threshold = bases[depth - 1] - 1e-6;
        contenders = scored.filter((h) => h.base + bound >= threshold);
      }
      const ids = contenders.map((h) => h.doc);
      await Promise.all(live.map((term) => this.fetchPostings(term, ids)));
      for (const h of contenders) {
        let score = 0;
        for (const term of required) score += this.termScore(term, h.doc);
        for (const term of optional) score += this.termScore(term, h.doc);
        h.score = score;
      }
    }
    for (const h of scored) h.key = Math.floor(h.score * 1e9 + 0.5);
    scored.sort((a, b) => b.key - a.key || a.doc - b.doc);
    if (phrases.length && scored.length) {
      // rule 5 on the best PHRASE_CHECK_LIMIT candidates, as the command line
      const limitP = this.manifest.rules.phraseCheckLimit;
      response.totalCapped = scored.length > limitP;
      scored = scored.slice(0, limitP);
      await this.withPairs(phrases, scored.map((h) => h.doc).sort((a, b) => a - b));
      scored = scored.filter((h) => phrases.every((c) => this.occurs(c, h.doc)));
    }
    response.total = scored.length;
    let hits = scored;
    if (literal.length) hits = await this.rerank(parsed, literal, hits, limit);
    response.hits = hits.slice(0, limit);
    if (response.total === 0) response.suggestion = await this.suggest(text);
    return response;
  }

  // Rule 7: the first max(limit, RERANK_DEPTH) hits (in score order) by how many long clauses
  // occur as adjacent words, then how many of their cut edges stand next to their sequences, then
  // how many optional tokens they hold, then score.
  async rerank(parsed, literal, hits, limit) {
    const head = hits.slice(0, Math.max(limit, this.manifest.rules.rerankDepth));
    await this.withPairs(literal, head.map((h) => h.doc).sort((a, b) => a - b), true);
    const extra = Q.optionalGroups(parsed).map((group) => group.map((t) => this.terms.get(t)));
    const edges = literal.flatMap((c) => Q.neighbourPairs(c)).map((group) => group.map((p) => this.terms.get(p)));
    const holds = (group, doc) => group.some((t) => t && t.entry && t.find(doc));
    for (const h of head) {
      h.literal = literal.filter((c) => this.occurs(c, h.doc)).length;
      h.edges = edges.filter((group) => holds(group, h.doc)).length;
      h.extra = extra.filter((group) => holds(group, h.doc)).length;
    }
    // stable: score order within equal counts
    head.sort((a, b) => b.literal - a.literal || b.edges - a.edges || b.extra - a.extra);
    return head;
  }

  // Start reading the document blocks of `docs` (documents() then finds them read or on their way).
  readAhead(docs) {
    const size = this.manifest.docBlock;
    for (const b of new Set(docs.map((d) => Math.floor(d / size)))) this.load(`d/${b}.json`).catch(() => {});
  }

  // The stored fields of documents, as {doc: {…}}.
  async documents(docs) {
    const size = this.manifest.docBlock;
    const blocks = [...new Set(docs.map((d) => Math.floor(d / size)))];
    const loaded = await Promise.all(blocks.map((b) => this.json(`d/${b}.json`)));
    const out = new Map();
    for (const block of loaded) {
      for (const d of block.d) {
        const [doc, report, id, kind, part, title, text, anchor, label, values] = d;
        const r = block.r[String(report)];
        out.set(doc, {
          doc, id, kind, part, title, text, anchor, label, values,
          reportId: r[0], agency: r[1], year: r[2], province: r[3], city: r[4], county: r[5], url: r[6],
        });
      }
    }
    return out;
  }

  // ArchiveSearcher.suggest: a corrected query that finds something, or null.
  async suggest(text) {
    await this.segmenter.prepare(text);
    const lowered = text.toLowerCase();
    const plain = Q.parse(text, this.segmenter, this.manifest.rules);
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
      await this.lookup(unique);
      for (const word of unique) {
        if (this.known(word) || !lowered.includes(word)) continue;
        const start = lowered.indexOf(word);
        for (const better of await this.closeWords(word)) {
          const corrected = text.slice(0, start) + better + text.slice(start + word.length);
          const parsed = await this.parse(corrected);
          if (Q.include(parsed).length) {
            const { docs } = await this.candidates(parsed, null);
            if (docs.length) return corrected;
          }
        }
      }
    }
    return null;
  }

  async lexicon(field, length) {
    const name = `${field}-${length}`;
    if (!this.manifest.lexicon.includes(name)) return [];
    return this.json(`lex/${name}.json`);
  }

  // archive.index.search.close_words: indexed words near `word`, most frequent first.
  async closeWords(word) {
    const chars = Array.from(word);
    const maxdist = chars.length <= 4 ? 1 : 2;
    const ascii = /^[\x00-\x7f]*$/.test(word);
    const out = [];
    for (const field of this.manifest.fields) {
      const options = [];
      for (let n = Math.max(1, chars.length - maxdist); n <= chars.length + maxdist; n++) {
        for (const [term, freq] of await this.lexicon(field, n)) {
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
}

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
