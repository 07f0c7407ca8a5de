import { isPostgres, type Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import type { CommitResponse, StateResponse } from "../scorm/contract.ts";
import { applyCommit, type CommitInput } from "./commit-service.ts";
import { loadState } from "./state-service.ts";
import { saveSequencingState } from "./sequencing-state-service.ts";
import { courseVersionCacheOf } from "../packages/index.ts";
import { yieldToEventLoop } from "../yield.ts";
import { allOf, loadRuntimeBatch, type RuntimeBatch, type RuntimeTarget } from "./runtime-batch.ts";
import type { EarnedAttempt } from "../deps.ts";
import { createRuntimeStore } from "./store.ts";
import { SCORM12_ERRORS, ScormRefusal } from "../scorm/scorm-errors.ts";

/** Requests applied in one transaction at most; more wait for the next. */
const BATCH_LIMIT = 100;

/**
 * Batch transactions one process writes at once on PostgreSQL, each on a connection of the pool
 * (10: server/db/connect.ts), leaving the rest to sessions and pages. SQLite writes one at a time.
 */
export const POSTGRES_BATCHES_AT_ONCE = 3;

interface Job<T> {
  target: RuntimeTarget;
  /** The session the request came with, to be found still live in the batch's transaction. */
  sessionId?: string;
  /** Who sent it: the only person whose attempt it can change (openAttemptSco refuses any other). */
  personId: number;
  apply(batch: RuntimeBatch): T;
  resolve(value: T): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * What turns learning that a batch completed into credit (learning's creditEarnedAttempts), handed
 * in by the composition root (app.ts) rather than imported: the runtime stores what the SCO said,
 * and the learning area decides what it is worth. The writer calls it in the batch's own
 * transaction, right after the batch is saved: a commit and the competence it earns are stored
 * together or not at all.
 */
export type CreditEarned = (trx: Db, earned: EarnedAttempt[], now: string) => Promise<void>;

/**
 * The runtime's routes take a session from memory once it has been read (routes.ts), so whether
 * it is still live is asked here instead, once for the whole batch, in the batch's own
 * transaction: a request whose session has ended (logged out, expired, ended by another process
 * or the CLI) is refused and puts nothing. Being in the transaction, the answer holds for the
 * write itself, where a read before it left a moment in which a session could end.
 */
export interface SessionCheck {
  /** Which of these sessions are live now. */
  live(trx: Db, sessionIds: string[]): Promise<Set<string>>;
  /** A session found ended: it must be read afresh before it is trusted again. */
  ended(sessionId: string): void;
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
 *
 * But one learner's request must never fail another's. A refusal (stale, invalid CMI) puts nothing
 * and the batch goes on; a request whose write the database refuses, whose stored row cannot be
 * read, or whose crediting throws fails the whole transaction instead. Values are bounded before
 * they reach a column (time.ts, store.ts) so that no commit should get there, but if one does, the
 * batch is applied again one request at a time, each in a savepoint of one new transaction: the
 * request that cannot be stored rolls back its own savepoint and is answered 500 alone (issue 17
 * measured 141 of 200 other learners' commits failing beside one 400-digit session_time). Nothing of
 * the failed transaction was answered, and the requests are applied again in arrival order, each
 * reading what those before it stored, so a SCO's second commit still sees its first; a request of
 * a SCO whose earlier request failed in the batch fails with it, so that its commits are never
 * stored out of order. The fast path stays one transaction with no savepoint: the slow one costs a
 * second transaction only when the first failed. Savepoints rather than a transaction per request:
 * one fsync for the batch still, and when the database itself is away, one failed BEGIN answers
 * every request at once instead of each waiting out its own connection timeout.
 *
 * On PostgreSQL up to POSTGRES_BATCHES_AT_ONCE batches are written at once, each on a connection
 * of its own, so that the requests arriving while one batch waits on the database need not wait
 * for all of it. A batch never takes a request of an attempt or a person that a batch being
 * written has, nor any request behind one held back (takeBatch): an attempt's requests, and so
 * each SCO's, are still applied one after the other in arrival order, and one person's crediting
 * never runs in two transactions of this process at once (each would miss the other's credit;
 * across processes the crediting's own lock makes the second wait: learning's credit-store.ts).
 * A batch that failed keeps its attempts and people until its requests have been applied again
 * one by one and answered. Measured (issue 21, bench:load on PostgreSQL, 500 learners for 60 s,
 * one batch at a time and then three, in runs one after the other on a machine shared with other
 * benchmarks, load average 2-7): a commit's wait for its batch to start p50 341 -> 37 ms and p99
 * 2482 -> 673 ms; the commit p50 774 -> 410 ms, p99 3483 -> 3210 ms; the event loop's CPU per
 * commit 2.22 -> 2.34 ms (smaller batches). The event loop stayed busy (utilisation 0.97-1.0), and
 * that, not the queue, is the tail that is left. SQLite has one writer: one batch at a time.
 */
export function createRuntimeWriter(db: Db, clock: Clock, credit: CreditEarned, sessions?: SessionCheck) {
  const versions = courseVersionCacheOf(db);
  const batchesAtOnce = isPostgres(db) ? POSTGRES_BATCHES_AT_ONCE : 1;
  const queue: Array<Job<unknown>> = [];
  /** The attempts and people of the batches being written. */
  const inFlight = new Set<string>();
  let writing = 0;
  let starting = false;

  function enqueue<T>(target: RuntimeTarget & { personId: number }, sessionId: string | undefined, apply: (batch: RuntimeBatch) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ target, personId: target.personId, sessionId, apply, resolve, reject } as Job<unknown>);
      if (writing < batchesAtOnce && !starting) {
        starting = true;
        // Let the requests that arrived in this turn of the event loop join the batch.
        void yieldToEventLoop().then(() => {
          starting = false;
          startBatches();
        });
      }
    });
  }

  /** Starts batches while there is room and a request free to go; each, when written, starts the next at once. */
  function startBatches(): void {
    while (writing < batchesAtOnce) {
      const jobs = takeBatch();
      if (jobs.length === 0) return;
      const keys = jobs.flatMap(keysOf);
      for (const key of keys) inFlight.add(key);
      writing++;
      void writeBatch(jobs).finally(() => {
        for (const key of keys) inFlight.delete(key);
        writing--;
        startBatches();
      });
    }
  }

  /**
   * The next batch: the requests in arrival order, but none of an attempt or a person that a batch
   * being written has, nor any behind a request held back for that reason, so that an attempt's
   * requests are still applied one after the other in arrival order (and its SCOs' with them) and
   * one person's crediting is never split across two transactions at once.
   */
  function takeBatch(): Array<Job<unknown>> {
    if (inFlight.size === 0 && queue.length <= BATCH_LIMIT) return queue.splice(0);
    const held = new Set(inFlight);
    const taken: Array<Job<unknown>> = [];
    const left: Array<Job<unknown>> = [];
    for (const job of queue) {
      const keys = keysOf(job);
      if (taken.length < BATCH_LIMIT && !keys.some((key) => held.has(key))) taken.push(job);
      else {
        left.push(job);
        for (const key of keys) held.add(key);
      }
    }
    queue.splice(0, queue.length, ...left);
    return taken;
  }

  async function writeBatch(jobs: Array<Job<unknown>>): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await db.transaction((trx) => applyTogether(trx, jobs));
    } catch (error) {
      if (jobs.length === 1) outcomes = [{ ok: false, error }];
      else {
        try {
          outcomes = await db.transaction((trx) => applyOneByOne(trx, jobs));
        } catch (again) {
          // The transaction itself failed (its BEGIN or COMMIT, or a savepoint that could not be
          // rolled back): nothing of it was stored, and every request may be sent again.
          outcomes = jobs.map(() => ({ ok: false, error: again }));
        }
      }
    }
    jobs.forEach((job, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /** The hop where a commit becomes a competence record: the batch written back, then what it completed credited, in one transaction. */
  async function saveAndCredit(trx: Db, batch: Awaited<ReturnType<typeof loadRuntimeBatch>>): Promise<void> {
    const earned = await batch.save();
    if (earned.length > 0) await credit(trx, earned, batch.now);
  }

  /** The requests whose session has ended, refused before anything of them is applied. */
  async function endedSessions(trx: Db, jobs: Array<Job<unknown>>): Promise<Set<Job<unknown>>> {
    const sessionIds = [...new Set(jobs.flatMap((job) => job.sessionId ?? []))];
    if (!sessions || sessionIds.length === 0) return new Set();
    const live = await sessions.live(trx, sessionIds);
    for (const sessionId of sessionIds) if (!live.has(sessionId)) sessions.ended(sessionId);
    return new Set(jobs.filter((job) => job.sessionId !== undefined && !live.has(job.sessionId)));
  }

  /** The fast path: one read, every request applied in memory, one write back. */
  async function applyTogether(trx: Db, jobs: Array<Job<unknown>>): Promise<Outcome[]> {
    // A request whose session ended is read with the others but never applied.
    const [ended, batch] = await allOf(trx, [() => endedSessions(trx, jobs), () => loadRuntimeBatch(trx, versions, jobs.map((job) => job.target), clock.now().toISOString())] as const);
    // Refused (or failed in memory): that request put nothing; the others go on.
    const outcomes = jobs.map((job) => (ended.has(job) ? sessionEnded() : settle(() => job.apply(batch))));
    await saveAndCredit(trx, batch);
    return outcomes;
  }

  /** After a failed batch: each request alone, in its own savepoint, in arrival order. */
  async function applyOneByOne(trx: Db, jobs: Array<Job<unknown>>): Promise<Outcome[]> {
    const now = clock.now().toISOString();
    // Every attempt of the batch locked first, in id order as a batch does, so that this
    // transaction never waits for another batch's lock while holding one that batch wants.
    await createRuntimeStore(trx).lockAttempts([...new Set(jobs.map((job) => job.target.attemptId))]);
    const ended = await endedSessions(trx, jobs);
    const failed = new Map<string, unknown>();
    const outcomes: Outcome[] = [];
    for (const job of jobs) {
      if (ended.has(job)) {
        outcomes.push(sessionEnded());
        continue;
      }
      const key = `${job.target.attemptId}\u0000${job.target.scoId ?? ""}`;
      if (failed.has(key)) {
        outcomes.push({ ok: false, error: new Error("An earlier request of this SCO in the same batch could not be stored", { cause: failed.get(key) }) });
        continue;
      }
      let outcome: Outcome | undefined;
      let thrown: unknown = NOTHING;
      try {
        await trx.transaction(async (savepoint) => {
          try {
            const batch = await loadRuntimeBatch(savepoint, versions, [job.target], now);
            outcome = settle(() => job.apply(batch));
            if (outcome.ok) await saveAndCredit(savepoint, batch);
          } catch (error) {
            thrown = error;
            throw error;
          }
        });
      } catch (error) {
        // knex answers with another error than the one thrown when it could not roll back to the
        // savepoint (or make it): the transaction is gone, and with it what was applied so far.
        if (error !== thrown) throw error;
        failed.set(key, error);
        outcome = { ok: false, error };
      }
      outcomes.push(outcome!);
    }
    return outcomes;
  }

  // Each request may name the session it came with (sessionId), for the batch to find still live.
  return {
    commit: (input: CommitInput & SessionOf): Promise<CommitResponse> =>
      enqueue({ attemptId: input.attemptId, scoId: input.scoId, personId: input.personId }, input.sessionId, (batch) => applyCommit(batch, input)),
    state: (request: { attemptId: number; scoId: string; personId: number } & SessionOf): Promise<StateResponse> =>
      enqueue({ attemptId: request.attemptId, scoId: request.scoId, personId: request.personId, needsLearner: true }, request.sessionId, (batch) => loadState(batch, request)),
    sequencingState: (request: { attemptId: number; personId: number; body: unknown; accountId?: number | null; ip?: string | null } & SessionOf): Promise<CommitResponse> =>
      enqueue({ attemptId: request.attemptId, personId: request.personId }, request.sessionId, (batch) => saveSequencingState(batch, request)),
  };
}

type SessionOf = { sessionId?: string };

const NOTHING = Symbol("nothing thrown");

// As routes.ts's loggedIn answers a request that comes with no live session.
const sessionEnded = (): Outcome => ({ ok: false, error: new ScormRefusal("auth.required", "Log in first: the session has ended", 401, SCORM12_ERRORS.general) });

/** What a batch being written holds a request back by: its attempt, and the person it can credit. */
const keysOf = (job: Job<unknown>) => [`attempt ${job.target.attemptId}`, `person ${job.personId}`];

function settle(apply: () => unknown): Outcome {
  try {
    return { ok: true, value: apply() };
  } catch (error) {
    return { ok: false, error };
  }
}

export type RuntimeWriter = ReturnType<typeof createRuntimeWriter>;
