// The servers a benchmark starts in processes of their own (server/main.ts, a bare baseline), as
// they are deployed: the benchmark's own work stays off their event loops.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { serverNodeFlags } from "../scripts/node-flags.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Starts `node [--flags] --import tsx SCRIPT ARGS` in the repository, its output appended to
 * logFile, with the Node flags `npm start` gives the server (scripts/node-flags.mjs).
 */
export function spawnNode(logFile: string, args: string[], env: Record<string, string>): ChildProcess {
  const log = fs.openSync(logFile, "a");
  const [flags, script] = [args.filter((arg) => arg.startsWith("--")), args.filter((arg) => !arg.startsWith("--"))];
  return spawn(process.execPath, [...serverNodeFlags(), ...flags, "--import", "tsx", ...script], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", log, log] });
}

/** Resolves when base's /healthz answers 200; fails if the server exits, or after 2 minutes. */
export async function healthy(base: string, server: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`a server exited (${server.exitCode}); see ${logFile}`);
    const answer = await fetch(`${base}/healthz`).catch(() => undefined);
    if (answer?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${base}/healthz did not answer within 2 minutes; see ${logFile}`);
}
