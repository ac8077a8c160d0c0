// Parses queries with the site's engine on an exported search/ folder read from disk; prints, per
// query, each included clause's required and optional tokens, sequence and rule 4 (d) expansions.
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const [, , enginePath, searchDir, queriesPath] = process.argv;
const { SearchEngine } = await import(pathToFileURL(enginePath).href);
const Q = await import(new URL("query.js", pathToFileURL(enginePath)).href);
const base = pathToFileURL(searchDir.endsWith("/") ? searchDir : `${searchDir}/`).href;
const fetched = [];
const engine = new SearchEngine(base, async (url) => {
  fetched.push(url.slice(base.length));
  return new Uint8Array(readFileSync(fileURLToPath(url)));
});
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
process.stdout.write(JSON.stringify({ out, fetched }));
