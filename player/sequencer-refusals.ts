// What the learner reads when the sequencer refuses a navigation request. The exception codes are
// the SN book's (SCORM 2004 4th SN, the NB / SB / DB processes), as choice-sequencing.ts returns
// them and, mostly, scorm-again too (it numbers some SB.2.9 refusals its own way: -4 for hidden,
// -5 for a parent without choice, -7 for an unavailable target); the code is shown too, so that
// Learning and Development can tell the course's author which rule said no.
export type RefusedRequest = "continue" | "previous" | "choice";

const FLOW_OR_FORWARD_ONLY = /^(NB\.2\.1-(4|5|6|7|8)|SB\.2\.1-(3|4)|SB\.2\.2-1|SB\.2\.8-2)$/;
const CHOICE_NOT_ALLOWED = /^(NB\.2\.1-10|SB\.2\.9-5)$/;
const NOT_YET = /^(SB\.2\.9-(4|7)|SB\.2\.4-1)$/;
// SB.2.4-2: a choice backward through a forwardOnly cluster.
const NO_GOING_BACK = /^SB\.2\.4-(2|3)$/;
// SB.2.9-6: preventActivation; SB.2.9-8: constrainChoice (SN 3.3).
const NOT_STARTED = /^SB\.2\.9-6$/;
const CONSTRAINED = /^SB\.2\.9-8$/;
const END_OF_COURSE = /^(SB\.2\.1-2|SB\.2\.7-2)$/;
// DB.1.1 and, for flow, SB.2.2-2: Check Activity (UP.5) closes it, by a disabled rule or a limit.
const CLOSED = /^(DB\.|SB\.2\.2-2$)/;

/**
 * The kind of request a SCO's own adl.nav.request (RTE 4.4.1) makes, when it is one whose refusal
 * the learner is told of: continue, previous or a choice ("{target=ID}choice"); null otherwise (exit,
 * suspendAll and the rest end the SCO or the course whatever the rules say).
 */
export function contentRequest(navRequest: string | undefined): RefusedRequest | null {
  if (navRequest === "continue" || navRequest === "previous") return navRequest;
  return navRequest !== undefined && /^\{target=[^}]+\}choice$/.test(navRequest) ? "choice" : null;
}

export function refusalMessage(request: RefusedRequest, exception: string | null): string {
  const code = exception ? ` (sequencing rule ${exception})` : "";
  if (exception && FLOW_OR_FORWARD_ONLY.test(exception)) {
    return request === "previous" ? `This course does not let you go back from here${code}.` : `This course does not let you move on with Next from here: choose from the contents${code}.`;
  }
  if (exception && CHOICE_NOT_ALLOWED.test(exception)) return `This course does not let you choose its parts from the contents here: use Next and Previous${code}.`;
  if (exception && NO_GOING_BACK.test(exception)) return `This course does not let you go back to that part from here${code}.`;
  if (exception && NOT_STARTED.test(exception)) return `That part of the course cannot be opened until the section it belongs to has been started${code}.`;
  if (exception && CONSTRAINED.test(exception)) return `From here the course lets you choose only the parts just before and just after the section you are in${code}.`;
  if (exception && END_OF_COURSE.test(exception)) return `There is nothing further in this course to move on to. Select Home to leave${code}.`;
  if (exception && NOT_YET.test(exception)) return `That part of the course cannot be opened yet: finish the parts before it first${code}.`;
  if (exception && CLOSED.test(exception)) return `That part of the course cannot be opened: its rules close it, or its attempts are used up${code}.`;
  return `That part of the course cannot be opened now: the course's rules do not allow it${code}.`;
}
