// The filters of archive search (ArchiveSearcher._filter): part and kind from each posting's code,
// year, agency and region from the units' filter tables (site_builder/search/filters.py).

import { remembered } from "./packs.js";

// Each engine's tables, read once (remembered).
const engineTables = new WeakMap();

function tablesOf(engine) {
  if (!engineTables.has(engine)) engineTables.set(engine, new Map());
  return engineTables.get(engine);
}

// The units' tables as one: every document's report, each report's agency and year.
function filterTable(engine) {
  return remembered(tablesOf(engine), "filters", () =>
    Promise.all(engine.units.map((u) => u.filters())).then((tables) => {
      const docReport = new Int32Array(engine.manifest.docCount).fill(-1);
      const reports = [];
      const runs = []; // [start, end, report] global
      let agencyBase = 0;
      tables.forEach((table, u) => {
        const unit = engine.units[u];
        const reportBase = reports.length / 2;
        for (let i = 0; i < table.reports.length; i += 2) reports.push(table.reports[i] + agencyBase, table.reports[i + 1]);
        agencyBase += table.agencyCount;
        let doc = unit.first;
        for (let i = 0; i < table.runs.length; i += 3) {
          doc += table.runs[i];
          const report = table.runs[i + 2] + reportBase;
          docReport.fill(report, doc, doc + table.runs[i + 1]);
          runs.push([doc, doc + table.runs[i + 1], report]);
          doc += table.runs[i + 1];
        }
      });
      return { docReport, reports, runs };
    }));
}

// The units' agencies as one list, in the numbering of filterTable's reports.
function agencyTable(engine) {
  return remembered(tablesOf(engine), "agencies", () =>
    Promise.all(engine.units.map((u) => u.agencies())).then((lists) => lists.flat()));
}

// The filters as {test(doc, code), ranges} (ranges: sorted [start, end) runs of the documents the
// year/agency/region filters allow, or null); null when none is set.
export async function filterPredicate(engine, filters) {
  const m = engine.manifest;
  const tests = [];
  let ranges = null;
  if (filters.part) {
    const part = m.parts.indexOf(filters.part.trim().replace(/、+$/u, ""));
    tests.push((doc, code) => part > 0 && code >> 1 === part);
  }
  if (filters.kind) {
    const kind = m.kinds.indexOf(filters.kind);
    tests.push((doc, code) => (code & 1) === kind);
  }
  if (filters.year || filters.agency || filters.region) {
    const table = await filterTable(engine);
    const anyAgency = !filters.agency && !filters.region;
    const known = anyAgency ? [] : await agencyTable(engine);
    const matchIn = (column, text) => {
      const values = new Set(known.map((a) => a[column]).filter(Boolean));
      return values.has(text) ? [text] : [...values].filter((v) => v.includes(text));
    };
    const agencyNames = filters.agency ? new Set(matchIn(0, filters.agency)) : null;
    const regionValues = filters.region ? [1, 2, 3].map((c) => new Set(matchIn(c, filters.region))) : null;
    const agencies = new Set();
    known.forEach((a, i) => {
      const agencyOk = !agencyNames || agencyNames.has(a[0]);
      const regionOk = !regionValues || regionValues.some((set, c) => set.has(a[c + 1]));
      if (agencyOk && regionOk) agencies.add(i);
    });
    const year = filters.year ? Number(filters.year) : null;
    const reportOk = (r) => r >= 0 && (year === null || table.reports[2 * r + 1] === year) &&
      (anyAgency || agencies.has(table.reports[2 * r]));
    ranges = table.runs.filter(([, , r]) => reportOk(r)).map(([a, b]) => [a, b]);
    tests.push((d) => reportOk(table.docReport[d]));
  }
  if (!tests.length) return null;
  return { test: (doc, code) => tests.every((t) => t(doc, code)), ranges };
}
