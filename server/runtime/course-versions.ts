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
export function createCourseVersionCache() {
  const remembered = new Map<number, RuntimeCourseVersion>();

  return {
    async get(db: Db, ids: number[]): Promise<Map<number, RuntimeCourseVersion>> {
      const missing = [...new Set(ids)].filter((id) => !remembered.has(id));
      if (missing.length > 0) {
        const rows = await db("course_versions").whereIn("id", missing).select("id", "manifest");
        for (const row of rows) {
          const manifest = JSON.parse(String(row.manifest)) as Manifest;
          // Oldest first out: a Map iterates in insertion order.
          if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
          remembered.set(Number(row.id), { scormVersion: manifest.scormVersion === "1.2" ? "1.2" : "2004", manifest });
        }
      }
      return new Map(ids.flatMap((id) => (remembered.has(id) ? [[id, remembered.get(id)!] as const] : [])));
    },
  };
}

export type CourseVersionCache = ReturnType<typeof createCourseVersionCache>;
