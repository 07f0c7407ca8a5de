import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { createAttemptStore } from "./attempt-store.ts";

/** Statuses of an attempt still under way: Play resumes it rather than starting afresh. */
const UNFINISHED = new Set(["Not Attempted", "Incomplete"]);

/**
 * Play: resume the person's unfinished attempt at the course (on the version it started on, so a
 * new upload never changes an attempt already started), or start a new attempt on the newest
 * version. A finished attempt (Completed, Passed, Failed) is kept as history and a new one starts:
 * a renewal, or a retry of a failed assessment.
 */
export async function playCourse(
  db: Db,
  clock: Clock,
  request: { personId: number; courseId: number; preview?: boolean; accountId?: number; ip?: string },
  reads: Db = db,
): Promise<{ attemptId: number; resumed: boolean }> {
  const preview = request.preview ?? false;
  // Most Plays resume, which only reads: on a SQLite file they read beside the one writer
  // (db/connect.ts's readsOf) rather than queue behind the commits and states on it. With 50
  // learners pressing Play at once, Play waited p50 822 ms on the writer (bench:launch). Only a
  // new attempt needs the transaction, which asks again, so two Plays at once still make one.
  const seen = await latestAttempt(createAttemptStore(reads), request.personId, request.courseId, preview);
  if (seen.resumable) return { attemptId: seen.latest!.id, resumed: true };
  return db.transaction(async (trx) => {
    const store = createAttemptStore(trx);
    await store.lockPerson(request.personId);
    const { latest, resumable, countsNow } = await latestAttempt(store, request.personId, request.courseId, preview);
    if (resumable) return { attemptId: latest!.id, resumed: true };
    const courseVersionId = await store.newestVersionId(request.courseId);
    if (courseVersionId === undefined) {
      throw new AppError("learning.course_not_available", "This course has no package yet, so it cannot be played. Learning and Development have been told.", 409);
    }
    const at = clock.now().toISOString();
    const attemptId = await store.insertAttempt({ personId: request.personId, courseVersionId, preview, startedAt: at });
    await recordAudit(trx, {
      kind: preview ? "attempt.preview_started" : "attempt.started",
      at,
      actorAccountId: request.accountId ?? null,
      personId: request.personId,
      ip: request.ip ?? null,
      detail: {
        attemptId,
        courseId: request.courseId,
        courseVersionId,
        after: latest?.performanceStatus ?? null,
        ...(latest && !countsNow && UNFINISHED.has(latest.performanceStatus) ? { insteadOf: latest.id, why: "started before subscribing - not counted" } : {}),
      },
    });
    return { attemptId, resumed: false };
  });
}

/** The person's latest attempt at the course, and whether Play resumes it. */
async function latestAttempt(store: ReturnType<typeof createAttemptStore>, personId: number, courseId: number, preview: boolean) {
  const latest = await store.latestAttempt(personId, courseId, preview);
  // An unfinished attempt started before the learner subscribed could never count (rule 1):
  // resuming it would lose them the credit, so a fresh attempt starts and the old one stays as history.
  const subscribedSince = latest && !preview ? await store.latestSubscriptionTo(personId, courseId) : null;
  const countsNow = !subscribedSince || latest!.startedAt > subscribedSince;
  return { latest, countsNow, resumable: Boolean(latest && UNFINISHED.has(latest.performanceStatus) && countsNow) };
}

/** Author preview of one exact version: always a fresh attempt that credits nothing. */
export async function previewVersion(
  db: Db,
  clock: Clock,
  request: { personId: number; courseVersionId: number; accountId?: number; ip?: string },
): Promise<number> {
  return db.transaction(async (trx) => {
    const at = clock.now().toISOString();
    const attemptId = await createAttemptStore(trx).insertAttempt({ personId: request.personId, courseVersionId: request.courseVersionId, preview: true, startedAt: at });
    await recordAudit(trx, {
      kind: "attempt.preview_started",
      at,
      actorAccountId: request.accountId ?? null,
      personId: request.personId,
      ip: request.ip ?? null,
      detail: { attemptId, courseVersionId: request.courseVersionId },
    });
    return attemptId;
  });
}
