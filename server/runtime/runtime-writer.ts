import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import type { CommitResponse, StateResponse } from "./contract.ts";
import { applyCommit, type CommitInput } from "./commit-service.ts";
import { loadState } from "./state-service.ts";
import { saveSequencingState } from "./sequencing-state-service.ts";
import { createCourseVersionCache } from "./course-versions.ts";
import { loadRuntimeBatch, type RuntimeBatch, type RuntimeTarget } from "./runtime-batch.ts";

/** Requests applied in one transaction at most; more wait for the next. */
const BATCH_LIMIT = 100;

interface Job<T> {
  target: RuntimeTarget;
  apply(batch: RuntimeBatch): T;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the runtime. Every commit and state fetch of this process queues here; while
 * one transaction is being written, the requests that arrive meanwhile wait, and then go together
 * in the next: one read of their attempts, one write back, one durable commit (one fsync on
 * SQLite) for all of them. Each is answered only after that commit, so an acknowledged commit is
 * on disk. Requests are applied in arrival order, so two commits of one SCO keep their order.
 *
 * Why: SQLite has one writer, and a transaction per commit (a dozen statements and an fsync each)
 * capped a trust at about 200 commits a second. PostgreSQL gains too: fewer round trips and
 * commits, and each process holds its attempts' row locks for one short transaction.
 */
export function createRuntimeWriter(db: Db, clock: Clock) {
  const versions = createCourseVersionCache();
  const queue: Array<Job<unknown>> = [];
  let writing: Promise<void> | null = null;

  function enqueue<T>(target: RuntimeTarget, apply: (batch: RuntimeBatch) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ target, apply, resolve, reject } as Job<unknown>);
      writing ??= drain();
    });
  }

  async function drain(): Promise<void> {
    // Let the requests that arrived in this turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.length > 0) await writeBatch(queue.splice(0, BATCH_LIMIT));
    writing = null;
  }

  async function writeBatch(jobs: Array<Job<unknown>>): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await db.transaction(async (trx) => {
        outcomes.length = 0;
        const batch = await loadRuntimeBatch(trx, versions, jobs.map((job) => job.target), clock.now().toISOString());
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: job.apply(batch) });
          } catch (error) {
            // Refused (or failed): this request put nothing; the others go on.
            outcomes.push({ ok: false, error });
          }
        }
        await batch.save();
      });
    } catch (error) {
      // Nothing of this batch was stored: every request in it fails, and the player may resend.
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  return {
    commit: (input: CommitInput): Promise<CommitResponse> => enqueue(input, (batch) => applyCommit(batch, input)),
    state: (request: { attemptId: number; scoId: string; personId: number }): Promise<StateResponse> => enqueue({ ...request, needsLearner: true }, (batch) => loadState(batch, request)),
    sequencingState: (request: { attemptId: number; personId: number; body: unknown; accountId?: number | null; ip?: string | null }): Promise<CommitResponse> => enqueue({ attemptId: request.attemptId }, (batch) => saveSequencingState(batch, request)),
  };
}

export type RuntimeWriter = ReturnType<typeof createRuntimeWriter>;
