import { isPostgres, type Db } from "../db/connect.ts";
import type { EarnedAttempt } from "../deps.ts";
import { recordAudit, type AuditEvent } from "../audit/index.ts";
import type { CourseVersionCache, RuntimeCourseVersion } from "../packages/index.ts";
import type { Learner } from "./session-state.ts";
import { isCompleted } from "../scorm/status.ts";
import { createRuntimeStore, type ArchivedScoAttempt, type CommitLogEntry, type RuntimeAttempt, type RuntimeSco, type ScoSummary } from "./store.ts";

/** The commit log keeps the newest entries of each attempt. */
export const COMMIT_LOG_KEEP = 500;
/**
 * An attempt's older entries are trimmed when one of its SCOs' commits passes a multiple of this
 * (commitTrimsLog), so an attempt holds at most this many entries more than COMMIT_LOG_KEEP per SCO
 * in between. Trimming every attempt of every batch was 2.3 ms of SQLite's one writer per batch of
 * 53 learners (measured apart: the newest-500 look-up per attempt), about a twelfth of a batch in
 * bench:commits; this way most batches trim one or two attempts.
 */
export const COMMIT_LOG_TRIM_EVERY = 25;

/** Whether a SCO's commit from sequence `before` to `after` passes a multiple of COMMIT_LOG_TRIM_EVERY. */
export function commitTrimsLog(before: number, after: number): boolean {
  return Math.floor(after / COMMIT_LOG_TRIM_EVERY) > Math.floor(before / COMMIT_LOG_TRIM_EVERY);
}

export interface RuntimeTarget {
  attemptId: number;
  /** Absent for what concerns the whole attempt (its sequencing state). */
  scoId?: string;
  /** A state fetch tells the SCO who the learner is; commits need not read that. */
  needsLearner?: boolean;
}

/**
 * What one batch of runtime requests works on, inside one transaction: the attempts it touches
 * (locked), their SCOs and course versions, read in a few statements up front; then each request
 * is applied in memory, in arrival order, and what changed is written back in a few statements
 * before the transaction commits. A request's changes are put only once it has succeeded, so a
 * refused request leaves nothing behind.
 */
export interface RuntimeBatch {
  readonly now: string;
  attempt(attemptId: number): RuntimeAttempt | undefined;
  courseVersion(courseVersionId: number): RuntimeCourseVersion;
  /** The SCO's row as it stands in this batch; a SCO never played yet starts empty. */
  sco(attemptId: number, scoId: string): RuntimeSco;
  /** Every SCO of the attempt that has a row, as it stands in this batch. */
  scoSummaries(attemptId: number): ScoSummary[];
  learner(personId: number): Learner;
  putSco(sco: RuntimeSco): void;
  putAttempt(attempt: RuntimeAttempt): void;
  log(entry: CommitLogEntry): void;
  audit(event: AuditEvent): void;
  /** Keeps the CMI a new attempt on the activity replaces. */
  archive(entry: ArchivedScoAttempt): void;
}

const key = (attemptId: number, scoId: string) => `${attemptId}\u0000${scoId}`;

/** An attempt that became Completed or Passed in a batch, for the crediting step to credit. */
export async function loadRuntimeBatch(trx: Db, versions: CourseVersionCache, targets: RuntimeTarget[], now: string): Promise<RuntimeBatch & { save(): Promise<EarnedAttempt[]> }> {
  const store = createRuntimeStore(trx);
  // The locks first (PostgreSQL then reads what was committed before them); then the rest together (allOf).
  const attempts = new Map((await store.lockAttempts([...new Set(targets.map((target) => target.attemptId))])).map((attempt) => [attempt.id, attempt]));
  const statusAtStart = new Map([...attempts.values()].map((attempt) => [attempt.id, attempt.performanceStatus]));
  const pairs = [...new Map(targets.flatMap(({ attemptId, scoId }) => (scoId === undefined ? [] : [[key(attemptId, scoId), [attemptId, scoId] as [number, string]] as const]))).values()];
  const learnerIds = [...new Set(targets.filter((target) => target.needsLearner).flatMap((target) => attempts.get(target.attemptId)?.personId ?? []))];
  const [scoRows, summaryRows, courseVersions, learners] = await allOf(trx, [
    async () => (attempts.size && pairs.length ? store.scos(pairs) : []),
    async () => (attempts.size ? store.scoSummaries([...attempts.keys()]) : []),
    () => versions.get(trx, [...attempts.values()].map((attempt) => attempt.courseVersionId)),
    async () => (learnerIds.length ? store.learners(learnerIds) : new Map<number, Learner>()),
  ] as const);
  const scos = new Map(scoRows.map((sco) => [key(sco.attemptId, sco.scoId), sco]));
  const summaries = new Map<number, Map<string, ScoSummary>>();
  for (const { attemptId, ...summary } of summaryRows) summaries.set(attemptId, (summaries.get(attemptId) ?? new Map()).set(summary.scoId, summary));

  const changedScos = new Map<string, RuntimeSco>();
  const changedAttempts = new Map<number, RuntimeAttempt>();
  const logEntries: CommitLogEntry[] = [];
  const auditEvents: AuditEvent[] = [];
  const archived: ArchivedScoAttempt[] = [];

  return {
    now,
    attempt: (attemptId) => attempts.get(attemptId),
    courseVersion: (courseVersionId) => courseVersions.get(courseVersionId)!,
    sco: (attemptId, scoId) => scos.get(key(attemptId, scoId)) ?? emptySco(attemptId, scoId, now),
    scoSummaries: (attemptId) => [...(summaries.get(attemptId)?.values() ?? [])],
    learner: (personId) => learners.get(personId) ?? { username: "", lastName: "", firstName: "" },
    putSco(sco) {
      scos.set(key(sco.attemptId, sco.scoId), sco);
      changedScos.set(key(sco.attemptId, sco.scoId), sco);
      const { scoId, performanceStatus, scoreScaled, totalTimeMs } = sco;
      summaries.set(sco.attemptId, (summaries.get(sco.attemptId) ?? new Map()).set(scoId, { scoId, performanceStatus, scoreScaled, totalTimeMs }));
    },
    putAttempt(attempt) {
      attempts.set(attempt.id, attempt);
      changedAttempts.set(attempt.id, attempt);
    },
    log: (entry) => logEntries.push(entry),
    audit: (event) => auditEvents.push(event),
    archive: (entry) => archived.push(entry),
    async save() {
      await allOf(trx, [
        () => store.archiveScoAttempts(archived),
        () => store.saveScos([...changedScos.values()]),
        () => store.saveAttemptSummaries([...changedAttempts.values()]),
        () => store.appendCommitLog(logEntries, COMMIT_LOG_KEEP),
        // One after another, so that the audit trail keeps their order.
        async () => {
          for (const event of auditEvents) await recordAudit(trx, event);
        },
      ]);
      // Learning that became Completed or Passed in this batch: the writer has it credited, in this transaction.
      return [...changedAttempts.values()]
        .filter((attempt) => !attempt.preview && isCompleted(attempt.performanceStatus) && attempt.performanceStatus !== statusAtStart.get(attempt.id))
        .map((attempt) => ({ id: attempt.id, personId: attempt.personId }));
    },
  };
}

type Results<T extends ReadonlyArray<() => unknown>> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

/**
 * Statements of one transaction that do not depend on each other. On SQLite they are sent
 * together: the writer connection runs them one after another in the order sent (serialize mode,
 * db/connect.ts), and the batch waits once for all of them instead of once for each. Every one is
 * settled before the first failure is thrown, so that the transaction is never rolled back under a
 * statement still running in it. On PostgreSQL they are sent one after another: node-postgres
 * queues a second query on a busy client today, but deprecates it (pg 9 will refuse it).
 */
export async function allOf<T extends ReadonlyArray<() => unknown>>(db: Db, work: T): Promise<Results<T>> {
  if (isPostgres(db)) {
    const results: unknown[] = [];
    for (const each of work) results.push(await each());
    return results as Results<T>;
  }
  const settled = await Promise.allSettled(work.map((each) => each()));
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as Results<T>;
}

function emptySco(attemptId: number, scoId: string, now: string): RuntimeSco {
  return {
    attemptId,
    scoId,
    cmi: {},
    commitSequence: 0,
    performanceStatus: "Not Attempted",
    completionStatus: null,
    successStatus: null,
    scoreScaled: null,
    totalTimeMs: 0,
    sessionTimeMs: 0,
    lastCommitDigest: null,
    lastCommitStatus: null,
    lastCommitAt: null,
    completedAt: null,
    updatedAt: now,
    sessionOpen: false,
    sessionStartedAt: null,
    suspended: false,
    activityAttempt: 1,
    activityAttemptBaseMs: 0,
  };
}
