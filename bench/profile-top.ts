/**
 * Where a CPU profile's time went: the top entries by self time and by total (inclusive) time,
 * per function and per file or package, from a .cpuprofile that `node --cpu-prof` (or
 * `PROFILE=... npm run bench:commits`) wrote. Total time counts each function once per sample
 * even when it recurses, so it never exceeds 100%. Native frames carry whatever name V8 finds
 * near them (a node-sqlite3 call may read "VerifyTask" or "Backup"): read their callers.
 *
 *   node --import tsx bench/profile-top.ts <file.cpuprofile> [TOP=15]
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node --import tsx bench/profile-top.ts <file.cpuprofile>");
  process.exit(2);
}
const TOP = Number(process.env.TOP ?? 15);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** node_modules/<package> for dependencies, the path inside the repository for our own files, (kind) for the rest. */
function where(url: string): string {
  if (!url) return "(native / V8)";
  const plain = url.replace(/^file:\/\//, "");
  const modules = plain.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = plain.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (plain.startsWith("node:")) return plain;
  return plain.startsWith(root) ? path.relative(root, plain) : plain;
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
};

// The profiler's own work (node:inspector, ending the profile) is left out.
const profilers = new Set<number>();
for (const node of profile.nodes) {
  for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
    if (byId.get(at)!.callFrame.url === "node:inspector") {
      profilers.add(node.id);
      break;
    }
  }
}

// Sample time: each sample's delta is the time since the one before.
const selfMs = new Map<number, number>();
let totalMs = 0;
profile.samples.forEach((id, index) => {
  if (profilers.has(id)) return;
  const ms = (profile.timeDeltas[index] ?? 0) / 1000;
  selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  totalMs += ms;
});

function tally(key: (node: ProfileNode) => string) {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    self.set(key(node), (self.get(key(node)) ?? 0) + ms);
    // Inclusive: every distinct key on the stack, once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = key(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  }
  return { self, total };
}

function print(title: string, figures: Map<string, number>) {
  console.log(`\n${title}`);
  const rows = [...figures].filter(([name]) => !/^\((root|program|idle)\)/.test(name)).sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [name, ms] of rows) console.log(`${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
}

const idle = [...selfMs].filter(([id]) => /^\((idle|program|garbage collector)\)$/.test(byId.get(id)!.callFrame.functionName));
console.log(`${file}: ${totalMs.toFixed(0)} ms sampled; ${idle.map(([id, ms]) => `${byId.get(id)!.callFrame.functionName} ${((ms / totalMs) * 100).toFixed(1)}%`).join(", ")}`);
const functions = tally(label);
const files = tally((node) => (/^\((idle|program|garbage collector|root)\)$/.test(node.callFrame.functionName) ? node.callFrame.functionName : where(node.callFrame.url)));
print("top functions by self time", functions.self);
print("top files / packages by self time", files.self);
print("top functions by total time", functions.total);
print("top files / packages by total time", files.total);
