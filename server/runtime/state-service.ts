import type { StateResponse } from "../scorm/contract.ts";
import { nestCmi } from "../scorm/cmi-json.ts";
import { openAttemptSco, type AttemptScoContext } from "./attempt-context.ts";
import { auditStatusChange, summariseAttempt } from "./attempt-summary.ts";
import type { RuntimeBatch } from "./runtime-batch.ts";
import type { RuntimeSco } from "./store.ts";
import { assetDelivered } from "./session-end.ts";
import { entryFor, serverOwnedCmi, sessionCmi } from "./session-state.ts";
import { completionAndSuccess, isCompleted, judgedPerformanceStatus, mergeCompletionAndSuccess, mergeStatus } from "../scorm/status.ts";
import { MAX_TIMESPAN_MS, startSession } from "../scorm/time.ts";

/**
 * The saved CMI of one SCO for a new session (GET .../state). Starting the session closes the
 * last one's time into the total; it goes through the same writer as the commits (in arrival
 * order, under the same attempt lock), so a commit of the old session and the new session's start
 * never interleave.
 *
 * SCORM 2004: when the last session ended the learner attempt on the activity (it terminated
 * without suspending), this session is a new attempt, with a fresh data model (RTE 4.2.8); the old
 * attempt's CMI is archived, never dropped, and its statuses stay (they never go back). An asset,
 * which cannot talk to the LMS, counts as completed once delivered (session-end.ts).
 */
export function loadState(batch: RuntimeBatch, request: { attemptId: number; scoId: string; personId: number }): StateResponse {
  const context = openAttemptSco(batch, request);
  const { attempt, scormVersion, settings } = context;
  let sco = context.sco;
  const time = startSession({ totalMs: sco.totalTimeMs + unreportedSessionMs(sco), sessionMs: sco.sessionTimeMs });
  const launchedBefore = sco.commitSequence > 0;
  // Rows from before migration 28 kept how the last session ended only as the exit in their CMI.
  const suspended = sco.suspended || sco.cmi[scormVersion === "1.2" ? "cmi.core.exit" : "cmi.exit"] === "suspend";
  const entry = entryFor(scormVersion, { launchedBefore, suspended, endedAbnormally: sco.sessionOpen });
  // 2004: the last session ended the attempt (it terminated, not suspended): a new one begins.
  if (scormVersion === "2004" && launchedBefore && !sco.sessionOpen && !suspended) sco = newActivityAttempt(batch, sco, time.totalMs);
  const cmi = sessionCmi({
    version: scormVersion,
    stored: sco.cmi,
    serverOwned: serverOwnedCmi(scormVersion, settings, batch.learner(attempt.personId), attempt.preview),
    objectiveIds: scormVersion === "2004" ? settings.objectiveIds : [],
    entry,
    totalMs: time.totalMs - sco.activityAttemptBaseMs,
  });
  const started: RuntimeSco = { ...sco, totalTimeMs: time.totalMs, sessionTimeMs: time.sessionMs, updatedAt: batch.now, sessionOpen: true, sessionStartedAt: batch.now };
  batch.putSco(started);
  if (context.manifest.launchables.find((launchable) => launchable.identifier === sco.scoId)?.scormType === "asset") deliverAsset(context, started);
  return { attemptId: attempt.id, scoId: sco.scoId, scormVersion, cmi: nestCmi(cmi), commitSequence: sco.commitSequence };
}

/** The row for a new learner attempt on the SCO's activity: the old CMI archived, a fresh one, time counted from now. */
function newActivityAttempt(batch: RuntimeBatch, sco: RuntimeSco, totalMs: number): RuntimeSco {
  if (Object.keys(sco.cmi).length > 0) {
    batch.archive({ attemptId: sco.attemptId, scoId: sco.scoId, activityAttempt: sco.activityAttempt, cmi: sco.cmi, performanceStatus: sco.performanceStatus, archivedAt: batch.now });
  }
  return { ...sco, cmi: {}, suspended: false, activityAttempt: sco.activityAttempt + 1, activityAttemptBaseMs: totalMs };
}

/** An asset's row and its attempt as they stand once it is delivered. */
function deliverAsset(context: AttemptScoContext, sco: RuntimeSco): void {
  const { batch, attempt, scormVersion } = context;
  const judged = assetDelivered(scormVersion);
  const performanceStatus = mergeStatus(sco.performanceStatus, judgedPerformanceStatus(scormVersion, {}, judged));
  const { completion, success } = mergeCompletionAndSuccess({ completion: sco.completionStatus, success: sco.successStatus }, completionAndSuccess(scormVersion, judged));
  const delivered: RuntimeSco = { ...sco, performanceStatus, completionStatus: completion, successStatus: success, completedAt: sco.completedAt ?? (isCompleted(performanceStatus) ? batch.now : null) };
  const summary = summariseAttempt(context, delivered, batch.now);
  batch.putSco(delivered);
  batch.putAttempt(summary);
  auditStatusChange(batch, attempt, summary, {}, { scoId: sco.scoId, asset: true });
}

/**
 * A last session that never terminated (a crashed tab) and never reported its session_time: the
 * time from its start to its last commit, the part the LMS saw, so that it still counts; no
 * longer than a session_time the SCO could have reported.
 */
function unreportedSessionMs(sco: RuntimeSco): number {
  if (!sco.sessionOpen || sco.sessionTimeMs > 0 || !sco.sessionStartedAt || !sco.lastCommitAt) return 0;
  const ms = Date.parse(sco.lastCommitAt) - Date.parse(sco.sessionStartedAt);
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_TIMESPAN_MS) : 0;
}
