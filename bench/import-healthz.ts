/**
 * Health during the largest import (issue 18, Deliver 1): while an author uploads a package whose
 * manifest is at every PACKAGE_MAX_* limit, does the server keep answering /healthz, and how much
 * memory does the import take?
 *
 *   npm run bench:import-healthz
 *
 * The LMS is `server/main.ts` in a process of its own (SQLite, a fresh DATA_DIR); this process
 * logs in as an author and uploads the package through the upload page, as a browser does, while
 * it asks /healthz every 25 ms and reads the server's RSS from /proc. The baseline is /healthz
 * asked the same way, in the same run, for 3 s before the upload. Prints the slowest answer during
 * the import beside the baseline's (goal: under 2 s, a load balancer's patience), the longest the
 * server's event loop was held up, as /healthz reports it (goal: under 50 ms, "a few tens"), and
 * the RSS growth (goal: under 200 MB). Exits 0 whether or not the goals are met; 1 only on an error.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ZipArchive } from "archiver";
import { DEFAULT_MANIFEST_LIMITS } from "../server/scorm/manifest/manifest-limits.ts";
import { MAX_TITLE_CHARACTERS } from "../server/scorm/manifest/titles.ts";
import { defaultZipLimits } from "../server/packages/zip-scan.ts";
import { serverNodeFlags } from "../scripts/node-flags.mjs";
import { logIn } from "./http.ts";

const GOAL_HEALTHZ_MS = 2_000;
// "Never block the event loop for more than a few tens of milliseconds."
const GOAL_STALL_MS = 50;
const GOAL_RSS_BYTES = 200 * 1024 * 1024;
const POLL_MS = 25;
const MB = 1024 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * A SCORM 2004 manifest at every limit: items nested 20 deep, a resource each listing 20 files, 4
 * rules each, every item's title as long as a title is kept (200 characters); and as many files in
 * the zip as PACKAGE_MAX_ENTRIES allows, spread over the resources. Only padding (whitespace,
 * comments, longer names) makes a larger manifest the server takes, up to PACKAGE_MAX_MANIFEST_BYTES.
 */
function largestManifest(): { xml: string; files: string[] } {
  const { maxItems, maxDepth, maxFilesListed, maxSequencingRules } = DEFAULT_MANIFEST_LIMITS;
  const groups = maxDepth - 1;
  const leaves = maxItems - groups;
  const filesEach = Math.floor(maxFilesListed / leaves);
  const rulesEach = Math.floor(maxSequencingRules / leaves);
  const filesInZipEach = Math.min(filesEach, Math.floor((defaultZipLimits.maxEntries - 1) / leaves));
  const rule = `<imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule>`;
  const sequencing = `<imsss:sequencing><imsss:sequencingRules>${rule.repeat(rulesEach)}</imsss:sequencingRules></imsss:sequencing>`;
  let tree = Array.from({ length: leaves }, (_, n) => `<item identifier="I${n}" identifierref="R${n}"><title>${longestTitle(`Part ${n + 1}`)}</title>${sequencing}</item>`).join("");
  for (let level = groups; level >= 1; level--) tree = `<item identifier="G${level}"><title>${longestTitle(`Module ${level}`)}</title>${tree}</item>`;
  const files: string[] = [];
  const resources = Array.from({ length: leaves }, (_, n) => {
    files.push(`p${n}/index.html`);
    for (let f = 1; f < filesInZipEach; f++) files.push(`p${n}/asset${f}.js`);
    const listed = Array.from({ length: filesEach }, (_, f) => `<file href="p${n}/${f === 0 ? "index.html" : `asset${f}.js`}"/>`).join("");
    return `<resource identifier="R${n}" type="webcontent" adlcp:scormType="sco" href="p${n}/index.html">${listed}</resource>`;
  }).join("");
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="largest" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>297 Largest Allowed</title>${tree}</organization></organizations>
<resources>${resources}</resources></manifest>`;
  return { xml, files };
}

/** A title of exactly as many characters as the server keeps of one. */
const longestTitle = (start: string) => `${`${start}: ${"Fire safety for clinical staff, ".repeat(10)}`.slice(0, MAX_TITLE_CHARACTERS - 1)}.`;

async function buildZip(target: string): Promise<{ manifestBytes: number; entries: number }> {
  const { xml, files } = largestManifest();
  if (Buffer.byteLength(xml) > DEFAULT_MANIFEST_LIMITS.maxManifestBytes) throw new Error(`the largest manifest (${Buffer.byteLength(xml)} bytes) is past PACKAGE_MAX_MANIFEST_BYTES's default: the server would refuse it`);
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const out = fs.createWriteStream(target);
  archive.pipe(out);
  archive.append(xml, { name: "imsmanifest.xml" });
  for (const file of files) archive.append(`<!doctype html><title>${file}</title><p>${file}</p>`, { name: file });
  await archive.finalize();
  await new Promise<void>((resolve) => out.on("close", () => resolve()));
  return { manifestBytes: Buffer.byteLength(xml), entries: files.length + 1 };
}

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

/** One /healthz: how long it took, and the longest the server's event loop was held up lately, as it says. */
async function timedHealthz(base: string): Promise<{ ms: number; eventLoopDelayMs: number }> {
  const started = performance.now();
  const answer = await fetch(`${base}/healthz`);
  const body = (await answer.json().catch(() => ({}))) as { eventLoopDelayMs?: number };
  return { ms: performance.now() - started, eventLoopDelayMs: body.eventLoopDelayMs ?? 0 };
}

/** Asks /healthz every POLL_MS until stopped; the answers' times, the longest event-loop delay reported and the peak RSS seen. */
function watch(base: string, pid: number) {
  const times: number[] = [];
  let longestStall = 0;
  let peakRss = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      peakRss = Math.max(peakRss, rssOf(pid));
      const answer = await timedHealthz(base);
      times.push(answer.ms);
      longestStall = Math.max(longestStall, answer.eventLoopDelayMs);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return { stop: async () => ((running = false), await done, { times, longestStall, peakRss }) };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "lms-bench-healthz-"));
  const zip = path.join(work, "largest.zip");
  const { manifestBytes, entries } = await buildZip(zip);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // The demo trust, for its author: the server prints the demo logins when it is ready.
  const env = { ...process.env, DATA_DIR: path.join(work, "data"), PORT: String(port), LOG_LEVEL: "warn", DATABASE_URL: "" };
  const server = spawn(process.execPath, [...serverNodeFlags(), "--import", "tsx", "server/main.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  try {
    const author = await new Promise<{ username: string; password: string }>((resolve, reject) => {
      let printed = "";
      server.stdout.on("data", (chunk: Buffer) => {
        printed += String(chunk);
        const login = /^\s+author\s+(\S+)\s+(\S+)/m.exec(printed);
        if (printed.includes("LMS ready") && login) resolve({ username: login[1]!, password: login[2]! });
      });
      server.once("exit", (code) => reject(new Error(`the server exited (${code})`)));
    });
    const cookie = await logIn(base, author.username, author.password);
    const page = await (await fetch(`${base}/author/courses/upload`, { headers: { cookie } })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

    const quiet = watch(base, server.pid!);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const baseline = await quiet.stop();
    const rssBefore = rssOf(server.pid!);

    const during = watch(base, server.pid!);
    const form = new FormData();
    form.append("package", new Blob([fs.readFileSync(zip)], { type: "application/zip" }), "largest.zip");
    const started = performance.now();
    const upload = await fetch(`${base}/author/courses/upload`, { method: "POST", headers: { cookie, accept: "application/json", "x-csrf-token": token }, body: form });
    const importMs = performance.now() - started;
    const importing = await during.stop();
    const body = (await upload.json()) as { course?: { contents?: string }; error?: { message: string } };
    if (upload.status !== 201) throw new Error(`the upload answered ${upload.status}: ${body.error?.message}`);

    const slowest = (times: number[]) => Math.max(...times);
    const growth = importing.peakRss - rssBefore;
    console.log(`package: ${(fs.statSync(zip).size / MB).toFixed(1)} MB zip, manifest ${(manifestBytes / MB).toFixed(1)} MB at every limit (${JSON.stringify(DEFAULT_MANIFEST_LIMITS)}), ${entries} zip entries (of ${defaultZipLimits.maxEntries}); imported in ${(importMs / 1000).toFixed(1)} s: ${body.course?.contents}`);
    console.log(`/healthz slowest answer: ${slowest(importing.times).toFixed(0)} ms during the import (${importing.times.length} asked) vs ${slowest(baseline.times).toFixed(0)} ms quiet (${baseline.times.length} asked); ratio ${(slowest(importing.times) / slowest(baseline.times)).toFixed(1)}x; goal < ${GOAL_HEALTHZ_MS} ms: ${slowest(importing.times) < GOAL_HEALTHZ_MS ? "met" : "MISSED"}`);
    console.log(`server event loop, longest held up: ${importing.longestStall} ms during the import vs ${baseline.longestStall} ms quiet; goal < ${GOAL_STALL_MS} ms (a few tens): ${importing.longestStall < GOAL_STALL_MS ? "met" : "MISSED"}`);
    console.log(`server RSS: ${(rssBefore / MB).toFixed(0)} MB before, peak ${(importing.peakRss / MB).toFixed(0)} MB during: growth ${(growth / MB).toFixed(0)} MB; goal < ${GOAL_RSS_BYTES / MB} MB: ${growth < GOAL_RSS_BYTES ? "met" : "MISSED"}`);
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
