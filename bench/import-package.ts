/**
 * Import benchmark (issue 3, Deliver 8): how importPackage compares with plain `unzip` on a large
 * package, and how much memory it takes. Both make their files durable: unzip is followed by
 * `sync -f`, as the import fsyncs what it extracted (issue 18).
 *
 *   npx tsx bench/import-package.ts
 *
 * Makes a ~200 MB, 2,000-file SCORM 1.2 package in a temp folder, then three times each,
 * alternating: `unzip -q` of the zip into a fresh folder, and importPackage into a fresh SQLite
 * database and DATA_DIR. Each import runs in its own child process, so that neither the package
 * generator nor an earlier run inflates its memory figure; the child reports its import time and
 * its peak RSS above the RSS measured just before the import. Prints the medians against the goals
 * (import <= 1.5x unzip, peak RSS growth < 100 MB). Exits 0 whether or not the goals are met; 1
 * only on an error.
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { ZipArchive } from "archiver";

const RUNS = 3;
const GOAL_RATIO = 1.5;
const GOAL_RSS_BYTES = 100 * 1024 * 1024;
const MB = 1024 * 1024;

// The mix, chosen to look like an exported Storyline/Rise course: most bytes are media that
// deflate cannot shrink (video, audio, images), most files are small text (HTML, JS, CSS, JSON).
const MEDIA_FILES = 398; // random bytes, 50-900 KiB each (mean ~475 KiB): ~185 MiB
const TEXT_FILES = 1_600; // generated markup and script, 2-24 KiB each (mean ~13 KiB): ~21 MiB
// + imsmanifest.xml (lists every file, as authoring tools write it) + index.html = 2,000 files.

interface ImportRun {
  ms: number;
  baselineRss: number;
  peakRssGrowth: number;
  sampledRssGrowth: number;
  /** Whether the import pushed getrusage maxRSS above its value at the baseline. */
  maxRssRaised: boolean;
}

const self = fileURLToPath(import.meta.url);

async function main(): Promise<number> {
  if (spawnSync("unzip", ["-v"], { stdio: "ignore" }).error) {
    console.error("error: the benchmark compares against Debian's unzip, which is not installed.\n  Install it with: apt-get install -y unzip");
    return 1;
  }
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), "lms-bench-import-"));
  const removeRoot = () => fs.rmSync(root, { recursive: true, force: true });
  const onSignal = () => {
    removeRoot();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const zip = path.join(root, "package.zip");
    process.stdout.write("Generating the package... ");
    const made = await makePackage(zip);
    console.log(
      `${made.files} files, ${(made.bytes / MB).toFixed(1)} MB unpacked (${made.media} media files ${(made.mediaBytes / MB).toFixed(1)} MB of random bytes, ` +
        `${made.text} text files ${(made.textBytes / MB).toFixed(1)} MB), zip ${(fs.statSync(zip).size / MB).toFixed(1)} MB, all entries deflated`,
    );
    // Both contenders start from a warm page cache (read through, not into memory: the import
    // children inherit this process's RSS high-water mark, see runChildImport).
    for await (const _chunk of fs.createReadStream(zip, { highWaterMark: 1024 * 1024 }));

    const unzipTimes: number[] = [];
    const imports: ImportRun[] = [];
    for (let run = 1; run <= RUNS; run++) {
      unzipTimes.push(await timeUnzip(zip, path.join(root, `unzip-${run}`)));
      imports.push(await runImportInChild(zip, path.join(root, `data-${run}`)));
      const [unzipMs, imported] = [unzipTimes.at(-1)!, imports.at(-1)!];
      console.log(
        `run ${run}: unzip ${seconds(unzipMs)}, import ${seconds(imported.ms)} (${(imported.ms / unzipMs).toFixed(2)}x), ` +
          `peak RSS growth ${megabytes(imported.peakRssGrowth)} (sampler ${megabytes(imported.sampledRssGrowth)}; ` +
          `maxRSS ${imported.maxRssRaised ? "raised" : "not raised"} by the import)`,
      );
    }

    const unzipMs = median(unzipTimes);
    const importMs = median(imports.map((run) => run.ms));
    const ratio = importMs / unzipMs;
    const rssGrowth = median(imports.map((run) => run.peakRssGrowth));
    const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");
    console.log(`\nMedian of ${RUNS} runs (${os.cpus().length} CPUs, Node ${process.version}):\n`);
    printTable([
      ["measure", "value", "goal", "result"],
      ["unzip -q, then sync -f", seconds(unzipMs), "", ""],
      ["importPackage", seconds(importMs), "", ""],
      ["import / unzip", `${ratio.toFixed(2)}x`, `<= ${GOAL_RATIO}x`, verdict(ratio <= GOAL_RATIO)],
      ["peak RSS growth during import", megabytes(rssGrowth), `< ${GOAL_RSS_BYTES / MB} MB`, verdict(rssGrowth < GOAL_RSS_BYTES)],
    ]);
    console.log("\nPeak RSS growth: the import child's highest RSS during importPackage (a 20 ms sampler, and getrusage maxRSS");
    console.log("whenever the import raised it) minus its RSS just before the import, after a full GC.");
    return 0;
  } catch (error) {
    console.error(`\nerror: ${(error as Error).stack ?? error}`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    removeRoot();
  }
}

/** Runs one import in a fresh process: its own database, DATA_DIR and heap. */
async function runImportInChild(zip: string, dataDir: string): Promise<ImportRun> {
  const child = spawn(process.execPath, [...process.execArgv, "--expose-gc", self, "--child", zip, dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.once("error", reject).once("exit", resolve));
  await fsp.rm(dataDir, { recursive: true, force: true });
  const line = output.split("\n").find((candidate) => candidate.startsWith("RESULT "));
  if (code !== 0 || !line) throw new Error(`the import child exited with ${code}:\n${output}`);
  return JSON.parse(line.slice("RESULT ".length)) as ImportRun;
}

async function runChildImport(zip: string, dataDir: string): Promise<void> {
  // Imported here, not at the top: the parent never loads the server code it measures.
  const { connectDb, migrateLatest } = await import("../server/db/connect.ts");
  const { createClock } = await import("../server/clock.ts");
  const { importPackage } = await import("../server/packages/import-package.ts");
  const { createLocalStorage } = await import("../server/packages/storage.ts");
  const db = connectDb({ sqliteFile: path.join(dataDir, "lms.sqlite") });
  try {
    await migrateLatest(db);
    const storage = createLocalStorage(path.join(dataDir, "packages"));
    (globalThis as { gc?: () => void }).gc?.();
    const baselineRss = process.memoryUsage().rss;
    // getrusage's maxRSS is a high-water mark that Linux carries over fork and exec from the
    // parent: it only says something about the import if the import raised it.
    const maxRssBefore = process.resourceUsage().maxRSS * 1024;
    let sampledPeak = baselineRss;
    const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    await importPackage({ db, clock: createClock(), storage }, zip, { code: "Bench package" });
    const ms = performance.now() - started;
    clearInterval(sampler);
    // When the import did raise maxRSS, that catches any spike between samples too.
    const maxRssAfter = process.resourceUsage().maxRSS * 1024;
    const peakRss = Math.max(sampledPeak, process.memoryUsage().rss, maxRssAfter > maxRssBefore ? maxRssAfter : 0);
    const run: ImportRun = {
      ms,
      baselineRss,
      peakRssGrowth: peakRss - baselineRss,
      sampledRssGrowth: sampledPeak - baselineRss,
      maxRssRaised: maxRssAfter > maxRssBefore,
    };
    process.stdout.write(`RESULT ${JSON.stringify(run)}\n`);
  } finally {
    await db.destroy();
  }
}

/**
 * `unzip -q`, then `sync -f` of the file system it wrote to: since issue 18 the import makes every
 * file durable before it publishes the course (fsync), and unzip alone leaves its files in the
 * page cache, a second or more of disk writes it never waits for.
 */
function timeUnzip(zip: string, into: string): Promise<number> {
  const run = (command: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
      child.once("error", reject).once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
    });
  const started = performance.now();
  return run("unzip", ["-q", zip, "-d", into])
    .then(() => run("sync", ["-f", into]))
    .then(() => performance.now() - started)
    .finally(() => fs.rmSync(into, { recursive: true, force: true }));
}

interface MadePackage {
  files: number;
  bytes: number;
  media: number;
  mediaBytes: number;
  text: number;
  textBytes: number;
}

/** Writes the package zip, one entry at a time: contents are made as archiver reads them. */
async function makePackage(zipFile: string): Promise<MadePackage> {
  const random = seededRandom(20261128);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const media: Array<{ name: string; size: number }> = [];
  const kinds = [["media/video", "mp4"], ["media/audio", "mp3"], ["media/images", "jpg"], ["media/images", "png"]] as const;
  for (let i = 0; i < MEDIA_FILES; i++) {
    const [folder, extension] = kinds[i % kinds.length]!;
    media.push({ name: `${folder}/asset-${String(i).padStart(4, "0")}.${extension}`, size: between(50 * 1024, 900 * 1024) });
  }
  const text: Array<{ name: string; size: number }> = [];
  const textKinds = [["html5/data/js", "js"], ["html5/data/css", "css"], ["story_content", "html"], ["html5/data/json", "json"]] as const;
  for (let i = 0; i < TEXT_FILES; i++) {
    const [folder, extension] = textKinds[i % textKinds.length]!;
    text.push({ name: `${folder}/slide-${String(i).padStart(4, "0")}.${extension}`, size: between(2 * 1024, 24 * 1024) });
  }
  const index = "<!doctype html><html><head><title>Bench course</title></head><body><script>window.API && API.LMSInitialize('');</script></body></html>\n";
  const manifest = manifestListing(["index.html", ...media.map((file) => file.name), ...text.map((file) => file.name)]);

  const archive = new ZipArchive({ zlib: { level: 6 } });
  const written = pipeline(archive, fs.createWriteStream(zipFile));
  const date = new Date("2026-01-01T00:00:00Z");
  archive.append(manifest, { name: "imsmanifest.xml", date });
  archive.append(index, { name: "index.html", date });
  // archiver does not pass on a source stream's error (it would hang): fail the archive instead.
  const add = (name: string, make: () => Buffer) => {
    const source = Readable.from(lazy(make), { objectMode: false });
    source.on("error", (error) => archive.destroy(error));
    archive.append(source, { name, date });
  };
  // Interleaved, as authoring tools write folders in name order rather than by kind.
  for (let i = 0; i < Math.max(media.length, text.length); i++) {
    const file = media[i];
    if (file) add(file.name, () => crypto.randomBytes(file.size));
    for (const textFile of text.slice(i * 4, i * 4 + 4)) {
      const seed = between(1, 2 ** 31);
      add(textFile.name, () => Buffer.from(pseudoText(textFile.size, seed)));
    }
  }
  await archive.finalize();
  await written;
  const mediaBytes = media.reduce((sum, file) => sum + file.size, 0);
  const textBytes = text.reduce((sum, file) => sum + file.size, 0);
  return {
    files: 2 + media.length + text.length,
    bytes: Buffer.byteLength(manifest) + Buffer.byteLength(index) + mediaBytes + textBytes,
    media: media.length,
    mediaBytes,
    text: text.length,
    textBytes,
  };
}

/** An iterable whose single chunk is made only when first read. */
async function* lazy(make: () => Buffer): AsyncGenerator<Buffer> {
  yield make();
}

function manifestListing(files: string[]): string {
  const fileElements = files.map((file) => `      <file href="${file}"/>`).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="BENCH" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>Bench course</title>
    <item identifier="I1" identifierref="R1"><title>Bench course</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html">
${fileElements}
    </resource>
  </resources>
</manifest>
`;
}

const WORDS = ("function var return slide layer state visible true false null this data text " +
  "width height left top opacity timeline cue audio video onClick trigger player var1 score " +
  "<div class=\"slide\"> </div> <span> </span> { } ( ) ; = + 0 1 2 3 42 100 0.5 \"id\": \"name\":").split(" ");

/** Markup-and-script-like text: deflates about 4:1, like real course HTML and JS. */
function pseudoText(size: number, seed: number): string {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const word = random() < 0.15 ? random().toString(36).slice(2, 8) : WORDS[Math.floor(random() * WORDS.length)]!;
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(random() < 0.5 ? " " : "\n").slice(0, size);
}

/** mulberry32: a small deterministic PRNG, so every run makes the same file names and sizes. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  console.log(line(rows[0]!));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows.slice(1)) console.log(line(row));
}

// Last, so that every constant above is initialised before it runs.
if (process.argv[2] === "--child") {
  await runChildImport(process.argv[3]!, process.argv[4]!);
} else {
  process.exitCode = await main();
}
