import type { CommitResponse, ScormVersion } from "./contract.ts";
import type { FlatCmi } from "./cmi-json.ts";

/**
 * Performance Status (the guide's word) from a SCO's CMI, the no-downgrade merge, and the
 * roll-up of an attempt's SCOs. Pure: the CMI passed in already holds the LMS's own values
 * (mastery score, completion threshold, scaled passing score) beside what the SCO said.
 */
export type PerformanceStatus = NonNullable<CommitResponse["performanceStatus"]>;

const number = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === "") return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
};

/** The Performance Status one SCO's CMI says. "Completed" alone never passes (DESIGN rule 2). */
export function scoPerformanceStatus(version: ScormVersion, cmi: FlatCmi): PerformanceStatus {
  return version === "1.2" ? status12(cmi) : status2004(cmi);
}

/**
 * SCORM 1.2 RTE 3.4 (cmi.core.lesson_status and cmi.student_data.mastery_score): when the LMS
 * holds a mastery score and the SCO reported cmi.core.score.raw, the LMS may let the score decide
 * passed or failed. It does so only once the SCO says it has finished (completed, passed, failed):
 * while it says incomplete (or nothing yet) the learner is still in the middle of it, and a quiz
 * scored 100 after its first question, then failed at 40, must not stand as passed.
 */
function status12(cmi: FlatCmi): PerformanceStatus {
  const lessonStatus = cmi["cmi.core.lesson_status"] ?? "";
  const mastery = number(cmi["cmi.student_data.mastery_score"]);
  const raw = number(cmi["cmi.core.score.raw"]);
  if (mastery !== null && raw !== null) {
    if (["completed", "passed", "failed"].includes(lessonStatus)) return raw >= mastery ? "Passed" : "Failed";
    return "Incomplete";
  }
  switch (lessonStatus) {
    case "passed":
      return "Passed";
    case "failed":
      return "Failed";
    case "completed":
      return "Completed";
    // "browsed": seen in browse mode, which neither completes nor passes anything.
    case "incomplete":
    case "browsed":
      return "Incomplete";
    default:
      return "Not Attempted";
  }
}

/**
 * SCORM 2004 RTE 4.2.4.1: when cmi.completion_threshold is set and the SCO reported
 * cmi.progress_measure, their comparison decides cmi.completion_status. RTE 4.2.22 (cmi.success_status): likewise
 * cmi.scaled_passing_score against cmi.score.scaled decides cmi.success_status. Then passed is
 * Passed and failed is Failed unless the SCO says it is still incomplete (or not attempted): the
 * learner is part-way through, and it is Incomplete until it finishes. In 2004 success does not
 * imply completion: the LMS itself satisfies a SCO whose attempt ends with no success reported (SN
 * UP.4), so content that says "incomplete" and exits normally, as content left part-way does,
 * would otherwise be Passed and credit a module it never finished. Otherwise, the completion.
 */
function status2004(cmi: FlatCmi): PerformanceStatus {
  return performanceOf2004(statuses2004(cmi));
}

/**
 * The Performance Status of a SCO whose CMI the LMS judged as its session ended or as it was
 * delivered (session-end.ts): a success that only the LMS supplied is no pass. SN UP.4 satisfies a
 * 2004 activity whose attempt ends with no success reported, an asset is satisfied by delivery, and
 * the sequencer rolls both up, as the SN says; but nothing was assessed, and an assessment passed by
 * opening and closing it is no pass (DESIGN rule 2: completed alone never passes). So success counts
 * as the SCO reported it (or its score against the pass mark), completion as the LMS judged it.
 */
export function judgedPerformanceStatus(version: ScormVersion, reported: FlatCmi, judged: FlatCmi): PerformanceStatus {
  if (version === "1.2") return status12(judged);
  return performanceOf2004({ completion: statuses2004(judged).completion, success: statuses2004(reported).success });
}

/** A completion that says the learner is part-way through: a pass or fail beside it is not yet one. */
export function isPartWay(completion: string | null): boolean {
  return completion === "incomplete" || completion === "not attempted";
}

/** The Performance Status of a SCORM 2004 completion and success status (a SCO's, or the course's roll-up). */
export function performanceOf2004({ completion, success }: { completion: string; success: string }): PerformanceStatus {
  const partWay = isPartWay(completion);
  if (success === "passed") return partWay ? "Incomplete" : "Passed";
  if (success === "failed") return partWay ? "Incomplete" : "Failed";
  if (completion === "completed") return "Completed";
  if (completion === "incomplete") return "Incomplete";
  return "Not Attempted";
}

/** cmi.completion_status and cmi.success_status as the LMS evaluates them (RTE 4.2.4.1, 4.2.22). */
export function statuses2004(cmi: FlatCmi): { completion: string; success: string } {
  const threshold = number(cmi["cmi.completion_threshold"]);
  const progress = number(cmi["cmi.progress_measure"]);
  const passingScore = number(cmi["cmi.scaled_passing_score"]);
  const scaled = number(cmi["cmi.score.scaled"]);
  const completion = threshold !== null && progress !== null ? (progress >= threshold ? "completed" : "incomplete") : cmi["cmi.completion_status"] || "unknown";
  const success = passingScore !== null && scaled !== null ? (scaled >= passingScore ? "passed" : "failed") : cmi["cmi.success_status"] || "unknown";
  return { completion, success };
}

/** The completion and success columns of attempt_scos, in 2004's words for both versions. */
export function completionAndSuccess(version: ScormVersion, cmi: FlatCmi): { completion: string; success: string } {
  if (version === "2004") return statuses2004(cmi);
  const status = scoPerformanceStatus("1.2", cmi);
  return {
    completion: status === "Passed" || status === "Failed" || status === "Completed" ? "completed" : status === "Incomplete" ? "incomplete" : "not attempted",
    success: status === "Passed" ? "passed" : status === "Failed" ? "failed" : "unknown",
  };
}

/**
 * The same no-downgrade rule for the completion and success columns: completion only moves
 * forward (unknown, not attempted < incomplete < completed); success keeps passed, and keeps
 * failed unless it becomes passed.
 */
export function mergeCompletionAndSuccess(
  previous: { completion: string | null; success: string | null },
  next: { completion: string; success: string },
): { completion: string; success: string } {
  const rank = (completion: string | null) => (completion === "completed" ? 2 : completion === "incomplete" ? 1 : 0);
  const completion = previous.completion !== null && rank(previous.completion) > rank(next.completion) ? previous.completion : next.completion;
  const success = previous.success === "passed" || next.success === "passed" ? "passed" : previous.success === "failed" ? "failed" : next.success;
  return { completion, success };
}

/**
 * The SCO's score on -1..1. 2004: cmi.score.scaled (RTE 4.2.20), else raw within min..max.
 * 1.2 has only raw/min/max (RTE 3.4, cmi.core.score, 0..100): raw within min..max, else raw / 100.
 */
export function scoScoreScaled(version: ScormVersion, cmi: FlatCmi): number | null {
  const prefix = version === "1.2" ? "cmi.core.score" : "cmi.score";
  if (version === "2004") {
    const scaled = number(cmi["cmi.score.scaled"]);
    if (scaled !== null) return clamp(scaled);
  }
  const raw = number(cmi[`${prefix}.raw`]);
  if (raw === null) return null;
  const min = number(cmi[`${prefix}.min`]) ?? 0;
  const max = number(cmi[`${prefix}.max`]) ?? (version === "1.2" ? 100 : null);
  if (max === null || max <= min) return version === "1.2" ? clamp(raw / 100) : null;
  return clamp((raw - min) / (max - min));
}

const clamp = (value: number) => Math.min(1, Math.max(-1, Math.round(value * 1e6) / 1e6));

/** Whether the SCO is an assessment: it reported a pass or fail, or the LMS holds a pass mark for it. */
export function isAssessed(version: ScormVersion, cmi: FlatCmi, status: PerformanceStatus): boolean {
  if (status === "Passed" || status === "Failed") return true;
  const passMark = version === "1.2" ? cmi["cmi.student_data.mastery_score"] : cmi["cmi.scaled_passing_score"];
  return number(passMark) !== null;
}

/**
 * No downgrade (DESIGN rule 6, issue 4 "Passed stays Passed, Completed stays Completed"): the
 * summary never moves backwards, whatever a later commit says.
 *   - Passed stays Passed; anything can become Passed (Failed too: a retry within the attempt).
 *   - Completed stays Completed unless it becomes Passed: completed learning is never shown as
 *     less, even if a later commit reports a failed success status.
 *   - Failed stays Failed unless it becomes Passed: a later "incomplete" (a retake under way)
 *     does not undo it.
 *   - Otherwise the further of Not Attempted < Incomplete < Completed / Failed.
 */
export function mergeStatus(previous: PerformanceStatus, next: PerformanceStatus): PerformanceStatus {
  if (previous === "Passed" || next === "Passed") return "Passed";
  if (previous === "Completed" || previous === "Failed") return previous;
  const order: PerformanceStatus[] = ["Not Attempted", "Incomplete", "Completed"];
  if (next === "Failed") return "Failed";
  return order.indexOf(next) > order.indexOf(previous) ? next : previous;
}

export interface ScoOutcome {
  status: PerformanceStatus;
  assessed: boolean;
}

/**
 * An attempt's Performance Status from its SCOs (every SCO of the course version; one not yet
 * launched is Not Attempted). One SCO, the common case, gives its own status. For several:
 *   - every SCO Not Attempted -> Not Attempted;
 *   - any SCO not finished (Not Attempted, Incomplete) -> Incomplete;
 *   - all finished and an assessed SCO Failed -> Failed;
 *   - all finished, at least one assessed SCO, every assessed SCO Passed -> Passed;
 *   - all finished otherwise -> Completed (an assessed SCO that only says completed passes nothing).
 */
export function rollUpStatus(scos: ScoOutcome[]): PerformanceStatus {
  if (scos.length === 0 || scos.every((sco) => sco.status === "Not Attempted")) return "Not Attempted";
  if (scos.some((sco) => sco.status === "Not Attempted" || sco.status === "Incomplete")) return "Incomplete";
  const assessed = scos.filter((sco) => sco.assessed || sco.status === "Passed" || sco.status === "Failed");
  if (assessed.some((sco) => sco.status === "Failed")) return "Failed";
  if (assessed.length > 0 && assessed.every((sco) => sco.status === "Passed")) return "Passed";
  return "Completed";
}

/** Completed or Passed: what completed_at records, once. */
export function isCompleted(status: PerformanceStatus): boolean {
  return status === "Completed" || status === "Passed";
}

/** Completed, Passed or Failed: the attempt has an outcome (finished_at). */
export function isFinished(status: PerformanceStatus): boolean {
  return isCompleted(status) || status === "Failed";
}
