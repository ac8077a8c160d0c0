// Runs the cases of tests/golden/query_steps.json with the site's scripts: each step of the query plan
// alone (query.js, the function of the step the case names), engine.js's bm25 and length table, and
// snippet.js. The steps that segment or look up affixes use the engine on an exported search/ folder
// read from disk. Prints the outputs as JSON, in the file's order; tests/test_query_steps.py
// compares them with the file.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { diskEngine } from "./disk_engine.mjs";

const [, , enginePath, searchDir, goldenPath] = process.argv;
const { engine, query: Q } = await diskEngine(enginePath, searchDir);
const { fragments } = await import(new URL("snippet.js", pathToFileURL(enginePath)).href);
const golden = JSON.parse(readFileSync(goldenPath, "utf-8"));
const rules = engine.manifest.rules;

// A clause from a case's data, as query.js holds it: what is not given is empty.
function clauseOf(data) {
  const tokens = data.tokens || [];
  let at = 0;
  const offsets = data.offsets || tokens.map((t) => (at += Array.from(t).length) - Array.from(t).length);
  const set = (name) => new Set(data[name] || []);
  const list = (name) => [...(data[name] || [])];
  return {
    text: data.text ?? tokens.join(""), tokens: [...tokens], offsets, quoted: Boolean(data.quoted), negated: Boolean(data.negated),
    edges: set("edges"), cut: set("cut"), whole: set("whole"), expanded: set("expanded"),
    required: list("required"), optional: list("optional"), sequence: list("sequence"), common: list("common"),
    expansions: (data.expansions || []).map((words) => [...words]), spans: data.spans || [0, 0],
    neighbours: (data.neighbours || [[], []]).map((words) => [...words]),
  };
}

const parsedOf = (data) => ({ clauses: data.clauses.map(clauseOf) });
const positions = (sets) => sets.map((s) => [...s].sort((a, b) => a - b));
const isIn = (items) => {
  const set = new Set(items);
  return (x) => set.has(x);
};
const counts = (data) => (word) => data.documents[word] || 0;

function ranks(data, key) {
  const parsed = parsedOf(data);
  return data.documents.map((doc) => Q.sequenceRanks(parsed, rules, isIn(doc.pairs), isIn([...doc.pairs, ...doc.words]))[key]);
}

async function segmented(text) {
  await engine.segmenter.prepare(text);
  return Q.segmentClauses(text, engine.segmenter);
}

// A case's call (its step when it has none) → the step's function in query.js, on the case's input.
const STEP_CALLS = {
  split_clauses: (d) => Q.splitClauses(d.query).map((c) => [c.text, c.quoted, c.negated]),
  segment_clauses: async (d) => (await segmented(d.query)).clauses.map((c) => ({
    tokens: c.tokens, offsets: c.offsets, quoted: c.quoted, negated: c.negated,
  })),
  split_unknown_tokens: (d) => Q.splitUnknown(d.token, isIn(d.known)),
  loosen_query_edges: (d) => positions(Q.loosenQueryEdges(Q.include(parsedOf(d)), rules)),
  split_cut_ending: async (d) => {
    const parsed = await segmented(d.query);
    Q.splitCutEnding(parsed, engine.segmenter, rules);
    return {
      tokens: parsed.clauses.map((c) => c.tokens),
      offsets: parsed.clauses.map((c) => c.offsets),
      edges: positions(Q.cutEndingEdges(Q.include(parsed), engine.segmenter, rules)),
    };
  },
  loosen_single_characters: (d) => positions(Q.loosenSingleCharacters(Q.include(parsedOf(d)), rules)),
  keep_one_required: (d) => {
    const clauses = Q.include(parsedOf(d));
    const layers = ["query_edges", "cut_ending", "single_characters"].map((name) => d[name].map((p) => new Set(p)));
    Q.keepOneRequired(clauses, ...layers);
    return clauses.map((c) => ({ edges: positions([c.edges])[0], cut: positions([c.cut])[0], whole: positions([c.whole])[0] }));
  },
  expand_cut_edges: async (d) => {
    const parsed = parsedOf(d);
    const affixes = await engine.affixLookup().prepare(parsed);
    Q.expandCutEdges(parsed, affixes);
    return parsed.clauses.map((c) => ({ expansions: c.expansions, expanded: positions([c.expanded])[0], spans: c.spans }));
  },
  keep_whole_edges: (d) => {
    const parsed = parsedOf(d);
    Q.keepWholeEdges(parsed, isIn(d.known));
    return parsed.clauses.map((c) => ({ edges: positions([c.edges])[0], cut: positions([c.cut])[0] }));
  },
  check_phrases: (d) => Q.matchesPhrases(parsedOf(d), isIn(d.pairs)),
  exclude_clauses: (d) => Q.exclusionGroups(parsedOf(d)),
  rerank_by_sequence: (d) => ranks(d, 0),
  rank_edge_neighbours: (d) => ranks(d, 1),
  drop_common_neighbours: (d) => Q.dropCommonNeighbours(parsedOf(d), counts(d), rules).clauses.map((c) => c.neighbours),
  rank_optional_groups: (d) => ({ groups: Q.optionalGroups(parsedOf(d)), held: ranks(d, 2) }),
  drop_common_words: (d) => Q.dropCommon(parsedOf(d), counts(d), d.total, rules).clauses.map((c) => ({
    required: c.required, optional: c.optional, common: c.common, expansions: c.expansions,
  })),
};

const steps = [];
for (const c of golden.steps) steps.push(await STEP_CALLS[c.call || c.step](c.input));

// engine.bm25 reads B, K1 and the average length from the manifest: each case's own, for its call
const manifest = engine.manifest;
const bm25 = golden.bm25.map((c) => {
  engine.manifest = { ...manifest, B: c.B, K1: c.K1, avgfl: [c.avgfl] };
  return engine.bm25(c.idf, c.tf, c.length_byte);
});
engine.manifest = manifest;
const lengths = golden.lengths.map((c) => manifest.lengths[c.byte]);
const snippets = golden.snippets.map((c) => fragments(c.text, c.terms, c.width ?? 120));
process.stdout.write(JSON.stringify({ steps, bm25, lengths, snippets }));
