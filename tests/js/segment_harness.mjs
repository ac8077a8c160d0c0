// Reads a dictionary folder and a file of lines; prints, per line, jieba's cut and cut_for_search as JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [, , modulePath, dictDir, manifestPath, linesPath] = process.argv;
const { Segmenter } = await import(pathToFileURL(modulePath).href);
const manifest = JSON.parse(readFileSync(manifestPath, "utf-8"));
const seg = new Segmenter(manifest, async (n) => {
  try {
    return readFileSync(join(dictDir, `${n}.txt`), "utf-8");
  } catch {
    return "";
  }
});
const lines = JSON.parse(readFileSync(linesPath, "utf-8"));
const out = [];
for (const line of lines) {
  await seg.prepare(line);
  out.push({ cut: seg.cut(line), search: seg.cutForSearch(line) });
}
process.stdout.write(JSON.stringify({ out }));
