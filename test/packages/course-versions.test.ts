import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { createCourseVersionCache } from "../../server/packages/course-versions.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

describe("the course version cache", () => {
  let t: TestApp;
  const ids: number[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    for (const n of [1, 2, 3]) ids.push(await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, `297 Cached ${n}`));
  });
  afterAll(() => t.cleanup());

  async function reads(work: () => Promise<unknown>): Promise<number> {
    let count = 0;
    const onQuery = (query: { sql: string }) => {
      if (/course_versions/.test(query.sql)) count++;
    };
    t.db.on("query", onQuery);
    await work().finally(() => t.db.off("query", onQuery));
    return count;
  }

  it("answers every version asked for, even when making room drops others, and reads each once while remembered", async () => {
    const cache = createCourseVersionCache({ versions: 2 });
    const [a, b, c] = ids as [number, number, number];
    expect([...(await cache.get(t.db, [a, b])).keys()].sort()).toEqual([a, b].sort());
    expect(await reads(() => cache.get(t.db, [a, b]))).toBe(0);
    // Full: c comes in, the least recently used (b) goes; a and c are both answered.
    const both = await cache.get(t.db, [a, c]);
    expect([...both.keys()].sort()).toEqual([a, c].sort());
    expect(both.get(c)?.scormVersion).toBe("1.2");
    expect(await reads(() => cache.get(t.db, [a, c]))).toBe(0);
    expect(await reads(() => cache.get(t.db, [b]))).toBe(1);
    // More at once than it may remember: all answered all the same.
    expect((await createCourseVersionCache({ versions: 1 }).get(t.db, [a, b, c])).size).toBe(3);
  });

  it("keeps no more manifest JSON than its budget, and answers a version larger than the whole budget without keeping it", async () => {
    const [a, b, c] = ids as [number, number, number];
    const rows = await t.db("course_versions").whereIn("id", [a, b, c]).select("id", "manifest");
    const chars = new Map(rows.map((row) => [Number(row.id), String(row.manifest).length]));
    // Room for a and b together, not for c as well.
    const cache = createCourseVersionCache({ manifestChars: chars.get(a)! + chars.get(b)! + Math.min(chars.get(c)!, chars.get(a)!) - 1 });
    await cache.get(t.db, [a]);
    await cache.get(t.db, [b]);
    expect(await reads(() => cache.get(t.db, [a, b]))).toBe(0);
    // c comes in: the least recently used (a, then b if need be) goes, until the budget holds.
    expect((await cache.get(t.db, [c])).get(c)?.manifest.launchables.length).toBeGreaterThan(0);
    expect(await reads(() => cache.get(t.db, [c]))).toBe(0);
    expect(await reads(() => cache.get(t.db, [a]))).toBe(1);

    const tiny = createCourseVersionCache({ manifestChars: 10 });
    expect((await tiny.one(t.db, a))?.scormVersion).toBe("1.2");
    expect(await reads(() => tiny.one(t.db, a))).toBe(1);
    expect(await tiny.one(t.db, 987_654)).toBeUndefined();
  });
});
