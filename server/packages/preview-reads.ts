import type { Db } from "../db/connect.ts";

/** What one SCO of a preview reported, as the runtime stored it. */
export interface PreviewSco {
  identifier: string;
  /** Not Attempted, Incomplete, Completed, Passed or Failed: the guide's Performance Status. */
  performanceStatus: string;
  completionStatus: string | null;
  successStatus: string | null;
  scoreScaled: number | null;
  totalTimeMs: number;
}

/** An author's newest preview of one version: the attempt's summary and each SCO's report. */
export interface PreviewResult {
  courseVersionId: number;
  attemptId: number;
  startedAt: string;
  lastCommitAt: string | null;
  performanceStatus: string;
  scoreScaled: number | null;
  scos: PreviewSco[];
}

/**
 * What the author's own previews of these versions reported (the newest preview of each), read
 * from the preview attempts' stored runtime data, so the course page shows what the SCO said
 * (status, success, score, time) once the preview window closes.
 */
export async function latestPreviews(db: Db, personId: number, courseVersionIds: number[]): Promise<Map<number, PreviewResult>> {
  const results = new Map<number, PreviewResult>();
  if (courseVersionIds.length === 0) return results;
  const attempts = await db("attempts")
    .where({ person_id: personId, preview: true })
    .whereIn("course_version_id", courseVersionIds)
    .orderBy("id", "desc")
    .select("id", "course_version_id", "started_at", "last_commit_at", "performance_status", "score_scaled");
  for (const row of attempts) {
    const versionId = Number(row.course_version_id);
    if (results.has(versionId)) continue;
    results.set(versionId, {
      courseVersionId: versionId,
      attemptId: Number(row.id),
      startedAt: String(row.started_at),
      lastCommitAt: row.last_commit_at ?? null,
      performanceStatus: String(row.performance_status),
      scoreScaled: row.score_scaled === null || row.score_scaled === undefined ? null : Number(row.score_scaled),
      scos: [],
    });
  }
  const newest = [...results.values()];
  if (newest.length === 0) return results;
  const scos = await db("attempt_scos")
    .whereIn("attempt_id", newest.map((preview) => preview.attemptId))
    .orderBy("id")
    .select("attempt_id", "sco_identifier", "performance_status", "completion_status", "success_status", "score_scaled", "total_time_ms");
  const byAttempt = new Map(newest.map((preview) => [preview.attemptId, preview]));
  for (const sco of scos) {
    byAttempt.get(Number(sco.attempt_id))?.scos.push({
      identifier: String(sco.sco_identifier),
      performanceStatus: String(sco.performance_status),
      completionStatus: sco.completion_status ?? null,
      successStatus: sco.success_status ?? null,
      scoreScaled: sco.score_scaled === null || sco.score_scaled === undefined ? null : Number(sco.score_scaled),
      totalTimeMs: Number(sco.total_time_ms ?? 0),
    });
  }
  return results;
}
