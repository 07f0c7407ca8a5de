// Issue 18, observed point 9: extracted package files were not fsync'd before the folder was
// published by rename, so a power cut just after an import could leave empty files behind a
// course that says it was imported. The storage now syncs every file and folder of the package,
// then renames, then syncs the folders that name it; the order is what makes it durable, so the
// test watches the order with the real file system underneath.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createClock } from "../../server/clock.ts";
import { createTestDb } from "../support/test-db.ts";
import { buildZip } from "../support/build-zip.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

describe("publishing a package is durable", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lms-durable-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("syncs every file and folder before the rename, and the folders that name it after", async () => {
    const synced: Array<{ target: string; published: boolean }> = [];
    const key = "course-1-v1-abc";
    const storage = createLocalStorage(root, {
      syncPath: async (target) => {
        synced.push({ target, published: fs.existsSync(path.join(root, key)) });
        const handle = await fs.promises.open(target, "r");
        await handle.sync();
        await handle.close();
      },
    });
    const temp = await storage.tempDir();
    const files = ["imsmanifest.xml", "index.html", "shared/a.js", "shared/deep/b.css"];
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(temp, file)), { recursive: true });
      fs.writeFileSync(path.join(temp, file), `content of ${file}`);
    }
    await storage.makeDurable(temp);
    await storage.publish(temp, key);

    const before = synced.filter((entry) => !entry.published).map((entry) => path.relative(temp, entry.target) || ".");
    expect(before.slice(0, files.length).sort()).toEqual([...files].sort());
    expect(before.slice(files.length)).toEqual(["shared/deep", "shared", "."]);
    const after = synced.filter((entry) => entry.published).map((entry) => entry.target);
    expect(after).toEqual([path.resolve(root), path.join(path.resolve(root), ".tmp")]);
    expect(fs.readFileSync(storage.pathOf(key, "shared/deep/b.css"), "utf8")).toBe("content of shared/deep/b.css");
  });

  it("syncs with the real fsync by default", async () => {
    const storage = createLocalStorage(root);
    const temp = await storage.tempDir();
    fs.writeFileSync(path.join(temp, "index.html"), "<p>hi</p>");
    await storage.makeDurable(temp);
    await storage.publish(temp, "course-2-v1-def");
    expect(await storage.exists("course-2-v1-def", "index.html")).toBe(true);
  });

  it("imports a package made durable before its transaction, published after every row is written", async () => {
    const { db, cleanup } = await createTestDb();
    try {
      const events: string[] = [];
      const storage = createLocalStorage(path.join(root, "imports"), {
        syncPath: async (target) => {
          events.push(`sync ${path.basename(target)}`);
          // Outside the import's transaction, the database answers: on SQLite a transaction holds
          // the one connection, so a sync made inside it would wait here for ever.
          if (!["imports", ".tmp"].includes(path.basename(target))) await db.raw("select 1");
        },
      });
      const imported = await importPackage({ db, clock: createClock("2026-03-01T09:00:00Z"), storage }, await buildZip(VALID_PACKAGES["scorm12-multi-sco"]!.files));
      const files = Object.keys(VALID_PACKAGES["scorm12-multi-sco"]!.files).map((file) => `sync ${path.basename(file)}`);
      expect(events).toEqual(expect.arrayContaining(files));
      // The last two syncs are the folders that name the published package, after the rename.
      expect(events.slice(-2)).toEqual([`sync imports`, "sync .tmp"]);
      expect(imported.courseVersionId).toBeGreaterThan(0);
    } finally {
      await cleanup();
    }
  });
});
