import { isPostgres, type Db } from "../db/connect.ts";
import type { Manifest } from "../packages/manifest/parse-manifest.ts";
import type { ScormVersion } from "./contract.ts";
import { flattenCmi, nestCmi, type FlatCmi } from "./cmi-json.ts";
import type { PerformanceStatus } from "./status.ts";
import type { Learner } from "./session-state.ts";

export interface RuntimeAttempt {
  id: number;
  personId: number;
  courseVersionId: number;
  preview: boolean;
  performanceStatus: PerformanceStatus;
  completedAt: string | null;
  finishedAt: string | null;
}

export interface RuntimeSco {
  id: number;
  scoId: string;
  cmi: FlatCmi;
  commitSequence: number;
  performanceStatus: PerformanceStatus;
  completionStatus: string | null;
  successStatus: string | null;
  scoreScaled: number | null;
  totalTimeMs: number;
  sessionTimeMs: number;
  lastCommitDigest: string | null;
  lastCommitStatus: PerformanceStatus | null;
  completedAt: string | null;
}

export type ScoSummary = Pick<RuntimeSco, "scoId" | "performanceStatus" | "scoreScaled" | "totalTimeMs">;

/** What a commit writes back: the SCO's state, plus when. */
export type ScoUpdate = Omit<RuntimeSco, "id" | "scoId"> & { lastCommitAt: string | null; updatedAt: string };

export interface AttemptSummaryUpdate {
  performanceStatus: PerformanceStatus;
  scoreScaled: number | null;
  totalTimeMs: number;
  lastCommitAt: string;
  completedAt: string | null;
  finishedAt: string | null;
}

// PostgreSQL returns bigint as text and real with float4 noise (0.9 -> 0.899999976).
const toNumber = (value: unknown) => Number(value ?? 0);
const toScore = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value) * 1e6) / 1e6);
const toText = (value: unknown) => (value === null || value === undefined ? null : String(value));

function toSco(row: Record<string, unknown>): RuntimeSco {
  return {
    id: Number(row.id),
    scoId: String(row.sco_identifier),
    cmi: flattenCmi(JSON.parse(String(row.cmi))).values,
    commitSequence: Number(row.commit_sequence),
    performanceStatus: String(row.performance_status) as PerformanceStatus,
    completionStatus: toText(row.completion_status),
    successStatus: toText(row.success_status),
    scoreScaled: toScore(row.score_scaled),
    totalTimeMs: toNumber(row.total_time_ms),
    sessionTimeMs: toNumber(row.session_time_ms),
    lastCommitDigest: toText(row.last_commit_digest),
    lastCommitStatus: toText(row.last_commit_status) as PerformanceStatus | null,
    completedAt: toText(row.completed_at),
  };
}

/** The runtime's queries. Every method runs on the caller's transaction. */
export function createRuntimeStore(db: Db) {
  const lockIfPostgres = <T extends { forUpdate(): T }>(query: T): T => (isPostgres(db) ? query.forUpdate() : query);

  return {
    /**
     * The attempt, locked for the rest of the transaction. Every commit and state fetch of an
     * attempt takes this lock first, so they run one after the other: two commits of one SCO
     * never interleave, and the attempt's roll-up always sees every SCO's latest status.
     * SQLite has one connection, which serialises transactions already.
     */
    async lockAttempt(attemptId: number): Promise<RuntimeAttempt | undefined> {
      const row = await lockIfPostgres(db("attempts").where({ id: attemptId })).first();
      if (!row) return undefined;
      return {
        id: Number(row.id),
        personId: Number(row.person_id),
        courseVersionId: Number(row.course_version_id),
        preview: Boolean(row.preview),
        performanceStatus: String(row.performance_status) as PerformanceStatus,
        completedAt: toText(row.completed_at),
        finishedAt: toText(row.finished_at),
      };
    },

    async courseVersion(courseVersionId: number): Promise<{ scormVersion: ScormVersion; manifest: Manifest }> {
      const row = await db("course_versions").where({ id: courseVersionId }).first("manifest");
      const manifest = JSON.parse(String(row.manifest)) as Manifest;
      return { scormVersion: manifest.scormVersion === "1.2" ? "1.2" : "2004", manifest };
    },

    async learner(personId: number): Promise<Learner> {
      const row = await db("people").leftJoin("accounts", "accounts.person_id", "people.id").where("people.id", personId).first("people.last_name", "people.first_name", "accounts.username");
      return { username: String(row?.username ?? ""), lastName: String(row?.last_name ?? ""), firstName: String(row?.first_name ?? "") };
    },

    /** The SCO's row, made on first use (first state fetch or commit); the attempt is locked already. */
    async scoRow(attemptId: number, scoId: string, now: string): Promise<RuntimeSco> {
      const existing = await db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: scoId }).first();
      if (existing) return toSco(existing);
      await db("attempt_scos").insert({ attempt_id: attemptId, sco_identifier: scoId, cmi: "{}", commit_sequence: 0, updated_at: now });
      return toSco(await db("attempt_scos").where({ attempt_id: attemptId, sco_identifier: scoId }).first());
    },

    /** What the attempt's roll-up needs of each of its SCOs (not their CMI, which can be large). */
    async scoSummaries(attemptId: number): Promise<ScoSummary[]> {
      const rows = await db("attempt_scos").where({ attempt_id: attemptId }).orderBy("id").select("sco_identifier", "performance_status", "score_scaled", "total_time_ms");
      return rows.map((row) => ({
        scoId: String(row.sco_identifier),
        performanceStatus: String(row.performance_status) as PerformanceStatus,
        scoreScaled: toScore(row.score_scaled),
        totalTimeMs: toNumber(row.total_time_ms),
      }));
    },

    async updateSco(id: number, update: ScoUpdate): Promise<void> {
      await db("attempt_scos")
        .where({ id })
        .update({
          cmi: JSON.stringify(nestCmi(update.cmi)),
          commit_sequence: update.commitSequence,
          performance_status: update.performanceStatus,
          completion_status: update.completionStatus,
          success_status: update.successStatus,
          score_scaled: update.scoreScaled,
          total_time_ms: update.totalTimeMs,
          session_time_ms: update.sessionTimeMs,
          last_commit_digest: update.lastCommitDigest,
          last_commit_status: update.lastCommitStatus,
          last_commit_at: update.lastCommitAt,
          completed_at: update.completedAt,
          updated_at: update.updatedAt,
        });
    },

    /** A new session: the open session's time is closed into the total (which already holds it). */
    async startScoSession(id: number, now: string): Promise<void> {
      await db("attempt_scos").where({ id }).update({ session_time_ms: 0, updated_at: now });
    },

    async updateAttemptSummary(attemptId: number, update: AttemptSummaryUpdate): Promise<void> {
      await db("attempts").where({ id: attemptId }).update({
        performance_status: update.performanceStatus,
        score_scaled: update.scoreScaled,
        total_time_ms: update.totalTimeMs,
        last_commit_at: update.lastCommitAt,
        completed_at: update.completedAt,
        finished_at: update.finishedAt,
      });
    },

    /** Appends an accepted commit and drops the attempt's oldest entries beyond `keep`. */
    async appendCommitLog(entry: { attemptId: number; scoId: string; commitSequence: number; body: unknown; receivedAt: string }, keep: number): Promise<void> {
      await db("commit_log").insert({
        attempt_id: entry.attemptId,
        sco_identifier: entry.scoId,
        commit_sequence: entry.commitSequence,
        body: JSON.stringify(entry.body),
        received_at: entry.receivedAt,
      });
      const oldestKept = await db("commit_log").where({ attempt_id: entry.attemptId }).orderBy("id", "desc").offset(keep - 1).first("id");
      if (oldestKept) await db("commit_log").where({ attempt_id: entry.attemptId }).andWhere("id", "<", oldestKept.id).delete();
    },
  };
}

export type RuntimeStore = ReturnType<typeof createRuntimeStore>;
