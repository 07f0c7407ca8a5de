/**
 * Compliance at the size of a large trust: 50,000 staff, each with an assignment requiring 11
 * essential competencies and a record of most of them (550,000 requirements, about 500,000
 * records), on SQLite. Measures, each beside the raw SQL it rests on (the ratio is the figure):
 *   - one learner's Compliance and Competency page, through HTTP (goal: at most 20 ms server time);
 *   - the organisation-wide summary per position (goal: at most 500 ms).
 *
 *   npm run bench:compliance          (STAFF=50000 RUNS=50 to change the defaults)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { loadConfig } from "../server/config.ts";
import { addDays, createClock } from "../server/clock.ts";
import { connectDb, migrateLatest } from "../server/db/connect.ts";
import { createApp } from "../server/app.ts";
import { hashPassword } from "../server/accounts/passwords.ts";
import { createAccountStore } from "../server/accounts/store.ts";
import { listen, logIn } from "./http.ts";
import { ORGANISATION_SUMMARY_SQL, organisationSummary, organisationSummaryBindings } from "../server/compliance/organisation-summary-reads.ts";
import { timed, type Timing } from "./timing.ts";

const STAFF = Number(process.env.STAFF ?? 50_000);
const RUNS = Number(process.env.RUNS ?? 50);
const COMPETENCIES = 11;
const POSITIONS = 20;
const PASSWORD = "benchmark password";
const NOW = "2026-03-01T09:00:00.000Z";
const TODAY = NOW.slice(0, 10);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-bench-compliance-"));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", LMS_NOW: NOW });
const clock = createClock(NOW);
const db = connectDb({ sqliteFile: path.join(dataDir, "lms.sqlite") });

try {
  await migrateLatest(db);
  const started = performance.now();
  const learner = await generateTrust();
  console.log(`generated ${STAFF} staff, ${STAFF * COMPETENCIES} essential requirements, ${Number((await db("competence_records").count({ n: "*" }).first())?.n)} records in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  // One learner's page, through HTTP, beside the three queries it is built on.
  const app = createApp({ config, db, clock, logger: pino({ level: "silent" }), sessionSecret: "c".repeat(40) });
  const base = await listen(app);
  const cookie = await logIn(base, learner.username, PASSWORD);
  await get(base, "/compliance", cookie); // warm: views compiled, statements prepared
  const page = await timed(RUNS, async () => {
    const status = await get(base, "/compliance", cookie);
    if (status !== 200) throw new Error(`the compliance page answered ${status}`);
  });
  const raw = await timed(RUNS, async () => {
    await db.raw("select assignments.id, assignments.position_id from assignments where assignments.person_id = ?", [learner.personId]);
    await db.raw("select competence_records.competency_id, competence_records.level, competence_records.expires_on from competence_records where person_id = ? and status = 'approved'", [learner.personId]);
    await db.raw("select competency_id, essential, min_level from competence_requirements where position_id = ?", [learner.positionId]);
  });

  // The organisation-wide summary, beside its one statement run bare.
  await organisationSummary(db, TODAY);
  const summaryRuns = Math.max(3, Math.round(RUNS / 10));
  const summary = await timed(summaryRuns, () => organisationSummary(db, TODAY));
  const summaryRaw = await timed(summaryRuns, () => db.raw(ORGANISATION_SUMMARY_SQL, organisationSummaryBindings(TODAY)));
  // As of a year ago, when about a third of the latest records were not yet achieved: those are
  // looked up among the records one by one, the summary's slower path.
  const yearAgo = addDays(TODAY, -365);
  const lookBack = await timed(summaryRuns, () => organisationSummary(db, yearAgo));
  const lookBackRaw = await timed(summaryRuns, () => db.raw(ORGANISATION_SUMMARY_SQL, organisationSummaryBindings(yearAgo)));

  console.log("measure                                   median ms   p95 ms   raw query ms   ratio");
  const line = (name: string, figures: Timing, baseline: Timing) =>
    console.log(`${name.padEnd(41)} ${figures.median.toFixed(1).padStart(9)}  ${figures.p95.toFixed(1).padStart(7)}  ${baseline.median.toFixed(1).padStart(13)}  ${(figures.median / baseline.median).toFixed(1).padStart(5)}x`);
  line(`learner's compliance page (HTTP, ${RUNS} runs)`, page, raw);
  line(`organisation summary (${summaryRuns} runs)`, summary, summaryRaw);
  line(`organisation summary, a year ago`, lookBack, lookBackRaw);
  console.log(`\nlearner page: ${page.median.toFixed(1)} ms   goal <= 20 ms  ${page.median <= 20 ? "PASS" : "MISS"}`);
  console.log(`organisation summary: ${summary.median.toFixed(0)} ms   goal <= 500 ms  ${summary.median <= 500 ? "PASS" : "MISS"}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}

/** The trust: positions each requiring all 11 competencies; staff holding most of them, some expired or expiring. */
async function generateTrust(): Promise<{ username: string; personId: number; positionId: number }> {
  const [organisation] = await db("organisations").insert({ vpd: "297", name: "Benchmark Trust" }).returning("id");
  const organisationId = Number(organisation.id);
  const competencyIds = (await db("competencies").insert(Array.from({ length: COMPETENCIES }, (_, n) => ({ name: `NHS|CSTF|Benchmark ${n + 1} - 3 Years|` }))).returning("id")).map((row: { id: number }) => Number(row.id));
  const positionIds = (await db("positions").insert(Array.from({ length: POSITIONS }, (_, n) => ({ organisation_id: organisationId, name: `Position ${n + 1}` }))).returning("id")).map((row: { id: number }) => Number(row.id));
  await db.batchInsert("competence_requirements", positionIds.flatMap((positionId) => competencyIds.map((competencyId) => ({ position_id: positionId, competency_id: competencyId, essential: true }))), 500);

  await db.transaction(async (trx) => {
    for (let first = 0; first < STAFF; first += 1_000) {
      const count = Math.min(1_000, STAFF - first);
      const people = Array.from({ length: count }, (_, n) => ({
        organisation_id: organisationId,
        employee_number: String(40_000_000 + first + n),
        last_name: `Staff${first + n}`,
        first_name: "Bench",
        email: `staff${first + n}@example.org`,
        date_of_birth: "1985-01-01",
        created_at: NOW,
      }));
      await trx.batchInsert("people", people, 100);
      const ids = (await trx("people").where("employee_number", ">=", String(40_000_000 + first)).andWhere("employee_number", "<", String(40_000_000 + first + count)).select("id")).map((row) => Number(row.id));
      await trx.batchInsert("assignments", ids.map((personId, n) => ({ number: String(50_000_000 + first + n), person_id: personId, position_id: positionIds[(first + n) % POSITIONS], is_primary: true })), 100);
      const records = ids.flatMap((personId, n) =>
        competencyIds.flatMap((competencyId, c) => {
          const seed = (first + n) * COMPETENCIES + c;
          if (seed % 13 === 0) return []; // never held: Red
          const expiresOn = addDays(TODAY, (seed % 1200) - 200); // some expired, some expiring, most Green
          return [{ person_id: personId, competency_id: competencyId, level: "1 - Assessed", achieved_on: addDays(expiresOn, -1095), expires_on: expiresOn, source: "certification", status: "approved", created_at: NOW }];
        }),
      );
      await trx.batchInsert("competence_records", records, 100);
    }
  });

  // One of them can log in.
  const person = await db("people").where({ employee_number: "40000001" }).first("id");
  const assignment = await db("assignments").where({ person_id: person.id }).first("position_id");
  const username = "297BENCH00001";
  await createAccountStore(db).insert({ personId: Number(person.id), username, passwordHash: await hashPassword(PASSWORD), role: "learner", now: NOW });
  return { username, personId: Number(person.id), positionId: Number(assignment.position_id) };
}

async function get(base: string, url: string, cookie: string): Promise<number> {
  const response = await fetch(`${base}${url}`, { headers: { cookie } });
  await response.arrayBuffer();
  return response.status;
}
