// jieba's segmentation (cut without HMM, and cut_for_search), on a dictionary exported
// at build time and fetched in shards by a word's first character.
// It gives the same tokens as the Python index for any text.

const RE_HAN = /([\u4E00-\u9FD5a-zA-Z0-9+#&._%-]+)/;
const RE_HAN_WHOLE = /^[\u4E00-\u9FD5a-zA-Z0-9+#&._%-]+$/;
const RE_SKIP = /(\r\n|\s)/;
const RE_ENG1 = /^[a-zA-Z0-9]$/;

export class Segmenter {
  // loadShard(number) resolves to the shard's text: one "word<TAB>weight" line per word, where
  // weight is log(freq) - log(total) as Python computed it (empty for a word of frequency 0).
  constructor(manifest, loadShard) {
    this.shards = manifest.shards;
    this.logtotal = parseFloat(manifest.logtotal);
    this.loadShard = loadShard;
    this.known = new Set(); // every word and every prefix of a word: jieba's FREQ keys
    this.weight = new Map(); // word of frequency > 0 → log(freq) - log(total)
    this.loaded = new Map(); // shard number → promise
  }

  shardOf(ch) {
    return ch.codePointAt(0) % this.shards;
  }

  // Fetch the shards that segmenting `text` needs (one per distinct character).
  async prepare(text) {
    const wanted = new Set();
    for (const ch of text) wanted.add(this.shardOf(ch));
    await Promise.all([...wanted].map((n) => this.loadOne(n)));
  }

  loadOne(n) {
    if (!this.loaded.has(n)) {
      this.loaded.set(n, this.loadShard(n).then((body) => this.addShard(body)));
    }
    return this.loaded.get(n);
  }

  addShard(body) {
    for (const line of body.split("\n")) {
      if (!line) continue;
      const tab = line.lastIndexOf("\t");
      const word = line.slice(0, tab);
      const w = line.slice(tab + 1);
      if (w) this.weight.set(word, parseFloat(w));
      let frag = "";
      for (const ch of word) {
        frag += ch;
        this.known.add(frag);
      }
    }
  }

  // jieba.Tokenizer.get_DAG + calc + __cut_DAG_NO_HMM on one block of Han/alphanumeric text.
  cutBlock(sentence) {
    const chars = Array.from(sentence);
    const n = chars.length;
    const dag = new Array(n);
    for (let k = 0; k < n; k++) {
      const ends = [];
      let i = k;
      let frag = chars[k];
      while (i < n && this.known.has(frag)) {
        if (this.weight.has(frag)) ends.push(i);
        i += 1;
        frag = frag + (chars[i] ?? "");
      }
      if (!ends.length) ends.push(k);
      dag[k] = ends;
    }
    const routeScore = new Array(n + 1);
    const routeEnd = new Array(n + 1);
    routeScore[n] = 0;
    routeEnd[n] = 0;
    for (let idx = n - 1; idx >= 0; idx--) {
      let bestScore = -Infinity;
      let bestEnd = -1;
      for (const x of dag[idx]) {
        const word = chars.slice(idx, x + 1).join("");
        const w = this.weight.has(word) ? this.weight.get(word) : 0 - this.logtotal;
        const score = w + routeScore[x + 1];
        // Python's max() over (score, x) tuples: on a tie the larger x wins.
        if (score > bestScore || (score === bestScore && x > bestEnd)) {
          bestScore = score;
          bestEnd = x;
        }
      }
      routeScore[idx] = bestScore;
      routeEnd[idx] = bestEnd;
    }
    const out = [];
    let buf = "";
    let x = 0;
    while (x < n) {
      const y = routeEnd[x] + 1;
      const word = chars.slice(x, y).join("");
      if (y - x === 1 && RE_ENG1.test(word)) {
        buf += word;
      } else {
        if (buf) {
          out.push(buf);
          buf = "";
        }
        out.push(word);
      }
      x = y;
    }
    if (buf) out.push(buf);
    return out;
  }

  // jieba.Tokenizer.cut(sentence, HMM=False)
  cut(sentence) {
    const out = [];
    for (const blk of sentence.split(RE_HAN)) {
      if (!blk) continue;
      if (RE_HAN_WHOLE.test(blk)) {
        out.push(...this.cutBlock(blk));
      } else {
        for (const x of blk.split(RE_SKIP)) {
          if (!x) continue;
          if (RE_SKIP.test(x) && (x === "\r\n" || x.length === 1)) out.push(x);
          else out.push(...Array.from(x));
        }
      }
    }
    return out;
  }

  // jieba.Tokenizer.cut_for_search(sentence, HMM=False)
  cutForSearch(sentence) {
    const out = [];
    for (const w of this.cut(sentence)) {
      const chars = Array.from(w);
      if (chars.length > 2) {
        for (let i = 0; i < chars.length - 1; i++) {
          const g = chars[i] + chars[i + 1];
          if (this.weight.has(g)) out.push(g);
        }
      }
      if (chars.length > 3) {
        for (let i = 0; i < chars.length - 2; i++) {
          const g = chars[i] + chars[i + 1] + chars[i + 2];
          if (this.weight.has(g)) out.push(g);
        }
      }
      out.push(w);
    }
    return out;
  }
}
