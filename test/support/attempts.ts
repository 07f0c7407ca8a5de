import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../server/db/connect.ts";
import type { Clock } from "../../server/clock.ts";
import type { Config } from "../../server/config.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { buildZip } from "./build-zip.ts";
import { VALID_PACKAGES } from "./valid-packages.ts";

/**
 * Imports a package (inline files, e.g. VALID_PACKAGES["scorm12-single"].files) as a real course
 * version, the way an author's upload does, and returns the version's id.
 */
export async function importCourseVersion(t: { db: Db; clock: Clock; config: Config }, files: Record<string, string | Buffer>, code: string): Promise<number> {
  const storage = createLocalStorage(path.join(t.config.dataDir, "packages"));
  const imported = await importPackage({ db: t.db, clock: t.clock, storage }, await buildZip(files), { code });
  return imported.courseVersionId;
}

/**
 * One course per code, each a real import of the same small SCORM 1.2 package (and so with its
 * e-learning class); returns each code's course id.
 */
export async function importCourses(t: { db: Db; clock: Clock; config: Config }, codes: string[]): Promise<Record<string, number>> {
  fs.mkdirSync(t.config.dataDir, { recursive: true });
  const courseIds: Record<string, number> = {};
  for (const code of codes) {
    const versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, code);
    courseIds[code] = Number((await t.db("course_versions").where({ id: versionId }).first("course_id")).course_id);
  }
  return courseIds;
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
