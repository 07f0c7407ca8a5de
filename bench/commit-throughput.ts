/**
 * Commit throughput: 100 simulated learners committing CMI to their own attempts on SQLite,
 * beside a bare Express JSON endpoint measured in the same run (the ratio is the figure).
 * Goal (issue 4): at least 50% of the bare endpoint's throughput, p99 at most 50 ms.
 *
 *   npm run bench:commits          (DURATION=20 LEARNERS=100 to change the defaults)
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import express from "express";
import pino from "pino";
import { loadConfig } from "../server/config.ts";
import { createClock } from "../server/clock.ts";
import { connectDb, migrateLatest } from "../server/db/connect.ts";
import { createApp } from "../server/web/app.ts";
import { hashPassword } from "../server/accounts/passwords.ts";
import { createPeopleStore } from "../server/people/store.ts";
import { createAccountStore } from "../server/accounts/store.ts";
import { importPackage } from "../server/packages/import-package.ts";
import { createLocalStorage } from "../server/packages/storage.ts";
import { zipFolder } from "../server/packages/zip-folder.ts";

const LEARNERS = Number(process.env.LEARNERS ?? 100);
const DURATION = Number(process.env.DURATION ?? 15);
const PASSWORD = "benchmark password";
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-bench-commits-"));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" });
const clock = createClock();
const db = connectDb({ sqliteFile: path.join(dataDir, "lms.sqlite") });

try {
  await migrateLatest(db);
  const learners = await prepareLearners();
  const lms = await listen(createApp({ config, db, clock, logger: pino({ level: "silent" }), sessionSecret: "b".repeat(40) }));
  const sessions = await Promise.all(learners.map((learner) => logIn(lms, learner)));

  const body = (sequence: number) =>
    JSON.stringify({
      commitSequence: sequence,
      cmi: {
        core: { lesson_location: `section-${sequence % 4}`, lesson_status: "incomplete", session_time: "0000:01:30.00", exit: "suspend" },
        suspend_data: "v".repeat(2000),
      },
    });

  const bare = express();
  bare.post("/commit", express.json({ limit: "1mb" }), (_req, res) => {
    res.json({ result: true, errorCode: 0 });
  });
  const baseline = await listen(bare);

  console.log(`${LEARNERS} learners, ${DURATION} s each run, SCORM 1.2 commits with 2 kB of suspend data\n`);
  const bareResult = await run(`${baseline}/commit`, () => ({ headers: { "content-type": "application/json" }, body: body(1) }));
  let next = 0;
  const sequences = new Map<number, number>();
  const commitResult = await run(`${lms}/`, () => {
    // Learners take turns, each committing with its own rising sequence number; with as many
    // connections as learners, each has about one commit in flight, as a real player does.
    const learner = sessions[next++ % sessions.length]!;
    const sequence = (sequences.get(learner.attemptId) ?? 0) + 1;
    sequences.set(learner.attemptId, sequence);
    return {
      path: `/runtime/attempts/${learner.attemptId}/scos/${learner.scoId}/commit`,
      headers: { "content-type": "application/json", cookie: learner.cookie, "x-csrf-token": learner.csrf },
      body: body(sequence),
    };
  });

  const stored = await db("commit_log").count({ count: "*" }).first();
  const sample = await fetch(`${lms}/runtime/attempts/${sessions[0]!.attemptId}/scos/${encodeURIComponent(sessions[0]!.scoId)}/commit`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: sessions[0]!.cookie, "x-csrf-token": sessions[0]!.csrf },
    body: body(1_000_000),
  });
  console.log(`a sample commit answers ${sample.status} ${await sample.text()}`);
  const rows = [
    ["bare Express JSON endpoint", bareResult],
    ["LMS commit (SQLite)", commitResult],
  ] as const;
  console.log("endpoint                      req/s    p50 ms  p99 ms  non-2xx  errors");
  for (const [name, result] of rows) {
    console.log(`${name.padEnd(28)} ${result.requests.average.toFixed(0).padStart(7)}  ${String(result.latency.p50).padStart(6)}  ${String(result.latency.p99).padStart(6)}  ${String(result.non2xx).padStart(7)}  ${String(result.errors).padStart(6)}`);
  }
  const ratio = commitResult.requests.average / bareResult.requests.average;
  console.log(`\nthroughput ratio (LMS / bare): ${(ratio * 100).toFixed(1)}%   goal >= 50%  ${ratio >= 0.5 ? "PASS" : "MISS"}`);
  console.log(`commit p99: ${commitResult.latency.p99} ms                goal <= 50 ms ${commitResult.latency.p99 <= 50 ? "PASS" : "MISS"}`);
  console.log(`commits stored: ${Number(stored?.count)} (the commit log keeps the newest 500 per attempt)`);
  if (commitResult.non2xx > 0 || commitResult.errors > 0) process.exitCode = 1;
} finally {
  // Servers are left to die with the process: destroying the pool under in-flight requests only adds noise.
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}

interface Session {
  cookie: string;
  csrf: string;
  attemptId: number;
  scoId: string;
}

async function prepareLearners(): Promise<Array<{ username: string; attemptId: number; scoId: string }>> {
  const storage = createLocalStorage(path.join(dataDir, "packages"));
  const zip = path.join(dataDir, "course.zip");
  await zipFolder(path.join(root, "packages/conflict-resolution-part-1"), zip, [{ from: path.join(root, "packages/_shared"), to: "shared" }]);
  const course = await importPackage({ db, clock, storage }, zip);
  const version = await db("course_versions").where({ id: course.courseVersionId }).first("manifest");
  const scoId = JSON.parse(version.manifest).launchables[0].identifier as string;
  const people = createPeopleStore(db);
  const accounts = createAccountStore(db);
  const organisationId = await people.ensureOrganisation("297", "Benchmark Trust");
  const passwordHash = await hashPassword(PASSWORD);
  const now = clock.now().toISOString();
  const learners = [];
  for (let index = 0; index < LEARNERS; index++) {
    const personId = await people.insertPerson(
      { organisationId, employeeNumber: String(30000000 + index), lastName: `Learner${index}`, firstName: "Bench", email: `bench${index}@example.org`, dateOfBirth: "1990-01-01" },
      now,
    );
    const username = `297BENCH${String(index).padStart(3, "0")}`;
    await accounts.insert({ personId, username, passwordHash, role: "learner", now });
    const [row] = await db("attempts").insert({ person_id: personId, course_version_id: course.courseVersionId, started_at: now }).returning("id");
    learners.push({ username, attemptId: Number(row.id), scoId });
  }
  return learners;
}

async function logIn(base: string, learner: { username: string; attemptId: number; scoId: string }): Promise<Session> {
  const page = await fetch(`${base}/login`);
  const firstCookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: firstCookie },
    body: new URLSearchParams({ _csrf: token, username: learner.username, password: PASSWORD }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const home = await fetch(`${base}/`, { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!;
  await fetch(`${base}/runtime/attempts/${learner.attemptId}/scos/${encodeURIComponent(learner.scoId)}/state`, { headers: { cookie } });
  return { cookie, csrf, attemptId: learner.attemptId, scoId: learner.scoId };
}

function listen(app: express.Express): Promise<string> {
  return new Promise((resolve) => {
    const server = http.createServer(app).listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function run(url: string, request: (context: Record<string, unknown>) => { path?: string; headers: Record<string, string>; body: string }) {
  return autocannon({
    url,
    method: "POST",
    connections: LEARNERS,
    duration: DURATION,
    requests: [{ setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => ({ ...req, ...request(context) }) }],
  } as autocannon.Options);
}
