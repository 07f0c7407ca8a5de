// The SCORM 1.2 data model as cmi-validate.ts checks it: its own file, so that the 1.2 launcher
// bundles no 2004 model (0.9 KB gzipped of a 1.2 course's 50 KB budget of script).
import { all, decimal12, feedback12, identifier12, longest, oneOf, result12, score12, sinteger12, time12, timespan12, within, type CmiModel, type ElementSpec, ro, rw, wo } from "./cmi-types.ts";
import { SCORM12_ERRORS } from "./scorm-errors.ts";

/**
 * SCORM 1.2 RTE 3.4 gives cmi.suspend_data 4,096 characters (CMIString4096). scorm-again 3.4.3
 * takes 64,000 (Storyline and other tools routinely write more), so the server stores what it took.
 */
export const SUSPEND_DATA_12_MAX = 64_000;

const STATUS_12 = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"];
const TIME_LIMIT_ACTIONS = ["exit,message", "exit,no message", "continue,message", "continue,no message"];

// SCORM 1.2 RTE 3.4. Every bad value answers 405 (1.2 has no range code).
const ELEMENTS: Record<string, ElementSpec> = {
  "cmi.core.student_id": ro(identifier12),
  "cmi.core.student_name": ro(longest(255)),
  "cmi.core.lesson_location": rw(longest(255)),
  "cmi.core.credit": ro(oneOf("credit", "no-credit")),
  // "not attempted" is the LMS's initial value, which scorm-again renders back until it changes.
  "cmi.core.lesson_status": rw(oneOf(...STATUS_12)),
  "cmi.core.entry": ro(oneOf("ab-initio", "resume")),
  "cmi.core.score.raw": rw(score12),
  "cmi.core.score.min": rw(score12),
  "cmi.core.score.max": rw(score12),
  "cmi.core.total_time": ro(timespan12),
  "cmi.core.lesson_mode": ro(oneOf("browse", "normal", "review")),
  "cmi.core.exit": wo(oneOf("time-out", "suspend", "logout")),
  "cmi.core.session_time": wo(timespan12),
  "cmi.suspend_data": rw(longest(SUSPEND_DATA_12_MAX)),
  "cmi.launch_data": ro(longest(4096)),
  "cmi.comments": rw(longest(4096)),
  "cmi.comments_from_lms": ro(longest(4096)),
  "cmi.objectives.n.id": rw(identifier12),
  "cmi.objectives.n.score.raw": rw(score12),
  "cmi.objectives.n.score.min": rw(score12),
  "cmi.objectives.n.score.max": rw(score12),
  "cmi.objectives.n.status": rw(oneOf(...STATUS_12)),
  "cmi.student_data.mastery_score": ro(score12),
  "cmi.student_data.max_time_allowed": ro(timespan12),
  "cmi.student_data.time_limit_action": ro(oneOf(...TIME_LIMIT_ACTIONS)),
  "cmi.student_preference.audio": rw(all(sinteger12, within(-1, 100))),
  "cmi.student_preference.language": rw(longest(255)),
  "cmi.student_preference.speed": rw(all(sinteger12, within(-100, 100))),
  "cmi.student_preference.text": rw(all(sinteger12, within(-1, 1))),
  // Interactions are write-only for the SCO, but the player loads them back so that
  // cmi.interactions._count is right and a new session appends rather than overwrites.
  "cmi.interactions.n.id": wo(identifier12),
  "cmi.interactions.n.objectives.n.id": wo(identifier12),
  "cmi.interactions.n.time": wo(time12),
  "cmi.interactions.n.type": wo(oneOf("true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric")),
  "cmi.interactions.n.correct_responses.n.pattern": wo(feedback12),
  "cmi.interactions.n.weighting": wo(all(decimal12, within(-100, 100))),
  "cmi.interactions.n.student_response": wo(feedback12),
  "cmi.interactions.n.result": wo(result12),
  "cmi.interactions.n.latency": wo(timespan12),
};

export const CMI_MODEL_12: CmiModel = {
  version: "1.2",
  elements: ELEMENTS,
  codes: {
    unknown: SCORM12_ERRORS.invalidArgument,
    readOnly: SCORM12_ERRORS.readOnly,
    keyword: SCORM12_ERRORS.keyword,
    type: SCORM12_ERRORS.typeMismatch,
    range: SCORM12_ERRORS.typeMismatch,
    length: SCORM12_ERRORS.typeMismatch,
    count: SCORM12_ERRORS.typeMismatch,
  },
};
