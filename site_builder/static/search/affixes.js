// expand_cut_edges of the query plan: the indexed words that end (begin) with a query's first (last)
// characters, read from the shards of site_builder/search/affixes.py (sfx, pfx).
import { fnv1a } from "./packs.js";
import { edgeAffixes } from "./query.js";

export class Affixes {
  // entry: the manifest's "affixes" ({max, words, keyChars, sfx, pfx, sfxSplit, pfxSplit});
  // load(kind, n) → Promise of shard n of kind "sfx" or "pfx" (its parsed JSON).
  constructor(entry, load) {
    this.entry = entry;
    this.load = load;
    this.maxLength = entry.max;
    this.words = entry.words;
    this.split = { sfx: new Set(entry.sfxSplit || []), pfx: new Set(entry.pfxSplit || []) };
    this.shards = new Map(); // "sfx/3" → {affix: [the words' other characters, …]}
  }

  // affixes.shard_key: the affix's first (sfx) or last (pfx) keyChars characters, one more for as
  // long as those are a split key and the affix is longer.
  shardPath(kind, affix) {
    const chars = Array.from(affix);
    const take = (n) => (kind === "sfx" ? chars.slice(0, n) : chars.slice(Math.max(0, chars.length - n))).join("");
    let n = this.entry.keyChars;
    while (n < chars.length && this.split[kind].has(take(n))) n++;
    return `${kind}/${fnv1a(take(n)) % this.entry[kind]}`;
  }

  // Fetch the shards the cut edges of `parsed` need (two for an edge, rarely more); returns this.
  async prepare(parsed) {
    const edges = edgeAffixes(parsed, this.maxLength);
    const paths = new Set([
      ...edges.head.map((s) => this.shardPath("sfx", s)),
      ...edges.tail.map((s) => this.shardPath("pfx", s)),
    ]);
    await Promise.all([...paths].filter((p) => !this.shards.has(p)).map(async (p) => {
      let shard = {};
      try {
        const [kind, n] = p.split("/");
        shard = (await this.load(kind, Number(n))) || {};
      } catch {
        // a shard that cannot be read expands nothing
      }
      this.shards.set(p, shard);
    }));
    return this;
  }

  lookup(kind, affix) {
    const shard = this.shards.get(this.shardPath(kind, affix));
    return shard && Object.hasOwn(shard, affix) ? shard[affix] : [];
  }

  // The indexed words ending with `suffix` (longer than it), best first.
  endingWith(suffix) {
    return this.lookup("sfx", suffix).map((rest) => rest + suffix);
  }

  // The indexed words beginning with `prefix` (longer than it), best first.
  beginningWith(prefix) {
    return this.lookup("pfx", prefix).map((rest) => prefix + rest);
  }
}
