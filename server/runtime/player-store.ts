import type { Db } from "../db/connect.ts";
import type { Manifest } from "../scorm/manifest/parse-manifest.ts";
import { courseVersionCacheOf } from "../packages/index.ts";

export interface PlayerAttempt {
  id: number;
  personId: number;
  preview: boolean;
  courseVersionId: number;
  courseId: number;
  /** The title of the version the attempt plays (a new upload never changes an attempt started). */
  title: string;
  manifest: Manifest;
  sequencingState: string | null;
}

export interface ScoProgress {
  scoId: string;
  completionStatus: string | null;
  successStatus: string | null;
  updatedAt: string;
}

/** What the player window page reads: the attempt with its version's manifest, and each SCO's progress. */
export function createPlayerStore(db: Db, reads: Db = db) {
  // One cache per database (keyed by the writer's db); its misses are read like the rest, on reads.
  const versions = courseVersionCacheOf(db);
  return {
    async attempt(attemptId: number): Promise<PlayerAttempt | undefined> {
      const row = await reads("attempts")
        .join("course_versions", "course_versions.id", "attempts.course_version_id")
        .where("attempts.id", attemptId)
        .first("attempts.id", "attempts.person_id", "attempts.preview", "attempts.course_version_id", "course_versions.course_id", "course_versions.title", "attempts.sequencing_state");
      const version = row && (await versions.one(reads, Number(row.course_version_id)));
      if (!row || !version) return undefined;
      return {
        id: Number(row.id),
        personId: Number(row.person_id),
        preview: Boolean(row.preview),
        courseVersionId: Number(row.course_version_id),
        courseId: Number(row.course_id),
        title: String(row.title),
        manifest: version.manifest,
        sequencingState: row.sequencing_state ?? null,
      };
    },

    /** Newest first. */
    async scoProgress(attemptId: number): Promise<ScoProgress[]> {
      const rows = await reads("attempt_scos")
        .where({ attempt_id: attemptId })
        .orderBy([{ column: "updated_at", order: "desc" }, { column: "id", order: "desc" }])
        .select("sco_identifier", "completion_status", "success_status", "updated_at");
      return rows.map((row) => ({
        scoId: String(row.sco_identifier),
        completionStatus: row.completion_status ?? null,
        successStatus: row.success_status ?? null,
        updatedAt: String(row.updated_at),
      }));
    },
  };
}
