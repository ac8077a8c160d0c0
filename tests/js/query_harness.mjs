// Parses queries with the site's engine on an exported search/ folder read from disk (byte ranges
// of its files); prints, per query, each included clause's required and optional tokens, sequence
// and expand_cut_edges expansions, and which blobs of the query files the engine read.
import { readFileSync } from "node:fs";
import { diskEngine } from "./disk_engine.mjs";

const [, , enginePath, searchDir, queriesPath] = process.argv;
const { engine, query: Q } = await diskEngine(enginePath, searchDir);
const blobs = [];
const read = engine.queryBlobs.blob.bind(engine.queryBlobs);
engine.queryBlobs.blob = async (i) => {
  const bytes = await read(i);
  blobs.push([i, bytes.length]);
  return bytes;
};
const out = [];
for (const text of JSON.parse(readFileSync(queriesPath, "utf-8"))) {
  const parsed = await engine.parse(text);
  out.push({
    clauses: Q.include(parsed).map((c) => ({
      tokens: c.tokens, required: c.required, optional: c.optional, sequence: c.sequence, expansions: c.expansions,
    })),
    groups: Q.optionalGroups(parsed),
  });
}
process.stdout.write(JSON.stringify({ out, blobs, affixes: engine.manifest.affixes }));
