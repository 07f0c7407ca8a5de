import type { Db } from "../db/connect.ts";
import type { Manifest } from "../scorm/manifest/parse-manifest.ts";
import { passMarkOf } from "./certification-store.ts";
import { createAttemptStore } from "./attempt-store.ts";

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
  const row = await createAttemptStore(db).attemptWithManifest(personId, attemptId);
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
