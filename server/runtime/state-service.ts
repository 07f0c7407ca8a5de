import type { StateResponse } from "./contract.ts";
import { nestCmi } from "./cmi-json.ts";
import { openAttemptSco } from "./attempt-context.ts";
import type { RuntimeBatch } from "./runtime-batch.ts";
import type { RuntimeSco } from "./store.ts";
import { entryFor, serverOwnedCmi, sessionCmi } from "./session-state.ts";
import { MAX_TIMESPAN_MS, startSession } from "./time.ts";

/**
 * The saved CMI of one SCO for a new session (GET .../state). Starting the session closes the
 * last one's time into the total; it goes through the same writer as the commits (in arrival
 * order, under the same attempt lock), so a commit of the old session and the new session's start
 * never interleave.
 */
export function loadState(batch: RuntimeBatch, request: { attemptId: number; scoId: string; personId: number }): StateResponse {
  const { attempt, scormVersion, settings, sco } = openAttemptSco(batch, request);
  const time = startSession({ totalMs: sco.totalTimeMs + unreportedSessionMs(sco), sessionMs: sco.sessionTimeMs });
  const entry = entryFor(scormVersion, {
    launchedBefore: sco.commitSequence > 0,
    exit: sco.cmi[scormVersion === "1.2" ? "cmi.core.exit" : "cmi.exit"],
    endedAbnormally: sco.sessionOpen,
  });
  const cmi = sessionCmi({
    version: scormVersion,
    stored: sco.cmi,
    serverOwned: serverOwnedCmi(scormVersion, settings, batch.learner(attempt.personId), attempt.preview),
    objectiveIds: scormVersion === "2004" ? settings.objectiveIds : [],
    entry,
    totalMs: time.totalMs,
  });
  batch.putSco({ ...sco, totalTimeMs: time.totalMs, sessionTimeMs: time.sessionMs, updatedAt: batch.now, sessionOpen: true, sessionStartedAt: batch.now });
  return { attemptId: attempt.id, scoId: sco.scoId, scormVersion, cmi: nestCmi(cmi), commitSequence: sco.commitSequence };
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
