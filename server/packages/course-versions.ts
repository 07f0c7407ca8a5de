import type { Db } from "../db/connect.ts";
import type { Manifest } from "../scorm/manifest/parse-manifest.ts";
import type { ScormVersion } from "../scorm/contract.ts";
import { createCourseStore } from "./store.ts";

export interface RuntimeCourseVersion {
  scormVersion: ScormVersion;
  manifest: Manifest;
}

export interface CourseVersionCacheLimits {
  /** Versions kept parsed; an LMS plays far fewer at once. */
  versions: number;
  /** Their manifests' stored JSON, in characters, all together. */
  manifestChars: number;
}

/**
 * A typical manifest is a few kB of JSON; the largest the package limits allow is about 10 MB of
 * it, and parsed it holds about as much of the heap (measured: 5 MB for bench:import-healthz's,
 * whose strings repeat; 14 MB for 11.5 MB of unique file names). Counted in versions alone, 500 of
 * those could be 7 GB: an author who uploaded a few hundred of the largest and previewed each
 * could take the process down. 64 M characters is six of the largest, or thousands of ordinary ones.
 */
const DEFAULT_LIMITS: CourseVersionCacheLimits = { versions: 500, manifestChars: 64 * 1024 * 1024 };

/**
 * The manifests of the course versions that attempts play, parsed once per process. A version
 * never changes after its import (a new upload is a new version), so what is remembered is never
 * stale, whichever process imported it. Parsing the largest allowed manifest takes about 30 ms of
 * the event loop, which every SCO launched and every commit of such a course would otherwise pay.
 */
export function createCourseVersionCache(limits: Partial<CourseVersionCacheLimits> = {}) {
  const { versions: maxVersions, manifestChars: maxChars } = { ...DEFAULT_LIMITS, ...limits };
  const remembered = new Map<number, RuntimeCourseVersion & { chars: number }>();
  let chars = 0;

  function forget(id: number): void {
    const gone = remembered.get(id);
    if (!gone) return;
    remembered.delete(id);
    chars -= gone.chars;
  }

  return {
    async get(db: Db, ids: number[]): Promise<Map<number, RuntimeCourseVersion>> {
      const wanted = new Set(ids);
      const found = new Map<number, RuntimeCourseVersion & { chars: number }>();
      for (const id of wanted) if (remembered.has(id)) found.set(id, remembered.get(id)!);
      const missing = [...wanted].filter((id) => !found.has(id));
      if (missing.length > 0) {
        const rows = await createCourseStore(db).manifestsOf(missing);
        for (const row of rows) {
          const json = String(row.manifest);
          const manifest = JSON.parse(json) as Manifest;
          found.set(Number(row.id), { scormVersion: manifest.scormVersion === "1.2" ? "1.2" : "2004", manifest, chars: json.length });
        }
      }
      // Remembered after the answer is complete, so that making room never drops one asked for
      // now; least recently used first out (a Map iterates in insertion order). One version larger
      // than the whole budget is answered but not kept.
      for (const [id, version] of found) {
        forget(id);
        if (version.chars > maxChars) continue;
        remembered.set(id, version);
        chars += version.chars;
      }
      while (remembered.size > maxVersions || chars > maxChars) forget(remembered.keys().next().value!);
      return new Map([...found].map(([id, { scormVersion, manifest }]) => [id, { scormVersion, manifest }]));
    },

    /** One version, or undefined when there is no such version. */
    async one(db: Db, id: number): Promise<RuntimeCourseVersion | undefined> {
      return (await this.get(db, [id])).get(id);
    },
  };
}

export type CourseVersionCache = ReturnType<typeof createCourseVersionCache>;

const perDatabase = new WeakMap<Db, CourseVersionCache>();

/**
 * The one cache of a database's versions in this process, shared by the runtime writer, the
 * player page and the content origin's launcher, so that the budget above bounds them together.
 * Keyed by the database because version ids mean nothing across databases (tests open many).
 */
export function courseVersionCacheOf(db: Db): CourseVersionCache {
  let cache = perDatabase.get(db);
  if (!cache) perDatabase.set(db, (cache = createCourseVersionCache()));
  return cache;
}
