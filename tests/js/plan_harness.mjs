// Runs the golden file of the query plan (tests/golden/query_plan.json) with the site's engine on an
// exported search/ folder read from disk: for each plan case the plan of its query (what
// archive.index.query gives: every clause's tokens, required and optional words, sequence,
// expansions, common words and neighbours; the optional groups), for each results case its total and
// the ids of its top results, in the exact mode and in the default one. Prints them as JSON;
// tests/test_query_plan.py compares them with the file.
import { readFileSync } from "node:fs";
import { diskEngine } from "./disk_engine.mjs";

const [, , enginePath, searchDir, goldenPath] = process.argv;
const { engine, query: Q } = await diskEngine(enginePath, searchDir);
const golden = JSON.parse(readFileSync(goldenPath, "utf-8"));
const defaults = { ...engine.manifest.rules };

// The constants of a case (golden "constants", the manifest's names) over the manifest's own.
function withConstants(constants) {
  engine.manifest.rules = { ...defaults, ...(constants || {}) };
}

const plans = [];
for (const c of golden.plans) {
  withConstants(c.constants);
  const parsed = await engine.parse(c.query);
  plans.push({
    clauses: parsed.clauses.map((k) => ({
      negated: k.negated, quoted: k.quoted, tokens: k.tokens, required: k.required, optional: k.optional,
      sequence: k.sequence, expansions: k.expansions, common: k.common, neighbours: k.neighbours,
    })),
    groups: Q.optionalGroups(parsed),
  });
}
const results = [];
for (const c of golden.results) {
  withConstants(c.constants);
  const ids = async (r) => {
    const docs = await engine.documents(r.hits.map((h) => h.doc));
    return r.hits.map((h) => docs.get(h.doc).id);
  };
  engine.exact = true; // every candidate scored and counted: the total is the command line's
  const exact = await engine.search(c.query, {}, c.limit);
  engine.exact = false; // the default: the best results by impact tiers where they apply
  const fast = await engine.search(c.query, {}, c.limit);
  results.push({ total: exact.total, ids: await ids(exact), topIds: await ids(fast) });
}
process.stdout.write(JSON.stringify({ plans, results }));
