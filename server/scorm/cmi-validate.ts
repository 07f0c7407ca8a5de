import type { ScormVersion } from "./contract.ts";
import { elementPattern, type FlatCmi } from "./cmi-json.ts";
import { SCORM12_ERRORS, SCORM2004_ERRORS } from "./scorm-errors.ts";
import {
  all, characterstring, decimal12, feedback12, identifier12, language, localized, longest, longIdentifier, oneOf, real, response2004, result12,
  result2004, scaled, score12, sinteger12, time12, time2004, timeinterval, timespan12, unitInterval, within, type Check, type FaultKind,
} from "./cmi-types.ts";

/**
 * Validation of the CMI a commit carries, element by element, against the SCORM data models:
 * SCORM 1.2 RTE 3.4 (cmi.core.*, cmi.objectives.n.*, cmi.interactions.n.*, ...; error codes in
 * RTE 3.3) and SCORM 2004 4th edition RTE 4.2 (cmi.comments_from_learner ... cmi.total_time;
 * error codes in RTE 3.1.7).
 *
 * scorm-again has already checked every SetValue in the browser, so a bad value here is a bug or
 * a forged request. One rule above the specs: the server never refuses a value that the player
 * (scorm-again 3.4.3) accepts, because a refused commit loses everything in it, the learner's
 * completion included. Where scorm-again relaxes a spec limit, so do we, and say so. One
 * exception: time spans are bounded (a 1.2 CMITimespan has at most four digits of hours, a 2004
 * timeinterval is at most as long; time.ts says why), because an unbounded one cannot be stored at
 * all. For that, validateCmi stays pure (no Node APIs): the launcher can ask it for every SetValue,
 * so that the SCO is refused there, with the same error code, before a commit carries the value.
 *
 * An empty string is always accepted: scorm-again renders every element it has, set or not,
 * and "" is how it renders "not set". Read-only elements (scorm-again sends them too) are
 * dropped, not refused: the LMS's own values stand.
 */
export interface CmiProblem {
  element: string;
  errorCode: number;
  message: string;
}

export interface CmiValidation {
  /** The writable elements with valid values: what may be stored. */
  accepted: FlatCmi;
  /** Read-only elements and keywords the commit carried: dropped, the server's values stand. */
  ignored: CmiProblem[];
  /** Values that refuse the whole commit. */
  errors: CmiProblem[];
}

interface ElementSpec {
  access: "rw" | "ro" | "wo";
  check: Check;
}

const rw = (check: Check): ElementSpec => ({ access: "rw", check });
const ro = (check: Check): ElementSpec => ({ access: "ro", check });
const wo = (check: Check): ElementSpec => ({ access: "wo", check });

/**
 * SCORM 1.2 RTE 3.4 gives cmi.suspend_data 4,096 characters (CMIString4096). scorm-again 3.4.3
 * takes 64,000 (Storyline and other tools routinely write more), so the server stores what it took.
 */
export const SUSPEND_DATA_12_MAX = 64_000;
/** SCORM 2004 RTE 4.2.23: cmi.suspend_data, characterstring SPM 64,000. */
export const SUSPEND_DATA_2004_MAX = 64_000;

const STATUS_12 = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"];
const TIME_LIMIT_ACTIONS = ["exit,message", "exit,no message", "continue,message", "continue,no message"];

// SCORM 1.2 RTE 3.4. Every bad value answers 405 (1.2 has no range code).
const SCORM12: Record<string, ElementSpec> = {
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

const COMPLETION = ["completed", "incomplete", "not attempted", "unknown"];
const SUCCESS = ["passed", "failed", "unknown"];
const INTERACTION_TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"];

// SCORM 2004 4th edition RTE 4.2.1-4.2.25: 406 type, 407 range, 351 longer than the SPM.
const SCORM2004: Record<string, ElementSpec> = {
  "cmi.comments_from_learner.n.comment": rw(localized(4000)),
  "cmi.comments_from_learner.n.location": rw(characterstring(250)),
  "cmi.comments_from_learner.n.timestamp": rw(time2004),
  "cmi.comments_from_lms.n.comment": ro(localized(4000)),
  "cmi.comments_from_lms.n.location": ro(characterstring(250)),
  "cmi.comments_from_lms.n.timestamp": ro(time2004),
  "cmi.completion_status": rw(oneOf(...COMPLETION)),
  "cmi.completion_threshold": ro(unitInterval),
  "cmi.credit": ro(oneOf("credit", "no-credit")),
  "cmi.entry": ro(oneOf("ab-initio", "resume")),
  "cmi.exit": wo(oneOf("time-out", "suspend", "logout", "normal")),
  "cmi.interactions.n.id": rw(longIdentifier),
  "cmi.interactions.n.type": rw(oneOf(...INTERACTION_TYPES)),
  "cmi.interactions.n.objectives.n.id": rw(longIdentifier),
  "cmi.interactions.n.timestamp": rw(time2004),
  "cmi.interactions.n.correct_responses.n.pattern": rw(response2004("pattern")),
  "cmi.interactions.n.weighting": rw(real),
  "cmi.interactions.n.learner_response": rw(response2004("learner_response")),
  "cmi.interactions.n.result": rw(result2004),
  "cmi.interactions.n.latency": rw(timeinterval),
  "cmi.interactions.n.description": rw(localized(250)),
  "cmi.launch_data": ro(characterstring(4000)),
  "cmi.learner_id": ro(longIdentifier),
  "cmi.learner_name": ro(localized(250)),
  "cmi.learner_preference.audio_level": rw(all(real, within(0, null))),
  "cmi.learner_preference.language": rw(language),
  "cmi.learner_preference.delivery_speed": rw(all(real, within(0, null))),
  "cmi.learner_preference.audio_captioning": rw(oneOf("-1", "0", "1")),
  "cmi.location": rw(characterstring(1000)),
  "cmi.max_time_allowed": ro(timeinterval),
  "cmi.mode": ro(oneOf("browse", "normal", "review")),
  "cmi.objectives.n.id": rw(longIdentifier),
  "cmi.objectives.n.score.scaled": rw(scaled),
  "cmi.objectives.n.score.raw": rw(real),
  "cmi.objectives.n.score.min": rw(real),
  "cmi.objectives.n.score.max": rw(real),
  "cmi.objectives.n.success_status": rw(oneOf(...SUCCESS)),
  "cmi.objectives.n.completion_status": rw(oneOf(...COMPLETION)),
  "cmi.objectives.n.progress_measure": rw(unitInterval),
  "cmi.objectives.n.description": rw(localized(250)),
  "cmi.progress_measure": rw(unitInterval),
  "cmi.scaled_passing_score": ro(scaled),
  "cmi.score.scaled": rw(scaled),
  "cmi.score.raw": rw(real),
  "cmi.score.min": rw(real),
  "cmi.score.max": rw(real),
  "cmi.session_time": wo(timeinterval),
  "cmi.success_status": rw(oneOf(...SUCCESS)),
  "cmi.suspend_data": rw(characterstring(SUSPEND_DATA_2004_MAX)),
  "cmi.time_limit_action": ro(oneOf(...TIME_LIMIT_ACTIONS)),
  "cmi.total_time": ro(timeinterval),
};

const MODELS: Record<ScormVersion, Record<string, ElementSpec>> = { "1.2": SCORM12, "2004": SCORM2004 };

type Codes = Record<FaultKind | "unknown" | "readOnly" | "keyword", number>;
const CODES: Record<ScormVersion, Codes> = {
  "1.2": {
    unknown: SCORM12_ERRORS.invalidArgument,
    readOnly: SCORM12_ERRORS.readOnly,
    keyword: SCORM12_ERRORS.keyword,
    type: SCORM12_ERRORS.typeMismatch,
    range: SCORM12_ERRORS.typeMismatch,
    length: SCORM12_ERRORS.typeMismatch,
    count: SCORM12_ERRORS.typeMismatch,
  },
  "2004": {
    unknown: SCORM2004_ERRORS.undefinedElement,
    readOnly: SCORM2004_ERRORS.readOnly,
    keyword: SCORM2004_ERRORS.readOnly,
    type: SCORM2004_ERRORS.typeMismatch,
    range: SCORM2004_ERRORS.outOfRange,
    length: SCORM2004_ERRORS.generalSet,
    count: SCORM2004_ERRORS.generalSet,
  },
};

/** True when the SCO may not set the element: the LMS's value is the one that counts. */
export function isReadOnly(version: ScormVersion, element: string): boolean {
  return MODELS[version][elementPattern(element)]?.access === "ro";
}

// Collection indexes are written without leading zeros ("cmi.objectives.01.id" is no element).
const NON_CANONICAL_INDEX = /\.0\d+(?=\.|$)/;
const KEYWORD = /\.(_children|_count|_version)$/;

/**
 * Validates every element of an incoming commit. `stored` is the SCO's saved CMI, consulted for
 * an interaction's type when the commit sets a response without repeating the type.
 */
export function validateCmi(version: ScormVersion, incoming: FlatCmi, stored: FlatCmi = {}): CmiValidation {
  const model = MODELS[version];
  const code = CODES[version];
  const result: CmiValidation = { accepted: {}, ignored: [], errors: [] };
  for (const [element, value] of Object.entries(incoming)) {
    if (KEYWORD.test(element)) {
      result.ignored.push({ element, errorCode: code.keyword, message: `${element} is a keyword the LMS keeps` });
      continue;
    }
    const spec = NON_CANONICAL_INDEX.test(element) ? undefined : model[elementPattern(element)];
    if (!spec) {
      result.errors.push({ element, errorCode: code.unknown, message: `${element} is not a SCORM ${version} data model element` });
      continue;
    }
    if (spec.access === "ro") {
      result.ignored.push({ element, errorCode: code.readOnly, message: `${element} is read-only; the LMS's value stands` });
      continue;
    }
    const found = value === "" ? null : spec.check(value, interactionType(element, incoming, stored));
    if (found) result.errors.push({ element, errorCode: code[found.kind], message: `${element} ${found.message}` });
    else result.accepted[element] = value;
  }
  return result;
}

function interactionType(element: string, incoming: FlatCmi, stored: FlatCmi): string | undefined {
  const index = /^cmi\.interactions\.(\d+)\./.exec(element)?.[1];
  if (index === undefined) return undefined;
  const key = `cmi.interactions.${index}.type`;
  return incoming[key] || stored[key] || undefined;
}
