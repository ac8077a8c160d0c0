// The site's search engine on an exported search/ folder read from disk, as a server answering byte
// ranges would give it; with its query module (query.js beside engine.js).
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export async function diskEngine(enginePath, searchDir) {
  const { SearchEngine } = await import(pathToFileURL(enginePath).href);
  const query = await import(new URL("query.js", pathToFileURL(enginePath)).href);
  const base = pathToFileURL(searchDir.endsWith("/") ? searchDir : `${searchDir}/`).href;
  const engine = new SearchEngine(base, async (url, start, end) => {
    const bytes = new Uint8Array(readFileSync(fileURLToPath(url)));
    return { bytes: end === null ? bytes : bytes.subarray(start, end), whole: end === null };
  });
  await engine.init();
  return { engine, query };
}
