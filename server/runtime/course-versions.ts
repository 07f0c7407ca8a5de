import type { Db } from "../db/connect.ts";
import type { Manifest } from "../packages/manifest/parse-manifest.ts";
import type { ScormVersion } from "./contract.ts";

export interface RuntimeCourseVersion {
  scormVersion: ScormVersion;
  manifest: Manifest;
}

/** Versions kept parsed; an LMS plays far fewer at once. */
const REMEMBERED = 500;

/**
 * The manifests of the course versions that attempts play, parsed once per process. A version
 * never changes after its import (a new upload is a new version), so what is remembered is never
 * stale, whichever process imported it.
 */
export function createCourseVersionCache(limit = REMEMBERED) {
  const remembered = new Map<number, RuntimeCourseVersion>();

  return {
    async get(db: Db, ids: number[]): Promise<Map<number, RuntimeCourseVersion>> {
      const wanted = new Set(ids);
      const found = new Map<number, RuntimeCourseVersion>();
      for (const id of wanted) if (remembered.has(id)) found.set(id, remembered.get(id)!);
      const missing = [...wanted].filter((id) => !found.has(id));
      if (missing.length > 0) {
        const rows = await db("course_versions").whereIn("id", missing).select("id", "manifest");
        for (const row of rows) {
          const manifest = JSON.parse(String(row.manifest)) as Manifest;
          found.set(Number(row.id), { scormVersion: manifest.scormVersion === "1.2" ? "1.2" : "2004", manifest });
        }
      }
      // Remembered after the answer is complete, so that making room never drops one asked for
      // now; oldest first out (a Map iterates in insertion order).
      for (const [id, version] of found) {
        remembered.delete(id);
        remembered.set(id, version);
      }
      while (remembered.size > limit) remembered.delete(remembered.keys().next().value!);
      return found;
    },
  };
}

export type CourseVersionCache = ReturnType<typeof createCourseVersionCache>;
