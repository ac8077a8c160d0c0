// The search page: reads the query and filters from the URL, searches the static index, draws results.
// Report text is only ever inserted as text; the only elements made from it are our own <mark>s.
import { SearchEngine } from "./engine.js";
import { fragments } from "./snippet.js";

const PAGE_SIZE = 10;
const FILTERS = ["year", "region", "agency", "part", "kind"];
const PARTS = ["一", "二", "三", "四", "五", "六"];
const KIND_LABELS = { section: "章节", table_row: "表格行" };
const SITE_ROOT = new URL("../../", import.meta.url);
const engine = new SearchEngine(new URL("search/", SITE_ROOT).href);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children) node.append(child);
  return node;
}

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "", page: Math.max(1, parseInt(params.get("page") || "1", 10) || 1) };
  for (const f of FILTERS) state[f] = params.get(f) || "";
  return state;
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const f of FILTERS) if (state[f]) params.set(f, state[f]);
  if (state.page > 1) params.set("page", String(state.page));
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

function select(name, label, options) {
  const id = `search-${name}`;
  const box = el("select", { id, name });
  box.append(el("option", { value: "", text: "全部" }));
  for (const [value, text] of options) box.append(el("option", { value, text }));
  return el("div", { class: "search-filter" }, el("label", { for: id, text: label }), box);
}

function input(name, label, placeholder) {
  const id = `search-${name}`;
  return el(
    "div",
    { class: "search-filter" },
    el("label", { for: id, text: label }),
    el("input", { id, name, type: "text", placeholder, autocomplete: "off" }),
  );
}

function setupForm(manifest) {
  const form = document.getElementById("search-form");
  const filters = document.getElementById("search-filters");
  if (filters && !filters.childElementCount) {
    filters.append(
      select("year", "年度", manifest.years.map((y) => [String(y), `${y}年`])),
      input("region", "地区", "如：山东"),
      input("agency", "机关", "如：温县"),
      select("part", "部分", PARTS.map((p) => [p, `${p}、`])),
      select("kind", "类型", Object.entries(KIND_LABELS)),
    );
  }
  return form;
}

function fillForm(form, state) {
  form.elements.q.value = state.q;
  for (const f of FILTERS) if (form.elements[f]) form.elements[f].value = state[f];
}

function readForm(form) {
  const state = { q: form.elements.q.value.trim(), page: 1 };
  for (const f of FILTERS) state[f] = form.elements[f] ? form.elements[f].value.trim() : "";
  return state;
}

function marked(node, parts) {
  for (const [part, hit] of parts) node.append(hit ? el("mark", { text: part }) : document.createTextNode(part));
  return node;
}

function snippetNode(text, terms) {
  return marked(el("p", { class: "search-snippet" }), fragments(text, terms));
}

function resultNode(doc, terms) {
  const href = new URL(doc.url + (doc.anchor ? `#${encodeURIComponent(doc.anchor)}` : ""), SITE_ROOT).href;
  const kind = KIND_LABELS[doc.kind] || doc.kind;
  const meta = [doc.agency || "（未识别机关）", doc.year ? `${doc.year}年` : "年份不详", kind].join(" · ");
  return el(
    "li",
    { class: "search-hit", "data-id": doc.id },
    el("p", { class: "search-meta", text: meta }),
    el("h3", {}, marked(el("a", { href }), fragments(doc.title || doc.id, terms, Infinity))),
    snippetNode(doc.text || doc.title || "", terms),
  );
}

function pager(state, total) {
  const pages = Math.ceil(total / PAGE_SIZE);
  const nav = el("nav", { class: "search-pager", "aria-label": "翻页" });
  if (pages <= 1) return nav;
  const link = (page, text, rel) =>
    el("a", { href: urlFor({ ...state, page }), "data-page": page, rel, text });
  if (state.page > 1) nav.append(link(state.page - 1, "上一页", "prev"));
  nav.append(el("span", { text: `第 ${state.page} / ${pages} 页` }));
  if (state.page < pages) nav.append(link(state.page + 1, "下一页", "next"));
  return nav;
}

let generation = 0;

async function run(state) {
  const mine = ++generation;
  const started = performance.now();
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const pagerBox = document.getElementById("search-pager");
  document.body.dataset.searchState = "busy";
  if (!state.q) {
    status.textContent = "";
    list.replaceChildren();
    pagerBox.replaceChildren();
    document.body.dataset.searchState = "idle";
    return;
  }
  try {
    const filters = {};
    for (const f of FILTERS) if (state[f]) filters[f] = state[f];
    const limit = state.page * PAGE_SIZE;
    const response = await engine.search(state.q, filters, limit, (state.page - 1) * PAGE_SIZE);
    const shown = response.hits.slice((state.page - 1) * PAGE_SIZE, limit);
    const docs = await engine.documents(shown.map((h) => h.doc));
    if (mine !== generation) return;
    list.replaceChildren(...shown.map((h) => resultNode(docs.get(h.doc), response.terms)));
    if (response.total === 0) {
      status.replaceChildren(el("span", { text: `没有找到与“${state.q}”相符的结果。` }));
      if (response.suggestion) {
        const better = { ...state, q: response.suggestion, page: 1 };
        status.append(
          el("span", { text: " 您是不是要找：" }),
          el("a", { href: urlFor(better), class: "search-suggestion", "data-q": response.suggestion, text: response.suggestion }),
        );
      }
    } else {
      // the count is estimated when the best results were found without reading every candidate
      status.textContent = (response.totalEstimated ? `约 ${response.total} 个结果` : `共 ${response.total} 个结果`) +
        (response.totalCapped ? "（含短语的查询只在得分最高的 1000 个文档中核对短语）" : "");
    }
    pagerBox.replaceChildren(pager(state, response.total));
    document.title = `${state.q} · 搜索`;
    document.body.dataset.searchState = "done";
    window.__searchDone = performance.now();
    window.__searchLast = { ms: window.__searchDone - started, total: response.total };
  } catch (error) {
    if (mine !== generation) return;
    status.textContent = `搜索出错：${error.message}`;
    document.body.dataset.searchState = "error";
  }
}

async function main() {
  const app = document.getElementById("search-app");
  if (!app) return;
  const manifest = await engine.init();
  if (manifest.empty) {
    document.getElementById("search-status").textContent =
      "本网站生成时还没有建立搜索索引，暂时无法在网页中搜索（请先运行 archive ingest，再运行 archive build）。";
    document.body.dataset.searchReady = "1";
    document.body.dataset.searchState = "error";
    return;
  }
  const form = setupForm(manifest);
  fillForm(form, stateFromUrl());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const state = readForm(form);
    history.pushState(null, "", urlFor(state));
    run(state);
  });
  app.addEventListener("click", (event) => {
    const a = event.target.closest("a[data-page], a[data-q]");
    if (!a || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    history.pushState(null, "", a.getAttribute("href"));
    const state = stateFromUrl();
    fillForm(form, state);
    run(state);
  });
  window.addEventListener("popstate", () => {
    const state = stateFromUrl();
    fillForm(form, state);
    run(state);
  });
  document.body.dataset.searchReady = "1";
  run(stateFromUrl());
}

main();
