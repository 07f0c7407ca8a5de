import type { Db } from "../db/connect.ts";

/**
 * The login_failures table: one row per username, kept as its keyed hash, and source. What the
 * counts mean, and how long a source waits, is login-failures.ts's.
 */
export function createLoginFailureStore(db: Db) {
  return {
    /** Until when this source was told to wait before trying this username again, if it was. */
    async waitUntil(usernameHash: string, source: string): Promise<string | null | undefined> {
      const row = await db("login_failures").where({ username_hash: usernameHash, source }).first("wait_until");
      return row?.wait_until as string | null | undefined;
    },

    /** This source's count for this username, and when it last failed. */
    async countOf(usernameHash: string, source: string): Promise<{ failures: number; lastFailedAt: string } | undefined> {
      const row = await db("login_failures").where({ username_hash: usernameHash, source }).first("failures", "last_failed_at");
      return row ? { failures: Number(row.failures), lastFailedAt: String(row.last_failed_at) } : undefined;
    },

    /** Writes this source's count for this username, whether or not it had one. */
    async save(count: { usernameHash: string; source: string; failures: number; lastFailedAt: string; waitUntil: string | null }): Promise<void> {
      await db("login_failures")
        .insert({ username_hash: count.usernameHash, source: count.source, failures: count.failures, last_failed_at: count.lastFailedAt, wait_until: count.waitUntil })
        .onConflict(["username_hash", "source"])
        .merge(["failures", "last_failed_at", "wait_until"]);
    },

    /** How many sources failed on this username after `since`, and how many times in all. */
    async spreadSince(usernameHash: string, since: string): Promise<{ sources: number; failures: number }> {
      const row = await db("login_failures").where({ username_hash: usernameHash }).andWhere("last_failed_at", ">", since).first(db.raw("count(*) as sources"), db.raw("coalesce(sum(failures), 0) as failures"));
      return { sources: Number(row?.sources ?? 0), failures: Number(row?.failures ?? 0) };
    },

    async clearSource(usernameHash: string, source: string): Promise<void> {
      await db("login_failures").where({ username_hash: usernameHash, source }).delete();
    },

    async clearUsername(usernameHash: string): Promise<void> {
      await db("login_failures").where({ username_hash: usernameHash }).delete();
    },

    async forgetBefore(before: string): Promise<void> {
      await db("login_failures").where("last_failed_at", "<", before).delete();
    },
  };
}
