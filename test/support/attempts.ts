import path from "node:path";
import type { Db } from "../../server/db/connect.ts";
import type { Clock } from "../../server/clock.ts";
import type { Config } from "../../server/config.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { buildZip } from "./build-zip.ts";

/**
 * Imports a package (inline files, e.g. VALID_PACKAGES["scorm12-single"].files) as a real course
 * version, the way an author's upload does, and returns the version's id.
 */
export async function importCourseVersion(t: { db: Db; clock: Clock; config: Config }, files: Record<string, string | Buffer>, code: string): Promise<number> {
  const storage = createLocalStorage(path.join(t.config.dataDir, "packages"));
  const imported = await importPackage({ db: t.db, clock: t.clock, storage }, await buildZip(files), { code });
  return imported.courseVersionId;
}

/** An attempt row made directly, as Play (or an author's preview) would make it. */
export async function buildAttempt(options: { db: Db; personId: number; courseVersionId: number; preview?: boolean; startedAt?: string }): Promise<number> {
  const [row] = await options.db("attempts")
    .insert({
      person_id: options.personId,
      course_version_id: options.courseVersionId,
      preview: options.preview ?? false,
      started_at: options.startedAt ?? "2026-03-01T09:00:00.000Z",
    })
    .returning("id");
  return Number(row.id);
}
