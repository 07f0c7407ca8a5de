import type { Knex } from "knex";
import { isPostgres, type Db } from "../db/connect.ts";
import { flattenCmi, nestCmi, type FlatCmi } from "../scorm/cmi-json.ts";
import type { PerformanceStatus } from "../scorm/status.ts";
import type { Learner } from "./session-state.ts";
import { boundedMs } from "../scorm/time.ts";

/** An attempt as the runtime holds it while a batch of its commits is applied. */
export interface RuntimeAttempt {
  id: number;
  personId: number;
  courseVersionId: number;
  preview: boolean;
  startedAt: string;
  performanceStatus: PerformanceStatus;
  scoreScaled: number | null;
  totalTimeMs: number;
  lastCommitAt: string | null;
  completedAt: string | null;
  finishedAt: string | null;
  /** SCORM 2004: scorm-again's serialised sequencing state, as the player last saved it. */
  sequencingState: string | null;
}

/** One SCO of an attempt: its CMI and what the commit service derives from it. */
export interface RuntimeSco {
  attemptId: number;
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
  lastCommitAt: string | null;
  completedAt: string | null;
  updatedAt: string;
  /** A session started and its terminate commit has not come (yet). */
  sessionOpen: boolean;
  /** When the open (or last) session started. */
  sessionStartedAt: string | null;
  /** The last session ended suspended (exit "suspend", or 2004 suspendAll): the next launch resumes. */
  suspended: boolean;
  /** SCORM 2004: the learner attempt on the activity that `cmi` belongs to, from 1. */
  activityAttempt: number;
  /** totalTimeMs when that attempt began: cmi.total_time counts from here. */
  activityAttemptBaseMs: number;
}

/** The CMI of a SCO's earlier attempt on its activity, kept when a new attempt starts afresh. */
export interface ArchivedScoAttempt {
  attemptId: number;
  scoId: string;
  activityAttempt: number;
  cmi: FlatCmi;
  performanceStatus: PerformanceStatus;
  archivedAt: string;
}

/** What an attempt's roll-up needs of each of its SCOs (not their CMI, which can be large). */
export type ScoSummary = Pick<RuntimeSco, "scoId" | "performanceStatus" | "scoreScaled" | "totalTimeMs">;

export interface CommitLogEntry {
  attemptId: number;
  scoId: string;
  commitSequence: number;
  body: unknown;
  receivedAt: string;
  /** The attempt's older entries are to be trimmed with this one (runtime-batch.ts's commitTrimsLog). */
  trimsLog: boolean;
}

// What a batch reads is made safe before anything is added up with it, and what it writes is
// bounded to what the columns hold on both databases (migrations 10 and 12): times are bigint,
// kept within boundedMs; scores are float (REAL on SQLite, real on PostgreSQL, which overflows
// past 3.4e38 and takes Infinity), kept scaled, from -1 to 1. A time stored as no finite number
// was written before issue 17 (400 digits of hours made Infinity, the next commit NaN): what it
// counted is lost, and it reads as 0, as migration 29 repairs it. PostgreSQL returns bigint as
// text and real with float4 noise (0.9 -> 0.899999976).
const toMs = (value: unknown) => {
  const ms = Number(value ?? 0);
  return Number.isFinite(ms) ? boundedMs(ms) : 0;
};
const boundedScore = (score: number | null) => (score === null || !Number.isFinite(score) ? null : Math.min(1, Math.max(-1, Math.round(score * 1e6) / 1e6)));
const toScore = (value: unknown) => (value === null || value === undefined ? null : boundedScore(Number(value)));
const toText = (value: unknown) => (value === null || value === undefined ? null : String(value));

/**
 * The runtime's queries, each for a whole batch of commits at once (see runtime-writer.ts): a
 * batch reads its attempts, SCOs and learners in a few statements and writes back in a few more,
 * however many learners it serves. Every method runs on the caller's transaction.
 */
export function createRuntimeStore(db: Db) {
  return {
    /**
     * The attempts, locked for the rest of the transaction (in id order, so two batches never
     * deadlock). Every commit and state fetch of an attempt holds this lock, so they run one after
     * the other and the attempt's roll-up always sees every SCO's latest status. SQLite has one
     * writer, which serialises transactions already.
     */
    async lockAttempts(attemptIds: number[]): Promise<RuntimeAttempt[]> {
      const query = db("attempts").whereIn("id", attemptIds).orderBy("id");
      const rows = await (isPostgres(db) ? query.forUpdate() : query);
      return rows.map((row) => ({
        id: Number(row.id),
        personId: Number(row.person_id),
        courseVersionId: Number(row.course_version_id),
        preview: Boolean(row.preview),
        startedAt: String(row.started_at),
        performanceStatus: String(row.performance_status) as PerformanceStatus,
        scoreScaled: toScore(row.score_scaled),
        totalTimeMs: toMs(row.total_time_ms),
        lastCommitAt: toText(row.last_commit_at),
        completedAt: toText(row.completed_at),
        finishedAt: toText(row.finished_at),
        sequencingState: toText(row.sequencing_state),
      }));
    },

    /** Every SCO row of these attempts, without CMI. */
    async scoSummaries(attemptIds: number[]): Promise<Array<ScoSummary & { attemptId: number }>> {
      const rows = await db("attempt_scos").whereIn("attempt_id", attemptIds).orderBy("id").select("attempt_id", "sco_identifier", "performance_status", "score_scaled", "total_time_ms");
      return rows.map((row) => ({
        attemptId: Number(row.attempt_id),
        scoId: String(row.sco_identifier),
        performanceStatus: String(row.performance_status) as PerformanceStatus,
        scoreScaled: toScore(row.score_scaled),
        totalTimeMs: toMs(row.total_time_ms),
      }));
    },

    /** The full rows of these (attempt, SCO) pairs that exist. */
    async scos(pairs: Array<[number, string]>): Promise<RuntimeSco[]> {
      const rows = await db("attempt_scos").whereIn(["attempt_id", "sco_identifier"], pairs);
      return rows.map((row) => ({
        attemptId: Number(row.attempt_id),
        scoId: String(row.sco_identifier),
        cmi: flattenCmi(JSON.parse(String(row.cmi))).values,
        commitSequence: Number(row.commit_sequence),
        performanceStatus: String(row.performance_status) as PerformanceStatus,
        completionStatus: toText(row.completion_status),
        successStatus: toText(row.success_status),
        scoreScaled: toScore(row.score_scaled),
        totalTimeMs: toMs(row.total_time_ms),
        sessionTimeMs: toMs(row.session_time_ms),
        lastCommitDigest: toText(row.last_commit_digest),
        lastCommitStatus: toText(row.last_commit_status) as PerformanceStatus | null,
        lastCommitAt: toText(row.last_commit_at),
        completedAt: toText(row.completed_at),
        updatedAt: String(row.updated_at),
        sessionOpen: Boolean(row.session_open),
        sessionStartedAt: toText(row.session_started_at),
        suspended: Boolean(row.suspended),
        activityAttempt: Number(row.activity_attempt ?? 1),
        activityAttemptBaseMs: toMs(row.activity_attempt_base_ms),
      }));
    },

    /** The name and username the SCO sees (cmi.core.student_id / cmi.learner_id). */
    async learners(personIds: number[]): Promise<Map<number, Learner>> {
      const rows = await db("people").leftJoin("accounts", "accounts.person_id", "people.id").whereIn("people.id", personIds).select("people.id", "people.last_name", "people.first_name", "accounts.username");
      return new Map(rows.map((row) => [Number(row.id), { username: String(row.username ?? ""), lastName: String(row.last_name ?? ""), firstName: String(row.first_name ?? "") }]));
    },

    /** Writes these SCOs' rows, making those not yet there (one statement). */
    async saveScos(scos: RuntimeSco[]): Promise<void> {
      if (scos.length === 0) return;
      const rows = scos.map((sco) => ({
        attempt_id: sco.attemptId,
        sco_identifier: sco.scoId,
        cmi: JSON.stringify(nestCmi(sco.cmi)),
        commit_sequence: sco.commitSequence,
        performance_status: sco.performanceStatus,
        completion_status: sco.completionStatus,
        success_status: sco.successStatus,
        score_scaled: boundedScore(sco.scoreScaled),
        total_time_ms: boundedMs(sco.totalTimeMs),
        session_time_ms: boundedMs(sco.sessionTimeMs),
        last_commit_digest: sco.lastCommitDigest,
        last_commit_status: sco.lastCommitStatus,
        last_commit_at: sco.lastCommitAt,
        completed_at: sco.completedAt,
        updated_at: sco.updatedAt,
        session_open: sco.sessionOpen,
        session_started_at: sco.sessionStartedAt,
        suspended: sco.suspended,
        activity_attempt: sco.activityAttempt,
        activity_attempt_base_ms: boundedMs(sco.activityAttemptBaseMs),
      }));
      const { attempt_id: _a, sco_identifier: _s, ...changing } = rows[0]!;
      await upsert(db, "attempt_scos", rows, ["attempt_id", "sco_identifier"], Object.keys(changing));
    },

    /**
     * Writes these attempts' summary columns and sequencing state (one statement). An upsert on rows that exist and are
     * locked: it always takes the update branch, but the insert half must still be a whole row.
     */
    async saveAttemptSummaries(attempts: RuntimeAttempt[]): Promise<void> {
      if (attempts.length === 0) return;
      const rows = attempts.map((attempt) => ({
        id: attempt.id,
        person_id: attempt.personId,
        course_version_id: attempt.courseVersionId,
        preview: attempt.preview,
        started_at: attempt.startedAt,
        performance_status: attempt.performanceStatus,
        score_scaled: boundedScore(attempt.scoreScaled),
        total_time_ms: boundedMs(attempt.totalTimeMs),
        last_commit_at: attempt.lastCommitAt,
        completed_at: attempt.completedAt,
        finished_at: attempt.finishedAt,
        sequencing_state: attempt.sequencingState,
      }));
      await upsert(db, "attempts", rows, ["id"], ["performance_status", "score_scaled", "total_time_ms", "last_commit_at", "completed_at", "finished_at", "sequencing_state"]);
    },

    async archiveScoAttempts(archived: ArchivedScoAttempt[]): Promise<void> {
      if (archived.length === 0) return;
      await db("attempt_sco_archive").insert(
        archived.map((entry) => ({
          attempt_id: entry.attemptId,
          sco_identifier: entry.scoId,
          activity_attempt: entry.activityAttempt,
          cmi: JSON.stringify(nestCmi(entry.cmi)),
          performance_status: entry.performanceStatus,
          archived_at: entry.archivedAt,
        })),
      );
    },

    /** Appends accepted commits, then drops the oldest entries beyond `keep` of each attempt an entry trims. */
    async appendCommitLog(entries: CommitLogEntry[], keep: number): Promise<void> {
      if (entries.length === 0) return;
      await insertRows(
        db,
        "commit_log",
        entries.map((entry) => ({
          attempt_id: entry.attemptId,
          sco_identifier: entry.scoId,
          commit_sequence: entry.commitSequence,
          body: JSON.stringify(entry.body),
          received_at: entry.receivedAt,
        })),
      );
      // One statement for the batch: per attempt, everything older than its keep-th newest entry
      // (a subquery of constants per attempt, which each database reads once off the (attempt_id, id) index).
      const attemptIds = [...new Set(entries.filter((entry) => entry.trimsLog).map((entry) => entry.attemptId))];
      if (attemptIds.length === 0) return;
      const older = "(attempt_id = ? AND id < (SELECT id FROM commit_log WHERE attempt_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?))";
      await db.raw(`DELETE FROM commit_log WHERE ${attemptIds.map(() => older).join(" OR ")}`, attemptIds.flatMap((attemptId) => [attemptId, attemptId, keep - 1]));
    },
  };
}

export type RuntimeStore = ReturnType<typeof createRuntimeStore>;

/*
 * A batch's writes as plain SQL with placeholders (the same on SQLite and PostgreSQL), not knex's
 * query builder: building an insert of a batch's rows (sorting every row's columns) and the commit
 * log's trim (a nested callback per attempt) took 4.3% of the event loop's time in a profile of
 * `npm run bench:commits`.
 * Tables and columns are this file's own names, never a request's.
 */
function insertSql(table: string, rows: Array<Record<string, unknown>>): { sql: string; bindings: Knex.RawBinding[] } {
  const columns = Object.keys(rows[0]!);
  const row = `(${columns.map(() => "?").join(", ")})`;
  return {
    sql: `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows.map(() => row).join(", ")}`,
    bindings: rows.flatMap((values) => columns.map((column) => (values[column] ?? null) as Knex.RawBinding)),
  };
}

async function insertRows(db: Db, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  const { sql, bindings } = insertSql(table, rows);
  await db.raw(sql, bindings);
}

/** Inserts rows (each with the same columns), updating the `merge` columns of those whose `conflict` key exists. */
async function upsert(db: Db, table: string, rows: Array<Record<string, unknown>>, conflict: string[], merge: string[]): Promise<void> {
  const { sql, bindings } = insertSql(table, rows);
  await db.raw(`${sql} ON CONFLICT (${conflict.join(", ")}) DO UPDATE SET ${merge.map((column) => `${column} = excluded.${column}`).join(", ")}`, bindings);
}
