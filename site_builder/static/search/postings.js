// Posting lists of the search files (docs/search-format.md, site_builder/search/postings.py): the
// decoders, a term's list in one unit (Part) and a term across the units (Term).
import { ByteReader, fromBase64, inflateSegments } from "./packs.js";

// Past this many blocks of one term, its whole list is read instead.
export const MAX_BLOCKS = 48;

// A decoded run of postings (typed arrays): document numbers (global), part/kind codes (-1: not
// in this list), weights, length bytes (-1: not in this list: SearchEngine.docLength has it).
export class Postings {
  constructor(docs, codes, w, l) {
    this.docs = docs;
    this.codes = codes;
    this.w = w;
    this.l = l;
  }

  static empty() {
    return new Postings(new Int32Array(0), new Int8Array(0), new Int32Array(0), new Int16Array(0));
  }

  static concat(lists) {
    if (lists.length === 1) return lists[0];
    const n = lists.reduce((sum, p) => sum + p.docs.length, 0);
    const out = new Postings(new Int32Array(n), new Int8Array(n), new Int32Array(n), new Int16Array(n));
    let at = 0;
    for (const p of lists) {
      out.docs.set(p.docs, at);
      out.codes.set(p.codes, at);
      out.w.set(p.w, at);
      out.l.set(p.l, at);
      at += p.docs.length;
    }
    return out;
  }

  // The position of `doc`'s posting, or undefined (binary search: the documents are in order).
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

// Decodes runs of the three formats (each run starts with its count; document numbers are the
// unit's, from -1 at each run) into Postings: one per run, or one for all (`split` false). Deleted
// documents (`deleted`, a byte per global document, or null) are left out.
function decode(bytes, kind, first, slimWeights, deleted, split) {
  const input = new ByteReader(bytes);
  const out = [];
  while (!input.done) {
    const count = input.varint();
    const docs = new Int32Array(count);
    const codes = new Int8Array(count).fill(-1);
    const w = new Int32Array(count);
    const l = new Int16Array(count).fill(-1);
    let previous = -1;
    if (kind === "slim") {
      const k = slimWeights;
      for (let i = 0; i < count; i++) {
        const v = input.varint();
        previous += 1 + Math.floor(v / k);
        docs[i] = first + previous;
        const weight = (v % k) + 1;
        w[i] = weight === k ? weight + input.varint() : weight;
      }
    } else {
      for (let i = 0; i < count; i++) {
        previous += 1 + input.varint();
        docs[i] = first + previous;
      }
      if (kind === "full") {
        for (let i = 0; i < count; i++) codes[i] = bytes[input.i++];
        for (let i = 0; i < count; i++) w[i] = input.varint();
        for (let i = 0; i < count; i++) l[i] = bytes[input.i++];
      }
    }
    out.push(dropDeleted(new Postings(docs, codes, w, l), deleted));
  }
  if (split) return out;
  return out.length ? Postings.concat(out) : Postings.empty();
}

function dropDeleted(p, deleted) {
  if (!deleted) return p;
  let keep = 0;
  for (let i = 0; i < p.docs.length; i++) if (!deleted[p.docs[i]]) keep++;
  if (keep === p.docs.length) return p;
  const out = new Postings(new Int32Array(keep), new Int8Array(keep), new Int32Array(keep), new Int16Array(keep));
  let j = 0;
  for (let i = 0; i < p.docs.length; i++) {
    if (deleted[p.docs[i]]) continue;
    out.docs[j] = p.docs[i];
    out.codes[j] = p.codes[i];
    out.w[j] = p.w[i];
    out.l[j] = p.l[i];
    j++;
  }
  return out;
}

// What a pair's find gives where the pair stands without a posting of its own (x).
const STANDS = [null, -1];

// A term's list in one unit: its entry of the unit's dictionary (postings.ListWriter).
export class Part {
  constructor(unit, entry, pair) {
    this.unit = unit;
    this.entry = entry;
    this.pair = pair;
    this.n = entry.n;
    // a pair written as its words' common documents less the exceptions (x): the exceptions' list
    this.listed = entry.x ? entry.e : entry.n;
    const m = unit.manifest;
    this.blocked = this.listed > m.blockPostings * m.segmentBlocks; // cut in blocks (and full segments)
    this.raw = this.listed <= m.rawPostings; // not compressed
    if (entry.at) {
      const [pack, offset] = entry.at;
      this.path = `${unit.dir}p-${pack}.pack`;
      this.fullAt = offset;
      this.slimAt = offset + entry.f;
      this.dirAt = this.slimAt + (entry.s || 0);
      this.tierAt = this.dirAt + (entry.d || 0);
    }
    this.dir = null; // Promise of {starts (global), blockOffsets, segmentOffsets}
  }

  get kind() {
    return this.pair ? "pair" : "full";
  }

  // `bytes` of this part's own format (full or pair), or of `kind`, as Postings.
  decode(bytes, kind = this.kind, split = false) {
    const m = this.unit.manifest;
    return decode(bytes, kind, this.unit.first, m.slimWeights, this.unit.deleted, split);
  }

  async compressed(offset, length) {
    const bytes = await this.unit.files.read(this.path, offset, length);
    return inflateSegments(bytes);
  }

  // The whole list in its own format (a pair's documents, or a word's full list).
  async full() {
    const e = this.entry;
    if (e.p !== undefined) return this.decode(fromBase64(e.p));
    if (this.raw) return this.decode(await this.unit.files.read(this.path, this.fullAt, e.f));
    return this.decode(await this.compressed(this.fullAt, e.f));
  }

  // A word's slim list (blocked parts only).
  async slim() {
    return this.decode(await this.compressed(this.slimAt, this.entry.s), "slim");
  }

  // The first document (global; the unit's first for block 0) and the byte offsets of each block
  // and each full segment (blocked parts only).
  directory() {
    if (!this.dir) {
      this.dir = this.readDirectory();
      this.dir.catch(() => {
        this.dir = null;
      });
    }
    return this.dir;
  }

  async readDirectory() {
    const e = this.entry;
    let firsts;
    let blockBytes;
    let segmentBytes;
    if (e.b) {
      [firsts, blockBytes, segmentBytes] = e.b;
    } else {
      const input = new ByteReader(await this.compressed(this.dirAt, e.d));
      const count = input.varint();
      firsts = [];
      blockBytes = [];
      let previous = -1;
      for (let k = 0; k < count; k++) {
        previous += input.varint() + 1;
        firsts.push(previous);
        blockBytes.push(input.varint());
      }
      segmentBytes = [];
      while (!input.done) segmentBytes.push(input.varint());
    }
    const offsets = (base, sizes) => {
      const out = [base];
      for (const size of sizes) out.push(out[out.length - 1] + size);
      return out;
    };
    const starts = firsts.map((d, k) => (k === 0 ? this.unit.first : this.unit.first + d));
    return {
      starts,
      blocks: offsets(this.pair ? this.fullAt : this.slimAt, blockBytes),
      segments: offsets(this.fullAt, segmentBytes),
    };
  }

  // Blocks `ks` (sorted local numbers) of a blocked part: Map k → Postings (a word's slim blocks,
  // a pair's blocks). Consecutive blocks are read in one range.
  async blocks(ks) {
    const dir = await this.directory();
    return this.runs(ks, dir.blocks, this.pair ? "pair" : "slim");
  }

  // Full segments `js` (sorted) of a blocked word, each cut into its blocks: Map block → Postings.
  async segments(js) {
    const dir = await this.directory();
    const per = this.unit.manifest.segmentBlocks;
    const got = await this.runs(js, dir.segments, "full");
    const out = new Map();
    for (const [j, list] of got) {
      const size = this.unit.manifest.blockPostings;
      for (let k = 0; k * size < list.docs.length; k++) {
        const end = Math.min(list.docs.length, (k + 1) * size);
        const slice = (a) => a.subarray(k * size, end);
        out.set(j * per + k, new Postings(slice(list.docs), slice(list.codes), slice(list.w), slice(list.l)));
      }
    }
    return out;
  }

  async runs(ks, offsets, kind) {
    const out = new Map();
    const groups = [];
    for (const k of ks) {
      const last = groups[groups.length - 1];
      if (last && last[last.length - 1] === k - 1) last.push(k);
      else groups.push([k]);
    }
    await Promise.all(groups.map(async (group) => {
      const start = offsets[group[0]];
      const bytes = await this.compressed(start, offsets[group[group.length - 1] + 1] - start);
      const lists = this.decode(bytes, kind, true);
      group.forEach((k, i) => out.set(k, lists[i] || Postings.empty()));
    }));
    return out;
  }

  // Impact tier i: [Postings, count, frontier of what comes after it].
  async tier(i) {
    const tiers = this.entry.t;
    let at = this.tierAt;
    for (let k = 0; k < i; k++) at += tiers[k][0];
    return this.decode(await this.compressed(at, tiers[i][0]));
  }
}

// A term across the units: its parts (the units whose dictionary holds it, in document order),
// its global document frequency and idf (BM25F's: deleted documents count, as in Whoosh).
export class Term {
  constructor(text, parts, manifest) {
    this.text = text;
    this.parts = parts;
    this.pair = text.includes(" ");
    this.n = parts.reduce((sum, p) => sum + p.n, 0);
    this.df = this.pair ? 0 : parts.reduce((sum, p) => sum + p.entry.df, 0);
    this.idf = this.df ? Math.log(manifest.docCount / (this.df + 1)) + 1 : 0;
    this.full = null; // Postings of every document
    this.slim = null; // the same without length bytes and codes (a word the candidates do not come from)
    this.blocks = new Map(); // global block → Postings (slim blocks, pair blocks, a small part whole)
    this.segments = new Map(); // global block → Postings with length bytes and codes (filtered source)
    this.starts = null; // the first document of each global block, once the parts' directories are read
    this.tiers = []; // impact tiers read so far (Postings), best first
    this.tierIndex = new Map(); // document → [Postings, index] of the tiers read
    this.floor = Infinity; // no posting not yet read scores more (the frontiers of what is left)
    this.pending = null; // the whole list being read ahead
    this.topSlimCost = 0; // blocks the slim list read by the top-k stood for
    this.words = null; // a pair's two words (Terms), set by the engine
    this.exceptions = this.pair && parts.some((p) => p.entry.x); // some part lists the exceptions
    // global block numbers: a blocked part's blocks, or one for a part read whole
    this.blockBase = [];
    let base = 0;
    for (const p of parts) {
      this.blockBase.push(base);
      base += p.blocked ? Math.ceil(p.listed / manifest.blockPostings) : 1;
    }
    this.totalBlocks = base;
  }

  get known() {
    return this.parts.length > 0 && (this.pair ? this.n > 0 : this.df > 0);
  }

  get inline() {
    return this.parts.every((p) => p.entry.p !== undefined);
  }

  // Cut in blocks (some part is): blocks can be read; 0 when the term is read whole only.
  get blockCount() {
    return this.parts.some((p) => p.blocked) ? this.totalBlocks : 0;
  }

  get hasSlim() {
    return !this.pair && this.parts.some((p) => p.blocked);
  }

  // Impact tiers: the most tiers of a part (a part without tiers is read whole with the first).
  get tierCount() {
    return Math.max(0, ...this.parts.map((p) => (p.entry.t ? p.entry.t.length : 0)));
  }

  // The postings of tier i across the parts that have it.
  tierSize(i) {
    return this.parts.reduce((sum, p) => sum + (p.entry.t && p.entry.t[i] ? p.entry.t[i][1] : 0), 0);
  }

  get tiered() {
    return this.parts.some((p) => p.entry.t);
  }

  // Every posting is known: the whole list, or every tier of every tiered part (the others whole).
  get complete() {
    if (this.full) return true;
    return this.tiers.length > 0 && this.tiers.length >= this.tierCount &&
      this.parts.every((p) => !p.entry.t || p.entry.t.reduce((n, t) => n + t[1], 0) === p.n);
  }

  // The part of the unit that holds `doc`, or -1 when that unit has no part of the term.
  partIndex(doc) {
    const parts = this.parts;
    for (let i = parts.length - 1; i >= 0; i--) {
      const unit = parts[i].unit;
      if (doc >= unit.first) return doc < unit.first + unit.count ? i : -1;
    }
    return -1;
  }

  // The global block that holds `doc`'s posting if any (-1 before the starts are read, but for a
  // part read whole, whose one block is known).
  blockOf(doc) {
    const i = this.partIndex(doc);
    if (i < 0) return -1;
    const part = this.parts[i];
    if (!part.blocked) return this.blockBase[i];
    const starts = this.starts;
    if (!starts) return -1;
    let lo = this.blockBase[i];
    let hi = lo + Math.ceil(part.listed / part.unit.manifest.blockPostings) - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // [Postings, index] of `doc`, or null. A pair's part written as exceptions (x): the pair stands
  // in `doc` when both words do (their postings of `doc` must have been read) and it is not listed.
  find(doc) {
    const i = this.partIndex(doc);
    if (i < 0) return null;
    if (this.pair && this.parts[i].entry.x) {
      const [first, second] = this.words;
      if (!first.find(doc) || !second.find(doc)) return null;
      return this.listed(doc) ? null : STANDS;
    }
    return this.listed(doc);
  }

  // The posting of `doc` in the lists read so far.
  listed(doc) {
    if (this.full) {
      const k = this.full.at(doc);
      return k === undefined ? null : [this.full, k];
    }
    const tiered = this.tierIndex.get(doc);
    if (tiered) return tiered;
    for (const map of [this.segments, this.blocks]) {
      if (!map.size) continue;
      const block = map.get(this.blockOf(doc));
      const k = block ? block.at(doc) : undefined;
      if (k !== undefined) return [block, k];
    }
    const j = this.slim ? this.slim.at(doc) : undefined;
    return j === undefined ? null : [this.slim, j];
  }

  // Whether the block of `doc` was read (so that its absence there is known).
  blockRead(doc) {
    const b = this.blockOf(doc);
    return b >= 0 && (this.blocks.has(b) || this.segments.has(b));
  }

  // The starts of every global block (reads the directories of blocked parts).
  async readStarts() {
    if (this.starts) return this.starts;
    const dirs = await Promise.all(this.parts.map((p) => (p.blocked ? p.directory() : null)));
    const starts = [];
    this.parts.forEach((p, i) => {
      if (p.blocked) starts.push(...dirs[i].starts);
      else starts.push(p.unit.first);
    });
    this.starts = starts;
    return starts;
  }

  // The whole list: every part in its own format (a word's with length bytes and codes).
  async readFull() {
    if (!this.full) {
      const lists = await Promise.all(this.parts.map((p) => p.full()));
      this.full ||= Postings.concat(lists.length ? lists : [Postings.empty()]);
    }
    return this.full;
  }

  // A word's slim list: the slim lists of blocked parts, the full lists of the others.
  async readSlim() {
    if (!this.slim) {
      const lists = await Promise.all(this.parts.map((p) => (p.blocked ? p.slim() : p.full())));
      this.slim ||= Postings.concat(lists);
    }
    return this.slim;
  }

  // Global blocks `ks` into this.blocks (a block of a part read whole: the part's whole list).
  async readBlocks(ks) {
    await this.readIntoMap(ks, this.blocks, (part, local) => part.blocks(local));
  }

  // Global blocks `ks` into this.segments, in full format (their full segments are read).
  async readSegments(ks) {
    const per = this.parts.length ? this.parts[0].unit.manifest.segmentBlocks : 1;
    await this.readIntoMap(ks, this.segments, async (part, local) => {
      const js = [...new Set(local.map((k) => Math.floor(k / per)))].sort((a, b) => a - b);
      return part.segments(js);
    });
  }

  async readIntoMap(ks, map, readBlocked) {
    const byPart = new Map();
    for (const k of ks) {
      if (map.has(k)) continue;
      let i = this.blockBase.length - 1;
      while (i > 0 && this.blockBase[i] > k) i--;
      if (!byPart.has(i)) byPart.set(i, []);
      byPart.get(i).push(k - this.blockBase[i]);
    }
    await Promise.all([...byPart].map(async ([i, local]) => {
      const part = this.parts[i];
      if (!part.blocked) {
        map.set(this.blockBase[i], await part.full());
        return;
      }
      local.sort((a, b) => a - b);
      const got = await readBlocked(part, local);
      for (const [k, list] of got) map.set(this.blockBase[i] + k, list);
    }));
  }
}
