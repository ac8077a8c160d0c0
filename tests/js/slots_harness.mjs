// Reads every blob of slotted packs written by codec.SlottedPacks with the site's packs.js (from
// disk, as a server answering byte ranges would give them): prints them as hex, in order, and the
// number of reads.
// node slots_harness.mjs PACKS_JS FOLDER PREFIX PER_PACK DIRECTORY_FILE
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const [packsPath, folder, prefix, perPack, directoryFile] = process.argv.slice(2);
const { Files, SlottedPacks, inflate } = await import(pathToFileURL(packsPath).href);
let reads = 0;
const files = new Files(pathToFileURL(`${folder}/`).href, async (url, start, end) => {
  reads++;
  const bytes = new Uint8Array(readFileSync(fileURLToPath(url)));
  return { bytes: end === null ? bytes : bytes.subarray(start, end), whole: end === null };
});
const slots = await inflate(new Uint8Array(readFileSync(directoryFile)));
const packs = new SlottedPacks(files, prefix, Number(perPack), slots);
const out = [];
for (let i = 0; i < packs.size.length; i++) out.push(Buffer.from(await packs.blob(i)).toString("hex"));
console.log(JSON.stringify({ blobs: out, reads }));
