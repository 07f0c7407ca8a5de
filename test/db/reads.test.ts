import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { isPostgres, readsOf } from "../../server/db/connect.ts";

const session = (sid: string) => ({ sid, sess: JSON.stringify({ cookie: {} }), expired: new Date(Date.UTC(2099, 0, 1)) });
const sids = async (db: TestDb["db"]) => (await db("sessions").orderBy("sid").pluck("sid")).map(String);

/** A page's reads: beside the writer on SQLite (WAL), never behind its transactions; the pool itself on PostgreSQL. */
describe("readsOf(db)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("is db itself on PostgreSQL, and connections of its own on a SQLite file", () => {
    if (isPostgres(t.db)) expect(readsOf(t.db)).toBe(t.db);
    else expect(readsOf(t.db)).not.toBe(t.db);
    expect(readsOf(t.db)).toBe(readsOf(t.db));
  });

  it("answers while a write transaction holds the writer, seeing what was committed and nothing uncommitted", async () => {
    await t.db("sessions").insert(session("committed-before"));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const transaction = t.db.transaction(async (trx) => {
      await trx("sessions").insert(session("uncommitted"));
      wrote();
      await held;
    });
    await written;
    try {
      // On SQLite's single writer connection this read would wait for the transaction: here it answers.
      expect(await sids(readsOf(t.db))).toEqual(["committed-before"]);
    } finally {
      release();
    }
    await transaction;
    // Read your writes: once committed, the next read sees it.
    expect(await sids(readsOf(t.db))).toEqual(["committed-before", "uncommitted"]);
  });

  it("refuses a write on SQLite rather than become a second writer", async () => {
    if (isPostgres(t.db)) return;
    await expect(readsOf(t.db)("sessions").insert(session("through-reads"))).rejects.toThrow(/readonly|read-only|query_only/i);
    expect(await sids(t.db)).not.toContain("through-reads");
  });

  it("closes with db, and opens again with it", async () => {
    const reads = readsOf(t.db);
    await t.db.destroy();
    await expect(reads("sessions").count({ n: "*" })).rejects.toThrow();
    t.db.initialize();
    expect(await sids(reads)).toContain("committed-before");
  });
});
