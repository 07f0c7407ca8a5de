import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/connect.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildLearner } from "../support/factories.ts";
import { createClock } from "../../server/clock.ts";

const MIGRATION = "20261207_32_forums.ts";
const TABLES = ["forum_topics", "forum_posts", "forum_follows", "forum_reports"];

/** Migration 32 on SQLite and PostgreSQL: the forum tables, their rules, and down and up again. */
describe("migration 32: Forums and Chats", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let account: number;
  beforeAll(async () => {
    ({ db, cleanup } = await createTestDb());
    const person = await buildLearner(db, createClock("2026-03-01T09:00:00Z"));
    account = Number((await db("accounts").where({ person_id: person.personId }).first("id")).id);
  });
  afterAll(() => cleanup());

  const topic = async () => Number((await db("forum_topics").insert({ discussion_kind: "course", discussion_id: 1, title: "T", started_by: account, started_at: "2026-03-01T09:00:00.000Z", last_post_at: "2026-03-01T09:00:00.000Z" }).returning("id"))[0].id);
  const post = async (topicId: number) => Number((await db("forum_posts").insert({ topic_id: topicId, account_id: account, body: "B", posted_at: "2026-03-01T09:00:00.000Z" }).returning("id"))[0].id);

  it("creates the topics, posts, follows and reports, with a post's staff role, hiding and a topic's lock", async () => {
    for (const table of TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
    for (const column of ["staff_role", "hidden_at", "hidden_by"]) expect(await db.schema.hasColumn("forum_posts", column), column).toBe(true);
    for (const column of ["locked_at", "locked_by", "last_post_at"]) expect(await db.schema.hasColumn("forum_topics", column), column).toBe(true);
  });

  it("takes one report per person per post, one follow per person per topic, and posts only in a topic that exists", async () => {
    const postId = await post(await topic());
    await db("forum_reports").insert({ post_id: postId, reported_by: account, reported_at: "x" });
    await expect(db("forum_reports").insert({ post_id: postId, reported_by: account, reported_at: "y" })).rejects.toThrow(/unique|UNIQUE|duplicate/);
    const topicId = await topic();
    await db("forum_follows").insert({ topic_id: topicId, account_id: account, followed_at: "x" });
    await expect(db("forum_follows").insert({ topic_id: topicId, account_id: account, followed_at: "y" })).rejects.toThrow(/unique|UNIQUE|duplicate|PRIMARY/);
    await expect(post(999_999)).rejects.toThrow(/foreign key|FOREIGN KEY/i);
  });

  it("removes a topic's posts, follows and reports with it", async () => {
    const topicId = await topic();
    const postId = await post(topicId);
    await db("forum_follows").insert({ topic_id: topicId, account_id: account, followed_at: "x" });
    await db("forum_reports").insert({ post_id: postId, reported_by: account, reported_at: "x" });
    await db("forum_topics").where({ id: topicId }).delete();
    expect(await db("forum_posts").where({ topic_id: topicId }).first()).toBeUndefined();
    expect(await db("forum_follows").where({ topic_id: topicId }).first()).toBeUndefined();
    expect(await db("forum_reports").where({ post_id: postId }).first()).toBeUndefined();
  });

  it("goes down, taking only its own tables, and up again", async () => {
    await db.migrate.down({ name: MIGRATION });
    for (const table of TABLES) expect(await db.schema.hasTable(table), table).toBe(false);
    expect(await db.schema.hasTable("accounts")).toBe(true);
    await db.migrate.up({ name: MIGRATION });
    for (const table of TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
    expect(await db("forum_topics").count({ n: "*" }).first().then((row) => Number(row!.n))).toBe(0);
  });
});
