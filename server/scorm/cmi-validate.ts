// Validation of the CMI a commit carries, element by element, against the SCORM data models:
// SCORM 1.2 RTE 3.4 (cmi.core.*, cmi.objectives.n.*, cmi.interactions.n.*, ...; error codes in
// RTE 3.3) and SCORM 2004 4th edition RTE 4.2 (cmi.comments_from_learner ... cmi.total_time;
// error codes in RTE 3.1.7).
//
// scorm-again has already checked every SetValue in the browser, so a bad value here is a bug or
// a forged request. One rule above the specs: the server never refuses a value that the player
// (scorm-again 3.4.3) accepts, because a refused commit loses everything in it, the learner's
// completion included. Where scorm-again relaxes a spec limit, so do we, and say so. One
// exception: time spans are bounded (a 1.2 CMITimespan has at most four digits of hours, a 2004
// timeinterval is at most as long; time.ts says why), because an unbounded one cannot be stored at
// all. For that, validateCmi stays pure (no Node APIs): the launcher can ask it for every SetValue,
// so that the SCO is refused there, with the same error code, before a commit carries the value.
//
// An empty string is always accepted: scorm-again renders every element it has, set or not,
// and "" is how it renders "not set". Read-only elements (scorm-again sends them too) are
// dropped, not refused: the LMS's own values stand.
//
// Each edition's model is a file of its own (cmi-model-12.ts, cmi-model-2004.ts), checked by
// cmi-check.ts: the launcher of an edition bundles its model alone.
import type { ScormVersion } from "./contract.ts";
import { elementPattern, type FlatCmi } from "./cmi-json.ts";
import { validateAgainst, type CmiValidation } from "./cmi-check.ts";
import { CMI_MODEL_12 } from "./cmi-model-12.ts";
import { CMI_MODEL_2004 } from "./cmi-model-2004.ts";
import type { CmiModel } from "./cmi-types.ts";

export type { CmiProblem, CmiValidation } from "./cmi-check.ts";
export { SUSPEND_DATA_12_MAX } from "./cmi-model-12.ts";
export { SUSPEND_DATA_2004_MAX } from "./cmi-model-2004.ts";

const MODELS: Record<ScormVersion, CmiModel> = { "1.2": CMI_MODEL_12, "2004": CMI_MODEL_2004 };

/** True when the SCO may not set the element: the LMS's value is the one that counts. */
export function isReadOnly(version: ScormVersion, element: string): boolean {
  return MODELS[version].elements[elementPattern(element)]?.access === "ro";
}

/**
 * Validates every element of an incoming commit. `stored` is the SCO's saved CMI, consulted for
 * an interaction's type when the commit sets a response without repeating the type.
 */
export function validateCmi(version: ScormVersion, incoming: FlatCmi, stored: FlatCmi = {}): CmiValidation {
  return validateAgainst(MODELS[version], incoming, stored);
}
