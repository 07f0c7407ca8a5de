// The SCORM 2004 data model as cmi-validate.ts checks it (cmi-model-12.ts says why a file of its own).
import { all, characterstring, language, localized, longIdentifier, oneOf, real, response2004, result2004, scaled, time2004, timeinterval, unitInterval, within, type CmiModel, type ElementSpec, ro, rw, wo } from "./cmi-types.ts";
import { SCORM2004_ERRORS } from "./scorm-errors.ts";

/** SCORM 2004 RTE 4.2.23: cmi.suspend_data, characterstring SPM 64,000. */
export const SUSPEND_DATA_2004_MAX = 64_000;

const TIME_LIMIT_ACTIONS = ["exit,message", "exit,no message", "continue,message", "continue,no message"];
const COMPLETION = ["completed", "incomplete", "not attempted", "unknown"];
const SUCCESS = ["passed", "failed", "unknown"];
const INTERACTION_TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"];

// SCORM 2004 4th edition RTE 4.2.1-4.2.25: 406 type, 407 range, 351 longer than the SPM.
const ELEMENTS: Record<string, ElementSpec> = {
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

export const CMI_MODEL_2004: CmiModel = {
  version: "2004",
  elements: ELEMENTS,
  codes: {
    unknown: SCORM2004_ERRORS.undefinedElement,
    readOnly: SCORM2004_ERRORS.readOnly,
    keyword: SCORM2004_ERRORS.readOnly,
    type: SCORM2004_ERRORS.typeMismatch,
    range: SCORM2004_ERRORS.outOfRange,
    length: SCORM2004_ERRORS.generalSet,
    count: SCORM2004_ERRORS.generalSet,
  },
};
