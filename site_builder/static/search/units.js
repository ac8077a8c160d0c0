// The units of the export (site_builder/search/units.py, unit.py): runs of Whoosh segments whose
// documents, term dictionary and filters are files of their own (u<key>/). A term is looked up in
// every unit; document numbers are the unit's own in its files, global here (the unit's first added).
import { BlobArray, Primer, SlottedPacks, fnv1a, inflate, remembered } from "./packs.js";

// The blobs at the start of a unit's meta pack (site_builder/search/unit.py writes them first).
const HEAD = ["termPrimer", "docPrimer", "docSlots"];

export class Unit {
  constructor(manifest, entry, files, deleted) {
    this.manifest = manifest;
    this.entry = entry;
    this.files = files;
    this.deleted = deleted; // a byte per global document (1: deleted), or null
    this.dir = entry.dir;
    this.first = entry.first;
    this.count = entry.count;
    this.terms = new BlobArray(files, entry.terms);
    this.shards = new Map(); // shard number → Promise of {term: entry}
    this.chunkCache = new Map();
    this.primers = new Map();
    this.tables = new Map(); // meta pack blob name → Promise of its JSON
  }

  metaBlob([offset, length]) {
    return this.files.read(`${this.dir}meta.pack`, offset, length);
  }

  // What every query reads, as soon as the page has the manifest: the start of the meta pack (the
  // two primers and the chunks' slots, in one request) and the dictionary's directory.
  warm() {
    for (const promise of [this.primer("termPrimer"), this.slotted(), this.terms.located()]) promise.catch(() => {});
  }

  head() {
    return remembered(this.tables, "head", () => {
      const end = Math.max(...HEAD.map((name) => this.entry[name][0] + this.entry[name][1]));
      return this.metaBlob([0, end]);
    });
  }

  headBlob(name) {
    const [offset, length] = this.entry[name];
    return this.head().then((bytes) => bytes.subarray(offset, offset + length));
  }

  primer(name) {
    return remembered(this.primers, name, () => this.headBlob(name).then((head) => new Primer(head, this.entry[name][2])));
  }

  // The document chunks' packs (their directory read and inflated once).
  slotted() {
    return remembered(this.tables, "slots", () => this.headBlob("docSlots")
      .then(async (bytes) => new SlottedPacks(this.files, `${this.dir}d-`, this.entry.chunksPerPack, await inflate(bytes))));
  }

  shardOf(text) {
    return fnv1a(text) % this.terms.count;
  }

  // The dictionary entries of the shard that holds `text`.
  shard(text) {
    const n = this.shardOf(text);
    return remembered(this.shards, n, () => Promise.all([this.primer("termPrimer"), this.terms.blob(n)])
      .then(async ([primer, blob]) => JSON.parse(new TextDecoder().decode(await primer.inflate(blob)))));
  }

  // Document chunk c (documents first + c * docChunk …): {r: {n: report}, d: [records]}.
  chunk(c) {
    return remembered(this.chunkCache, c, () => Promise.all([this.primer("docPrimer"), this.slotted().then((packs) => packs.blob(c))])
      .then(async ([primer, blob]) => JSON.parse(new TextDecoder().decode(await primer.inflate(blob)))));
  }

  // The unit's filter table and its agencies (site_builder/search/filters.py).
  filters() {
    return this.metaTable("filters");
  }

  agencies() {
    return this.metaTable("agencies");
  }

  // A JSON blob of the meta pack, read once (and again after a failure).
  metaTable(name) {
    return remembered(this.tables, name, () => this.metaJson(this.entry[name]));
  }

  async metaJson(located) {
    const bytes = await this.metaBlob(located);
    return JSON.parse(new TextDecoder().decode(await inflate(bytes)));
  }
}

// The byte per global document of the manifest's deleted runs, or null when none is deleted.
export function deletedDocuments(manifest) {
  const runs = manifest.units.flatMap((u) => u.deleted || []);
  if (!runs.length) return null;
  const out = new Uint8Array(manifest.docCount);
  for (const [start, end] of runs) out.fill(1, start, end);
  return out;
}
