import type { Db } from "../db/connect.ts";

// The request_throttle table: one row per bucket (what is counted, from where) and window, shared
// by every app process.

/** A rule's current window: when it started (the row's key), the time now, and its length. */
export interface Window {
  start: string;
  now: number;
  ms: number;
}

/** Hits so far in the bucket's current window. */
export async function hitsIn(db: Db, bucket: string, window: Window): Promise<number> {
  const row = await db("request_throttle").where({ bucket, window_start: window.start }).first("hits");
  return Number(row?.hits ?? 0);
}

/** Counts one hit in the bucket's current window, and answers the count with it. */
export async function countHit(db: Db, bucket: string, window: Window): Promise<number> {
  const [row] = await db("request_throttle")
    .insert({ bucket, window_start: window.start, hits: 1 })
    .onConflict(["bucket", "window_start"])
    .merge({ hits: db.raw("request_throttle.hits + 1") })
    .returning("hits");
  // Earlier windows count for nothing now: this bucket's go at its first hit in a new window,
  // everyone's older than a day then too. Later hits in the window write only the count.
  if (Number(row.hits) === 1) {
    await db("request_throttle").where("bucket", bucket).andWhere("window_start", "<", window.start).delete();
    await db("request_throttle").where("window_start", "<", new Date(window.now - 24 * 60 * 60_000).toISOString()).delete();
  }
  return Number(row.hits);
}
