import type { EndAttemptRules } from "../scorm/manifest/runtime-settings.ts";
import type { ScormVersion } from "../scorm/contract.ts";
import type { FlatCmi } from "../scorm/cmi-json.ts";
import { statuses2004 } from "../scorm/status.ts";

/**
 * How a SCO's session ended, and what the LMS then supplies when the content was silent (DESIGN.md,
 * "When content is silent"). Pure: the commit service asks at a terminate commit, the state service
 * at the next launch.
 */
export interface SessionEnding {
  version: ScormVersion;
  /** cmi.core.exit / cmi.exit of the session that ended ("" when not set). */
  exit: string;
  /** SCORM 2004: adl.nav.request that came with the terminate commit, if any. */
  navRequest: string | null;
}

/**
 * Whether the session left the SCO suspended, to be resumed: exit "suspend" (1.2 RTE 3.4.4, 2004
 * RTE 4.2.8), or in 2004 a suspendAll request, which suspends the current activity whatever its
 * exit (SN TB.2.3).
 */
export function endedSuspended({ version, exit, navRequest }: SessionEnding): boolean {
  return exit === "suspend" || (version === "2004" && navRequest === "suspendAll");
}

// SN 4.2: abandon and abandonAll end the attempt without the End Attempt Process.
const ABANDONED = new Set(["abandon", "abandonAll"]);

/**
 * Whether the SCO's attempt (SCORM 2004's learner attempt on the activity) ended with the session:
 * any ending but a suspension. The next launch then starts a new attempt, with a fresh data model
 * (RTE 4.2.8: entry "ab-initio"), and the End Attempt Process applies now unless it was abandoned.
 */
export function attemptEnded(ending: SessionEnding): boolean {
  return ending.version === "2004" && !endedSuspended(ending);
}

/**
 * The CMI a terminate commit is judged by, with what the LMS sets when the content said nothing:
 *   - SCORM 1.2: a lesson_status still "not attempted" (or never set) at LMSFinish becomes
 *     "completed", as Moodle and SCORM Cloud do; status12 then lets the mastery score turn a
 *     reported score into passed or failed. Not in browse mode, which completes nothing.
 *   - SCORM 2004, SN UP.4 (End Attempt Process), for a tracked activity whose attempt ends:
 *     completion still unknown and Completion Set by Content false -> completed; success still
 *     unknown and Objective Set by Content false -> passed (the primary objective satisfied).
 *     Not where the manifest decides by measure (completedByMeasure, satisfiedByMeasure): with no
 *     measure reported, the roll-up's measure evaluation (SN RB.1.2.a, RB.1.3.a) leaves the status
 *     unknown, and a quiz with a pass mark that reported no score has passed nothing.
 */
export function judgedAtSessionEnd(judged: FlatCmi, ending: SessionEnding, rules: EndAttemptRules | null): FlatCmi {
  if (ending.version === "1.2") {
    const status = judged["cmi.core.lesson_status"] ?? "";
    if ((status === "" || status === "not attempted") && judged["cmi.core.lesson_mode"] !== "browse") return { ...judged, "cmi.core.lesson_status": "completed" };
    return judged;
  }
  if (!attemptEnded(ending) || ABANDONED.has(ending.navRequest ?? "") || (rules && !rules.tracked)) return judged;
  const { completion, success } = statuses2004(judged);
  const supplied: FlatCmi = {};
  if (completion === "unknown" && !rules?.completionSetByContent && !rules?.completedByMeasure) supplied["cmi.completion_status"] = "completed";
  if (success === "unknown" && !rules?.objectiveSetByContent && !rules?.satisfiedByMeasure) supplied["cmi.success_status"] = "passed";
  return { ...judged, ...supplied };
}

/**
 * An asset cannot talk to the LMS: delivered, it counts as completed (SCORM 1.2, as Moodle does)
 * and, in 2004, as completed and satisfied, as the End Attempt Process makes it with the defaults.
 */
export function assetDelivered(version: ScormVersion): FlatCmi {
  return version === "1.2" ? { "cmi.core.lesson_status": "completed" } : { "cmi.completion_status": "completed", "cmi.success_status": "passed" };
}
