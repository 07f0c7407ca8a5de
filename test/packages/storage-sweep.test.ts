import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../server/db/connect.ts";
import { createClock } from "../../server/clock.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage, type PackageStorage } from "../../server/packages/storage.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildZip } from "../support/build-zip.ts";
import { fireSafetyManifest12 as manifest12 } from "../support/valid-packages.ts";

const clock = createClock("2026-03-01T09:00:00Z");
const valid12 = () => ({ "imsmanifest.xml": manifest12(), "index.html": "<p>Fire</p>", "quiz/quiz.html": "<p>Quiz</p>" });

/** What interrupted imports leave behind (Ctrl-C, kill -9) is swept by age; the server and CLI call this at start. */
describe("storage.sweepStale", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let storage: PackageStorage;
  beforeAll(async () => ({ db, cleanup } = await createTestDb()));
  afterAll(async () => cleanup());
  beforeEach(() => {
    storage = createLocalStorage(fs.mkdtempSync(path.join(os.tmpdir(), "lms-packages-")));
  });

  it("removes temporary folders and uploads untouched for an hour, and nothing else", async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
    const make = (relative: string, age: number, file = false) => {
      const target = path.join(storage.root, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (file) fs.writeFileSync(target, "x");
      else fs.mkdirSync(target, { recursive: true });
      fs.utimesSync(target, hoursAgo(age), hoursAgo(age));
    };
    make(".tmp/work-old/extract-old/index.html", 3, true);
    make(".tmp/work-old/extract-old", 3);
    make(".tmp/work-old", 3);
    make(".tmp/work-live/extract-live", 0); // an import in another process, still writing
    make(".tmp/work-live", 3);
    make(".tmp/work-fresh", 0);
    make(".uploads/0123abcd", 2, true);
    make(".uploads/4567efgh", 0, true);
    make("course-1-v1-abcdef", 5);

    expect((await storage.sweepStale()).sort()).toEqual([".tmp/work-old", ".uploads/0123abcd"]);
    expect(fs.readdirSync(path.join(storage.root, ".tmp")).sort()).toEqual(["work-fresh", "work-live"]);
    expect(fs.readdirSync(path.join(storage.root, ".uploads"))).toEqual(["4567efgh"]);
    expect(fs.existsSync(path.join(storage.root, "course-1-v1-abcdef"))).toBe(true);
    expect(await storage.sweepStale(0)).toEqual(expect.arrayContaining([".tmp/work-fresh"]));
  });

  it("leaves an import in progress alone", async () => {
    let swept: string[] | undefined;
    const result = await importPackage({ db, clock, storage }, await buildZip({ ...valid12(), "imsmanifest.xml": manifest12("297 Swept") }), {
      onProgress: (progress) => {
        if (progress.stage === "saving") void storage.sweepStale().then((removed) => (swept = removed));
      },
    });
    await vi.waitFor(() => expect(swept).toBeDefined());
    expect(swept).toEqual([]);
    expect(result.version).toBe(1);
  });

  it("does nothing in a storage root that has no temporary area yet", async () => {
    expect(await createLocalStorage(path.join(storage.root, "never-used")).sweepStale()).toEqual([]);
  });
});
