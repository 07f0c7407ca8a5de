import crypto from "node:crypto";
import type { CommitResponse, ScormVersion } from "../scorm/contract.ts";
import { flattenCmi, nestedDeeperThan, type FlatCmi } from "../scorm/cmi-json.ts";
import { validateCmi, type CmiProblem } from "../scorm/cmi-validate.ts";
import { SCORM12_ERRORS, SCORM2004_ERRORS, ScormRefusal, commitFailureCode } from "../scorm/scorm-errors.ts";
import { completionAndSuccess, isCompleted, judgedPerformanceStatus, mergeCompletionAndSuccess, mergeStatus, scoScoreScaled, type PerformanceStatus } from "../scorm/status.ts";
import { auditStatusChange, summariseAttempt } from "./attempt-summary.ts";
import { endedSuspended, judgedAtSessionEnd, type SessionEnding } from "./session-end.ts";
import { recordSessionTime, parseTimespan } from "../scorm/time.ts";
import { openAttemptSco, type AttemptScoContext } from "./attempt-context.ts";
import { commitTrimsLog, type RuntimeBatch } from "./runtime-batch.ts";
import type { RuntimeSco } from "./store.ts";

/**
 * How far one commit's sequence number may run ahead of the last accepted one. The player counts
 * up by one; a number far ahead (a crafted request, say) would make every later commit of the SCO
 * stale for good.
 */
export const MAX_SEQUENCE_GAP = 10_000;
/** Changed values longer than this are logged as their length and digest, not in full. */
export const LOG_VALUE_LIMIT = 1_000;
/** Nesting allowed in a commit body as a whole (the CMI itself allows less: cmi-json.ts). */
const MAX_BODY_DEPTH = 32;

export interface CommitInput {
  attemptId: number;
  scoId: string;
  /** The parsed request body (JSON, or the text/plain beacon's JSON); checked here. */
  request: unknown;
  personId: number;
  accountId?: number | null;
  ip?: string | null;
}

interface ParsedCommit {
  commitSequence: number;
  isTerminateCommit: boolean;
  navRequest: string | null;
  cmi: unknown;
  /** sha-256 of the body without its anti-forgery token: the same commit resent has the same digest. */
  digest: string;
}

/**
 * Applies one commit of one SCO to the batch it arrived in (runtime-batch.ts), whose transaction
 * holds the attempt's lock: a stale commit is refused and a repeat of the last one answered again
 * without being applied, the CMI is validated and merged into what is stored, the SCO's and the
 * attempt's statuses are derived (never downgraded), the commit is logged (bounded) and a status
 * change audited. A refusal is a ScormRefusal thrown before anything is put: nothing of a refused
 * commit is stored.
 */
export function applyCommit(batch: RuntimeBatch, input: CommitInput): CommitResponse {
  const now = batch.now;
  const context = openAttemptSco(batch, input);
  const { attempt, sco, scormVersion } = context;
  const commit = parseCommit(input.request, scormVersion);
  const answered = (performanceStatus: PerformanceStatus): CommitResponse => ({ result: true, errorCode: 0, performanceStatus, ...(attempt.preview ? { preview: true } : {}) });

  if (commit.commitSequence < sco.commitSequence) {
    throw new ScormRefusal("runtime.stale_commit", "stale commit", 409, commitFailureCode(scormVersion), [`commit ${commit.commitSequence} arrived after commit ${sco.commitSequence}`]);
  }
  if (commit.commitSequence > sco.commitSequence + MAX_SEQUENCE_GAP) {
    throw new ScormRefusal("runtime.malformed_commit", "malformed commit: commitSequence runs too far ahead", 400, commitFailureCode(scormVersion), [
      `commit ${commit.commitSequence} after commit ${sco.commitSequence}: at most ${MAX_SEQUENCE_GAP} ahead`,
    ]);
  }
  if (commit.commitSequence === sco.commitSequence) {
    // A resend (a retried XHR, or the beacon of a commit that did arrive): answered as before.
    if (commit.digest === sco.lastCommitDigest) return answered(sco.lastCommitStatus ?? attempt.performanceStatus);
    throw new ScormRefusal("runtime.stale_commit", "stale commit", 409, commitFailureCode(scormVersion), [`commit ${commit.commitSequence} was already accepted with other content`]);
  }

  const flat = flattenCmi(commit.cmi);
  const typeCode = scormVersion === "1.2" ? SCORM12_ERRORS.typeMismatch : SCORM2004_ERRORS.typeMismatch;
  const problems: CmiProblem[] = flat.problems.map(({ element, message }) => ({ element, message: `${element}: ${message}`, errorCode: typeCode }));
  const validation = validateCmi(scormVersion, flat.values, sco.cmi);
  problems.push(...validation.errors);
  if (problems.length > 0) {
    throw new ScormRefusal("runtime.invalid_cmi", problems[0]!.message, 400, problems[0]!.errorCode, problems.map((p) => `${p.errorCode} ${p.message}`));
  }

  // Element-wise: what this commit carries replaces the stored value; what it leaves out stays
  // (interactions and objectives are merged index by index, so none is lost).
  const cmi: FlatCmi = { ...sco.cmi, ...validation.accepted };
  const updated = deriveSco(context, cmi, validation.accepted, commit, now);
  const summary = summariseAttempt(context, updated, now);
  batch.putSco({ ...updated, lastCommitStatus: summary.performanceStatus });
  batch.putAttempt(summary);
  batch.log({
    attemptId: attempt.id,
    scoId: sco.scoId,
    commitSequence: commit.commitSequence,
    trimsLog: commitTrimsLog(sco.commitSequence, commit.commitSequence),
    // What changed, not the whole body, and long values only by length and digest: the log stays
    // small however big suspend_data is (the SCO's row holds the value itself).
    body: {
      commitSequence: commit.commitSequence,
      isTerminateCommit: commit.isTerminateCommit,
      ...(commit.navRequest ? { navRequest: commit.navRequest } : {}),
      changed: forTheLog(changedElements(sco.cmi, validation.accepted)),
      ...(validation.ignored.length ? { ignored: validation.ignored.map((problem) => problem.element) } : {}),
      performanceStatus: summary.performanceStatus,
    },
    receivedAt: now,
  });
  auditStatusChange(batch, attempt, summary, input, { scoId: sco.scoId, commitSequence: commit.commitSequence });
  return answered(summary.performanceStatus);
}

/** The request's shape; `_csrf` (beacon commits) is the web layer's business and left out. */
function parseCommit(body: unknown, version: ScormVersion): ParsedCommit {
  const refuse = (why: string) => new ScormRefusal("runtime.malformed_commit", `malformed commit: ${why}`, 400, commitFailureCode(version));
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw refuse("the body must be a JSON object");
  const { _csrf, ...rest } = body as Record<string, unknown>;
  // Checked without recursion before anything recursive (the digest's JSON.stringify) meets it.
  if (nestedDeeperThan(rest, MAX_BODY_DEPTH)) throw refuse("nested too deeply");
  const sequence = typeof rest.commitSequence === "string" && /^\d+$/.test(rest.commitSequence) ? Number(rest.commitSequence) : rest.commitSequence;
  if (typeof sequence !== "number" || !Number.isSafeInteger(sequence) || sequence < 1 || sequence > 2_147_483_647) {
    throw refuse("commitSequence must be a whole number from 1 (scorm-again's includeCommitSequence)");
  }
  if (rest.cmi === null || typeof rest.cmi !== "object" || Array.isArray(rest.cmi)) throw refuse("cmi must be an object (scorm-again's commit object)");
  return {
    commitSequence: sequence,
    isTerminateCommit: rest.isTerminateCommit === true,
    navRequest: typeof rest.navRequest === "string" ? rest.navRequest.slice(0, 300) : null,
    cmi: rest.cmi,
    digest: crypto.createHash("sha256").update(JSON.stringify(rest)).digest("hex"),
  };
}

function deriveSco(context: AttemptScoContext, cmi: FlatCmi, accepted: FlatCmi, commit: ParsedCommit, now: string): RuntimeSco {
  const { scormVersion, settings, sco } = context;
  // The status is judged with the LMS's values (mastery score, threshold, passing score) and, when
  // the session ends, with what the LMS supplies for content that said nothing (session-end.ts).
  const ending: SessionEnding = { version: scormVersion, exit: cmi[scormVersion === "1.2" ? "cmi.core.exit" : "cmi.exit"] ?? "", navRequest: commit.navRequest };
  const reportedAndLms = { ...cmi, ...settings.cmi };
  const judged = commit.isTerminateCommit ? judgedAtSessionEnd(reportedAndLms, ending, settings.endAttempt) : reportedAndLms;
  const performanceStatus = mergeStatus(sco.performanceStatus, judgedPerformanceStatus(scormVersion, reportedAndLms, judged));
  const reported = scoScoreScaled(scormVersion, judged);
  // The best score stands beside a status that never goes back.
  const scoreScaled = reported === null ? sco.scoreScaled : sco.scoreScaled === null ? reported : Math.max(reported, sco.scoreScaled);
  const sessionValue = accepted[scormVersion === "1.2" ? "cmi.core.session_time" : "cmi.session_time"];
  const sessionMs = sessionValue ? parseTimespan(scormVersion, sessionValue) : null;
  const time = sessionMs === null ? { totalMs: sco.totalTimeMs, sessionMs: sco.sessionTimeMs } : recordSessionTime({ totalMs: sco.totalTimeMs, sessionMs: sco.sessionTimeMs }, sessionMs);
  const { completion, success } = mergeCompletionAndSuccess({ completion: sco.completionStatus, success: sco.successStatus }, completionAndSuccess(scormVersion, judged));
  return {
    ...sco,
    cmi,
    commitSequence: commit.commitSequence,
    performanceStatus,
    completionStatus: completion,
    successStatus: success,
    scoreScaled,
    totalTimeMs: time.totalMs,
    sessionTimeMs: time.sessionMs,
    lastCommitDigest: commit.digest,
    lastCommitStatus: null,
    lastCommitAt: now,
    completedAt: sco.completedAt ?? (isCompleted(performanceStatus) ? now : null),
    updatedAt: now,
    // Terminated: the session ended as SCORM means it to. A later commit (a replayed one) cannot reopen it.
    sessionOpen: sco.sessionOpen && !commit.isTerminateCommit,
    suspended: commit.isTerminateCommit ? endedSuspended(ending) : sco.suspended,
  };
}

function changedElements(before: FlatCmi, accepted: FlatCmi): FlatCmi {
  return Object.fromEntries(Object.entries(accepted).filter(([element, value]) => before[element] !== value));
}

function forTheLog(changed: FlatCmi): FlatCmi {
  const short = (value: string) =>
    value.length <= LOG_VALUE_LIMIT ? value : `(${value.length} characters, sha-256 ${crypto.createHash("sha256").update(value).digest("hex")})`;
  return Object.fromEntries(Object.entries(changed).map(([element, value]) => [element, short(value)]));
}
