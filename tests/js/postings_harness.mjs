// Reads every listed term of an exported search/ folder with the site's engine (byte ranges of its
// files) in each way the engine reads lists: whole, slim, by blocks, by full segments, by tiers, and
// the document chunks; prints them as JSON for the Python side to compare with the index.
import { readFileSync } from "node:fs";
import { diskEngine } from "./disk_engine.mjs";

const [, , enginePath, searchDir, termsPath] = process.argv;
const { engine } = await diskEngine(enginePath, searchDir);
const arrays = (p) => ({ docs: Array.from(p.docs), weights: Array.from(p.w), codes: Array.from(p.codes), lengths: Array.from(p.l) });
const out = {};
for (const text of JSON.parse(readFileSync(termsPath, "utf-8"))) {
  const [term] = await engine.lookup([text]);
  const row = { n: term.n, df: term.df, full: arrays(await term.readFull()) };
  if (term.hasSlim) row.slim = arrays(await term.readSlim());
  if (term.blockCount) {
    const starts = await term.readStarts();
    const ks = starts.map((_, k) => k);
    await term.readBlocks(ks);
    row.starts = starts;
    row.blocks = ks.map((k) => arrays(term.blocks.get(k)));
    if (!term.pair) {
      await term.readSegments(ks);
      row.segments = ks.map((k) => arrays(term.segments.get(k)));
    }
  }
  row.tiers = [];
  for (let i = 0; i < term.tierCount; i++) {
    const lists = await Promise.all(term.parts.map((p) => (p.entry.t && i < p.entry.t.length ? p.tier(i) : null)));
    row.tiers.push(lists.filter(Boolean).map(arrays));
  }
  out[text] = row;
}
const docs = Array.from({ length: engine.manifest.docCount }, (_, d) => d);
const stored = await engine.documents(docs);
out["\u0000documents"] = docs.map((d) => {
  const s = stored.get(d);
  return s ? [s.id, s.title, s.text, s.reportId, s.url] : null;
});
process.stdout.write(JSON.stringify(out));
