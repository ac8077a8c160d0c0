// The transport and codec of the search files (docs/search-format.md): byte ranges of pack files,
// raw deflate inflated with DecompressionStream, varints, FNV-1a, and the numbered blobs of a pack.

// An empty final deflate block: ends a run of segments cut with Z_FULL_FLUSH (codec.FINAL_BLOCK).
const FINAL_BLOCK = new Uint8Array([3, 0]);

// FNV-1a (32 bits) of the UTF-8 bytes, as codec.fnv1a.
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function fromBase64(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// cache.get(key), made by make() the first time (a promise); forgotten when it fails, to be read again.
export function remembered(cache, key, make) {
  if (!cache.has(key)) {
    const promise = make();
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return cache.get(key);
}

// Raw deflate of the concatenated parts. Written to and read from the stream directly: going
// through a Blob and a Response costs about a millisecond a call (the blob registry), seven times
// the inflating of a document chunk.
export async function inflate(...parts) {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  for (const part of parts) writer.write(part).catch(() => {}); // a failure is the reader's to report
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// A run of segments of a segmented stream (codec.SegmentedStream).
export function inflateSegments(bytes) {
  return inflate(bytes, FINAL_BLOCK);
}

// Reads a byte array front to back: single bytes and varints (7 bits a byte, low first).
export class ByteReader {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.i = at;
  }

  get done() {
    return this.i >= this.bytes.length;
  }

  byte() {
    return this.bytes[this.i++];
  }

  varint() {
    const bytes = this.bytes;
    let b = bytes[this.i++];
    if (b < 0x80) return b;
    let n = b & 0x7f;
    let scale = 0x80;
    do {
      b = bytes[this.i++];
      n += (b & 0x7f) * scale;
      scale *= 0x80;
    } while (b & 0x80);
    return n;
  }

  varints(count) {
    const out = new Array(count);
    for (let k = 0; k < count; k++) out[k] = this.varint();
    return out;
  }
}

// fetchRange(url, start, end) → Promise<{bytes, whole}>: the bytes [start, end) of the file, or
// (whole: true) the whole file when the server ignored the Range header (status 200).
async function fetchRange(url, start, end) {
  const headers = end === null ? {} : { Range: `bytes=${start}-${end - 1}` };
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, whole: end === null || response.status !== 206 };
}

// The search folder's files, read in byte ranges. A server that ignores Range sends whole files:
// each is then read once and kept (pack files are a few hundred kilobytes), and the results are
// the same. Until a first answer tells which kind of server it is, a file has one request on its
// way at a time (the others wait for it), so that such a server sends each file once.
export class Files {
  constructor(base, fetcher = fetchRange) {
    this.base = base;
    this.fetcher = fetcher;
    this.ranges = new Map(); // "path offset length" → Promise<Uint8Array>
    this.wholes = new Map(); // path → Promise<Uint8Array>
    this.probes = new Map(); // path → its request on its way while the kind of server is not known
    this.rangesHonoured = false;
    this.rangesIgnored = false;
  }

  url(path) {
    return new URL(path, this.base).href;
  }

  file(path) {
    return remembered(this.wholes, path, () => this.fetcher(this.url(path), 0, null).then((r) => r.bytes));
  }

  // The bytes [offset, offset + length) of a file.
  read(path, offset, length) {
    return remembered(this.ranges, `${path} ${offset} ${length}`, () => {
      const ahead = this.rangesHonoured ? null : this.probes.get(path);
      if (ahead) {
        const after = () => this.readRange(path, offset, length);
        return ahead.then(after, after);
      }
      const promise = this.readRange(path, offset, length);
      if (!this.rangesHonoured) {
        this.probes.set(path, promise);
        const done = () => this.probes.delete(path);
        promise.then(done, done);
      }
      return promise;
    });
  }

  readRange(path, offset, length) {
    if (this.wholes.has(path) || this.rangesIgnored) {
      return this.file(path).then((bytes) => bytes.subarray(offset, offset + length));
    }
    return this.fetcher(this.url(path), offset, offset + length).then((r) => {
      if (!r.whole) {
        this.rangesHonoured = true;
        return r.bytes;
      }
      this.rangesIgnored = true;
      if (!this.wholes.has(path)) this.wholes.set(path, Promise.resolve(r.bytes));
      return r.bytes.subarray(offset, offset + length);
    });
  }

  async json(path) {
    return JSON.parse(new TextDecoder().decode(await this.file(path)));
  }
}

// Numbered blobs in packs, their lengths listed in the manifest (codec.BlobArray.directory).
export class BlobArray {
  constructor(files, directory) {
    this.files = files;
    this.prefix = directory.file;
    this.count = directory.count;
    this.packs = directory.packs;
    this.directory = directory;
    this.offsets = null; // Promise of [pack of blob i, offset of blob i, length of blob i] arrays
  }

  located() {
    if (!this.offsets) {
      this.offsets = inflate(fromBase64(this.directory.lengths)).then((bytes) => {
        const lengths = new ByteReader(bytes).varints(this.count);
        const pack = new Int32Array(this.count);
        const offset = new Float64Array(this.count);
        let p = -1;
        let at = 0;
        for (let i = 0; i < this.count; i++) {
          if (p + 1 < this.packs.length && this.packs[p + 1] === i) {
            p++;
            at = 0;
          }
          pack[i] = p;
          offset[i] = at;
          at += lengths[i];
        }
        return { pack, offset, lengths };
      });
    }
    return this.offsets;
  }

  async blob(i) {
    const { pack, offset, lengths } = await this.located();
    if (!lengths[i]) return new Uint8Array(0);
    return this.files.read(`${this.prefix}${pack[i]}.pack`, offset[i], lengths[i]);
  }
}

// The unit of the slots of slotted packs (codec.SLOT).
const SLOT = 64;

// Numbered blobs in packs of `perPack` each, each in a slot whose last byte is its padding's length
// (codec.SlottedPacks); `slots` is the inflated directory: each slot's size in SLOTs (varints).
export class SlottedPacks {
  constructor(files, prefix, perPack, slots) {
    this.files = files;
    this.prefix = prefix;
    this.perPack = perPack;
    const sizes = [];
    for (const input = new ByteReader(slots); !input.done;) sizes.push(input.varint());
    this.offset = new Float64Array(sizes.length); // of each slot in its pack
    this.size = new Float64Array(sizes.length);
    let at = 0;
    sizes.forEach((n, i) => {
      if (i % perPack === 0) at = 0;
      this.offset[i] = at;
      this.size[i] = n * SLOT;
      at += n * SLOT;
    });
  }

  async blob(i) {
    if (!(i < this.size.length)) throw new Error(`no blob ${i} in ${this.prefix}`);
    const slot = await this.files.read(`${this.prefix}${Math.floor(i / this.perPack)}.pack`, this.offset[i], this.size[i]);
    return slot.subarray(0, slot.length - slot[slot.length - 1]);
  }
}

// Blobs compressed after a shared primer (codec.PrimedStream): `head` is the compressed primer,
// `length` its size once inflated.
export class Primer {
  constructor(head, length) {
    this.head = head;
    this.length = length;
  }

  async inflate(blob) {
    return (await inflate(this.head, blob)).subarray(this.length);
  }
}
