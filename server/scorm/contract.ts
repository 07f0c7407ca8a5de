/**
 * The runtime's HTTP contract between the player window (browser, LMS origin) and the server.
 * The player imports these types only; nothing here runs.
 *
 *   GET  /runtime/attempts/:attemptId/scos/:scoId/state   -> StateResponse   (starts a new session)
 *   POST /runtime/attempts/:attemptId/scos/:scoId/commit  <- CommitRequest   -> CommitResponse
 *   POST /runtime/attempts/:attemptId/sequencing-state    <- SequencingStateRequest -> CommitResponse (SCORM 2004)
 *
 * Commits come as application/json (scorm-again's XHR/fetch, with the X-CSRF-Token header) or as
 * text/plain JSON from navigator.sendBeacon on unload (no custom headers possible: the anti-forgery
 * value travels inside the body as `_csrf`).
 */
export type ScormVersion = "1.2" | "2004";

export interface StateResponse {
  attemptId: number;
  scoId: string;
  scormVersion: ScormVersion;
  /** The saved CMI as scorm-again's nested JSON (loadFromJSON), already adjusted for the new
   *  session: cmi.core.entry / cmi.entry is "resume" after a suspend, otherwise "ab-initio" (or ""). */
  cmi: Record<string, unknown>;
  /** The last commit sequence the server accepted for this SCO (the next must be greater). */
  commitSequence: number;
}

export interface CommitRequest {
  /** scorm-again's includeCommitSequence value: strictly increasing per SCO within an attempt. */
  commitSequence: number;
  /** True for the commit that Terminate / LMSFinish sends. */
  isTerminateCommit?: boolean;
  /** scorm-again's commit object: the (full) CMI as nested JSON, under `cmi`. */
  cmi: Record<string, unknown>;
  /** adl.nav.request at the time of the commit (2004), if any. */
  navRequest?: string;
  /** For beacon commits only: the anti-forgery token. */
  _csrf?: string;
}

/**
 * SCORM 2004: the sequencer's state (scorm-again's serializeSequencingState()), saved through the
 * same queue as the commits after each delivery and at the end of a sequencing session, and given
 * back to the player (PlayerConfig.sequencingState) when the attempt is played again.
 */
export interface SequencingStateRequest {
  sequencingState: string;
  /** For beacons only, as on commits. */
  _csrf?: string;
}

/** SCORM's own answer form, which scorm-again's responseHandler reads. */
export interface CommitResponse {
  result: boolean;
  /** 0 on success; a SCORM error code otherwise (e.g. 1.2: 405/201, 2004: 406/407/351). */
  errorCode: number;
  errorMessage?: string;
  /** The attempt's Performance Status after this commit. */
  performanceStatus?: "Not Attempted" | "Incomplete" | "Completed" | "Passed" | "Failed";
  /** Extension: on refusals, every problem found ("405 cmi.core.score.raw must be ..."), as scorm-again's ResultObject.errorDetails. */
  errorDetails?: string;
  /** Extension: true for an author's preview attempt, whose status is derived but credits nothing. */
  preview?: boolean;
}
