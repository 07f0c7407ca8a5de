/**
 * Load: the weeks when a whole trust does its mandatory training. LEARNERS learners arrive over
 * RAMP_SECONDS, then are all at work at once for SECONDS seconds, each going through the whole journey over HTTP again and again (load-journey.ts:
 * log in, Home, Play, the player, 20 commits about a second apart with a few kB of suspend data,
 * the finishing commit, Home, Log out). The LMS is server/main.ts in a process of its own; the
 * baseline is the same doors with nothing behind them (load-baseline.ts), in a process of its own,
 * driven the same way in the same run. Afterwards every commit the LMS acknowledged is looked for
 * in the database. Each learner is a browser of its own (its own kept-alive connections, at most six);
 * a request the server's closing of an idle connection met on its way out is sent again, as
 * browsers do, and counted ("sent again"): with the server's 75 s keep-alive there should be none.
 *
 *   npm run bench:load                                   (SQLite)
 *   DATABASE_URL=postgres://... npm run bench:load       (PostgreSQL: a throwaway database there)
 *   LEARNERS=500 SECONDS=60 THINK_MS=1000 RAMP_SECONDS=20 (the defaults)
 *   CPU_PROFILE=/tmp/profiles                            (profile the LMS process)
 *
 * Exits 1 on any error or any acknowledged commit not found. Prints issue 21's goals and whether
 * each is met: commit p99 at most 100 ms, every door's p99 at most 250 ms, no error, nothing lost.
 *
 * Issue 21 (2026-12-07, on a machine shared with other benchmarks, load average 6-49 on 2 cores,
 * so the milliseconds say little): before, one "socket hang up" on a commit in a 150-learner SQLite
 * run (and 2 in a 500-learner PostgreSQL run that morning); after the 75 s keep-alive
 * (server/web/http-server.ts) and a browser's connections per learner, none in any run and none
 * sent again. Home reads on connections of its own on SQLite (db/connect.ts's readsOf): in a
 * 60-learner run with 100 ms between commits, Home p50/p99 425/1774 ms before and 290/1105 after,
 * Home again 333/1462 and 35/277, in runs a few minutes apart.
 *
 * SQLite's writer, per journey (2026-12-07, counted on the writer connection): log in wrote four
 * times (its transaction, express-session's delete of a session never stored and two saves of the
 * new one), Home once (the session's anti-forgery token), log out twice; now log in, Play and log
 * out one transaction each and Home nothing (test/web/doors-writer-waits.test.ts): 12 waits for
 * the writer and 7-8 durable commits a journey became 7 and 3. The machine was shared (load 3-13),
 * so builds were compared running at once, 100 learners each: at load 5-9 (t2) log in p50/p99
 * 215/744 ms before and 163/471 after, Home 37/128 and 12/54, log out 59/235 and 42/139, commit
 * 12/175 and 12/187, state 34/186 and 50/185. Two things measured worse and were not kept: log
 * in's and Play's reads beside the writer (readsOf: commit p99 273, state 303), and 8 libuv
 * threads instead of 4 (UV_THREADPOOL_SIZE=8: commit p99 worse in both pairs at load 6-8, even at
 * load 3).
 */
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../server/config.ts";
import { createClock } from "../server/clock.ts";
import { createTestDb } from "../test/support/test-db.ts";
import { freePort } from "../test/support/processes.ts";
import { DOORS, percentile, runLearners, type LoadFigures, type LoadPlan } from "./load-journey.ts";
import { prepareTrust } from "./load-setup.ts";
import { findLostCommits } from "./load-check.ts";
import { healthy, spawnNode } from "./processes.ts";

const LEARNERS = Number(process.env.LEARNERS ?? 500);
const SECONDS = Number(process.env.SECONDS ?? 60);
const THINK_MS = Number(process.env.THINK_MS ?? 1000);
const RAMP_SECONDS = Number(process.env.RAMP_SECONDS ?? Math.min(20, SECONDS / 3));
const COMMIT_P99_GOAL_MS = 100;
const DOOR_P99_GOAL_MS = 250;
const logFile = path.join(os.tmpdir(), `lms-bench-load-${process.pid}.log`);

const testDb = await createTestDb();
const database = testDb.env.DATABASE_URL ? "PostgreSQL" : "SQLite";
try {
  const started = performance.now();
  const trust = await prepareTrust({ db: testDb.db, clock: createClock(), config: loadConfig({ ...testDb.env, LOG_LEVEL: "silent" }) }, LEARNERS);
  console.log(`${database}: the demo trust and ${LEARNERS} subscribed, enrolled learners in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${LEARNERS} learners arriving over ${RAMP_SECONDS} s (${(LEARNERS / RAMP_SECONDS).toFixed(0)} logins a second), then all of them at once for ${SECONDS} s, each run; ${THINK_MS} ms between a learner's commits on average; server log: ${logFile}\n`);
  const plan = { ...trust, seconds: SECONDS, thinkMs: THINK_MS, rampSeconds: RAMP_SECONDS };

  const baselinePort = await freePort();
  const baseline = await measure(spawnNode(logFile, ["bench/load-baseline.ts", String(baselinePort)], {}), `http://127.0.0.1:${baselinePort}`, plan);

  const port = await freePort();
  const lmsEnv = { ...testDb.env, PORT: String(port), CONTENT_URL: `http://127.0.0.1:${await freePort()}`, SESSION_SECRET: "load-benchmark-secret-".padEnd(40, "x") };
  // CPU_PROFILE=DIR writes the LMS process's CPU profile there, for Chrome's DevTools.
  const profile = process.env.CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.CPU_PROFILE}`] : [];
  const lms = await measure(spawnNode(logFile, [...profile, "server/main.ts"], lmsEnv), `http://localhost:${port}`, plan);

  report(lms, baseline);
  const lost = await findLostCommits(testDb.db, lms);
  const acknowledged = [...lms.acknowledged.values()].reduce((sum, sequences) => sum + sequences.length, 0);
  console.log(`\ncommits acknowledged by the LMS: ${acknowledged}; found stored, in order: ${acknowledged - lost.length}; lost: ${lost.length}`);
  for (const problem of lost.slice(0, 10)) console.log(`  ${problem}`);
  for (const error of lms.errors.slice(0, 10)) console.log(`  error: ${error}`);
  reportGoals(lms, lost.length);
  if (lost.length || lms.errors.length || baseline.errors.length) process.exitCode = 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await testDb.cleanup();
}

/** Waits for the server's health check, drives the learners, then stops it as an operator would (SIGTERM). */
async function measure(server: ChildProcess, base: string, plan: Omit<LoadPlan, "base">): Promise<LoadFigures> {
  try {
    await healthy(base, server, logFile);
    const figures = await runLearners({ ...plan, base });
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    return figures;
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
  }
}

/** Issue 21's goals: commit p99 at most 100 ms, every door's p99 at most 250 ms, no error, nothing lost. */
function reportGoals(lms: LoadFigures, lost: number): void {
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  const commitP99 = percentile(lms.latencies.get("commit")!, 0.99);
  const [worstDoor, worstP99] = DOORS.map((door) => [door, percentile(lms.latencies.get(door)!, 0.99)] as const).reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`\ngoal: commit p99 <= ${COMMIT_P99_GOAL_MS} ms: ${commitP99.toFixed(0)} ms, ${met(commitP99 <= COMMIT_P99_GOAL_MS)}`);
  console.log(`goal: every door's p99 <= ${DOOR_P99_GOAL_MS} ms: the slowest, ${worstDoor}, ${worstP99.toFixed(0)} ms, ${met(worstP99 <= DOOR_P99_GOAL_MS)}`);
  console.log(`goal: no error and nothing lost: ${lms.errors.length} errors, ${lost} lost, ${met(lms.errors.length === 0 && lost === 0)}`);
}

function report(lms: LoadFigures, baseline: LoadFigures): void {
  const cell = (value: number | string, width: number) => String(value).padStart(width);
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(a / b < 10 ? 1 : 0)}x` : "-");
  console.log(`door        requests   LMS p50   p99   baseline p50   p99   ratio p50    p99   (ms)`);
  const all = (figures: LoadFigures) => [...figures.latencies.values()].flat();
  const rows: Array<[string, number[], number[]]> = [...DOORS.map((door) => [door, lms.latencies.get(door)!, baseline.latencies.get(door)!] as [string, number[], number[]]), ["all", all(lms), all(baseline)]];
  for (const [name, ours, theirs] of rows) {
    const [p50, p99, b50, b99] = [percentile(ours, 0.5), percentile(ours, 0.99), percentile(theirs, 0.5), percentile(theirs, 0.99)];
    const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
    console.log(`${name.padEnd(10)} ${cell(ours.length, 9)} ${cell(ms(p50), 9)} ${cell(ms(p99), 5)} ${cell(ms(b50), 14)} ${cell(ms(b99), 5)} ${cell(ratio(p50, b50), 11)} ${cell(ratio(p99, b99), 6)}`);
  }
  console.log(`journeys finished: LMS ${lms.journeysFinished}, baseline ${baseline.journeysFinished} (${ratio(lms.journeysFinished, baseline.journeysFinished)}); errors: LMS ${lms.errors.length}, baseline ${baseline.errors.length}`);
  console.log(`requests sent again because the server closed their kept-alive connection as they went out: LMS ${lms.resent}, baseline ${baseline.resent}`);
}
