import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_TOUCH_EVERY_MS } from "../../server/web/session-store.ts";
import { SESSION_LOOKUPS_AT_ONCE, createSqliteSessionLookup } from "../../server/web/sqlite-session-reads.ts";
import { createTestApp, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";

/** Sessions live in the database; reading and refreshing them must stay cheap and correct. */
describe("the session store", () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  beforeAll(async () => {
    t = await createTestApp();
    learner = await buildLearner(t.db, t.clock);
  });
  afterAll(() => t.cleanup());
  afterEach(() => vi.useRealTimers());

  const expiryOf = async () => String((await t.db("sessions").orderBy("expired", "desc").first("expired")).expired);

  it("writes a session's expiry back at most once a minute while it is in use", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T10:00:00.000Z") });
    await t.db("sessions").delete();
    const agent = await logInAgent(t.app, learner.username, learner.password);
    // Log in wrote the session with its anti-forgery token; the first page writes nothing.
    await agent.get("/").expect(200);
    const atLogin = await expiryOf();

    vi.setSystemTime(new Date("2026-05-01T10:00:30.000Z"));
    await agent.get("/").expect(200);
    expect(await expiryOf()).toBe(atLogin);

    vi.setSystemTime(new Date(Date.parse("2026-05-01T10:00:00.000Z") + SESSION_TOUCH_EVERY_MS + 1000));
    await agent.get("/").expect(200);
    const touched = await expiryOf();
    expect(Date.parse(touched)).toBeGreaterThan(Date.parse(atLogin));
  });

  // SQLite only: the lookup's own read-only connection and its WAL exist only there (on
  // PostgreSQL, the suites' DATABASE_URL, lookups go through knex).
  it.runIf(!process.env.DATABASE_URL)("lets go of its read after each lookup, so that a checkpoint can always reset the WAL", async () => {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    await agent.get("/").expect(200);
    await agent.get("/").expect(200);
    // A reader still holding a snapshot would make this report busy (after the busy timeout).
    const [result] = (await t.db.raw("PRAGMA wal_checkpoint(TRUNCATE)")) as Array<{ busy: number }>;
    expect(result).toMatchObject({ busy: 0 });
  });

  // SQLite only, as above. The lookups take the prepared statements in turn: many at once must each
  // still answer with its own session, and one ended meanwhile with none.
  it.runIf(!process.env.DATABASE_URL)("answers lookups made at once, each with its own session", async () => {
    const others = [learner, await buildLearner(t.db, t.clock), await buildLearner(t.db, t.clock)];
    await t.db("sessions").delete();
    for (const one of others) await (await logInAgent(t.app, one.username, one.password)).get("/").expect(200);
    const stored = (await t.db("sessions").select("sid", "sess")).map((row) => ({ sid: String(row.sid), accountId: JSON.parse(String(row.sess)).accountId as number }));
    expect(new Set(stored.map((row) => row.accountId)).size).toBe(others.length);
    const lookup = createSqliteSessionLookup(t.db)!;
    const asked = Array.from({ length: SESSION_LOOKUPS_AT_ONCE * 10 }, (_, n) => stored[n % stored.length]!);
    const found = await Promise.all(asked.map(({ sid }) => lookup(sid)));
    expect(found.map((session) => (session as { accountId: number }).accountId)).toEqual(asked.map((row) => row.accountId));

    await t.db("sessions").where({ sid: stored[1]!.sid }).delete();
    const after = await Promise.all(asked.map(({ sid }) => lookup(sid)));
    expect(after.map((session) => (session as { accountId: number } | null)?.accountId ?? null)).toEqual(asked.map((row) => (row.sid === stored[1]!.sid ? null : row.accountId)));
  });

  it("treats a session past its stored expiry as ended", async () => {
    const agent = await logInAgent(t.app, learner.username, learner.password);
    await agent.get("/").expect(200);
    await t.db("sessions").update({ expired: "2000-01-01T00:00:00.000Z" });
    const response = await agent.get("/").expect(302);
    expect(response.headers.location).toBe("/login?next=%2F");
  });
});
