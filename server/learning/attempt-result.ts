import type { Db } from "../db/connect.ts";
import type { Manifest } from "../scorm/manifest/parse-manifest.ts";
import { passMarkOf } from "./certification-store.ts";

export interface AttemptResult {
  id: number;
  course: string;
  startedAt: string;
  finishedAt: string | null;
  performanceStatus: string;
  /** Percentages (scaled x 100), or null when the package reported none / has none. */
  score: number | null;
  passMark: number | null;
  preview: boolean;
}

/** One of the learner's own attempts, with its score beside the pass mark it was judged against. */
export async function attemptResult(db: Db, personId: number, attemptId: number): Promise<AttemptResult | undefined> {
  const row = await db("attempts")
    .join("course_versions", "course_versions.id", "attempts.course_version_id")
    .join("courses", "courses.id", "course_versions.course_id")
    .where({ "attempts.id": attemptId, "attempts.person_id": personId })
    .first("attempts.*", "courses.code", "course_versions.manifest");
  if (!row) return undefined;
  const percent = (scaled: number | null) => (scaled === null ? null : Math.round(scaled * 1000) / 10);
  return {
    id: Number(row.id),
    course: String(row.code),
    startedAt: String(row.started_at),
    finishedAt: row.finished_at ?? null,
    performanceStatus: String(row.performance_status),
    score: percent(row.score_scaled === null ? null : Number(row.score_scaled)),
    passMark: percent(passMarkOf(JSON.parse(String(row.manifest)) as Manifest)),
    preview: Boolean(row.preview),
  };
}
