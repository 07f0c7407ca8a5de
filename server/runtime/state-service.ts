import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import type { StateResponse } from "./contract.ts";
import { nestCmi } from "./cmi-json.ts";
import { openAttemptSco } from "./attempt-context.ts";
import { entryFor, serverOwnedCmi, sessionCmi } from "./session-state.ts";
import { startSession } from "./time.ts";

/**
 * The saved CMI of one SCO for a new session (GET .../state). Starting the session closes the
 * last one's time into the total, in the same transaction (and under the same attempt lock) as
 * the commits, so a commit of the old session and the new session's start never interleave.
 */
export async function loadState(db: Db, clock: Clock, request: { attemptId: number; scoId: string; personId: number }): Promise<StateResponse> {
  return db.transaction(async (trx) => {
    const now = clock.now().toISOString();
    const { store, attempt, scormVersion, settings, sco } = await openAttemptSco(trx, request, now);
    const learner = await store.learner(attempt.personId);
    const time = startSession({ totalMs: sco.totalTimeMs, sessionMs: sco.sessionTimeMs });
    const entry = entryFor(scormVersion, {
      launchedBefore: sco.commitSequence > 0,
      exit: sco.cmi[scormVersion === "1.2" ? "cmi.core.exit" : "cmi.exit"],
    });
    const cmi = sessionCmi({
      version: scormVersion,
      stored: sco.cmi,
      serverOwned: serverOwnedCmi(scormVersion, settings, learner, attempt.preview),
      objectiveIds: scormVersion === "2004" ? settings.objectiveIds : [],
      entry,
      totalMs: time.totalMs,
    });
    await store.startScoSession(sco.id, now);
    return { attemptId: attempt.id, scoId: sco.scoId, scormVersion, cmi: nestCmi(cmi), commitSequence: sco.commitSequence };
  });
}
