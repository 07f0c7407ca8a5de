import { MAX_TIMESPAN_MS, parseCmiTimespan, parseIsoDuration } from "./time.ts";

/**
 * The data types of the SCORM data models as value checks: SCORM 1.2 RTE 3.4 (CMIString255,
 * CMIDecimal, CMITimespan, ...) and SCORM 2004 4th edition RTE 4.1 (characterstring, real,
 * timeinterval, localized_string_type, ...). cmi-validate.ts says which element has which.
 *
 * Each check is never stricter than scorm-again 3.4.3, the player's API: what it accepted from
 * the SCO, the server must store (see cmi-validate.ts). Where it relaxes a spec, the comment says.
 */
export type FaultKind = "type" | "range" | "length" | "count";
export interface Fault {
  kind: FaultKind;
  message: string;
}
/** `interactionType` is the type of the interaction the element belongs to, if known. */
export type Check = (value: string, interactionType?: string) => Fault | null;

export const fault = (kind: FaultKind, message: string): Fault => ({ kind, message });

export const longest =
  (max: number): Check =>
  (value) =>
    value.length > max ? fault("length", `is longer than ${max} characters`) : null;

export const oneOf =
  (...words: string[]): Check =>
  (value) =>
    words.includes(value) ? null : fault("type", `must be one of ${words.map((word) => JSON.stringify(word)).join(", ")}`);

export const matches =
  (pattern: RegExp, what: string): Check =>
  (value) =>
    pattern.test(value) ? null : fault("type", `is not ${what}`);

export const all =
  (...checks: Check[]): Check =>
  (value, type) => {
    for (const check of checks) {
      const found = check(value, type);
      if (found) return found;
    }
    return null;
  };

export const within =
  (min: number | null, max: number | null): Check =>
  (value) => {
    const number = Number(value);
    if ((min === null || number >= min) && (max === null || number <= max)) return null;
    return fault("range", `must be ${min !== null && max !== null ? `from ${min} to ${max}` : min !== null ? `at least ${min}` : `at most ${max}`}`);
  };

// ---------------------------------------------------------------------------------------------
// SCORM 1.2 (RTE 3.4)

/** CMIDecimal; scorm-again allows up to 10 integer digits. */
export const decimal12 = matches(/^-?(?=\.?\d)\d{0,10}(\.\d*)?$/, "a CMIDecimal");
/** cmi.core.score.*, cmi.objectives.n.score.*: 0..100 (scorm-again enforces it too). */
export const score12 = all(decimal12, within(0, 100));
export const sinteger12 = matches(/^-?\d+$/, "a CMISInteger");
/** CMIIdentifier is letters, digits, - and _ in the spec; scorm-again takes any printable ASCII. */
export const identifier12 = all(longest(255), matches(/^[\x21-\x7E\s]*$/, "a CMIIdentifier"));
export const time12 = matches(/^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/, "a CMITime (HH:MM:SS.SS)");
/** CMITimespan: hours of one to four digits (time.ts says why not more, which scorm-again takes). */
export const timespan12: Check = (value) => (parseCmiTimespan(value) === null ? fault("type", "is not a CMITimespan (HHHH:MM:SS.SS, at most four digits of hours)") : null);
/**
 * CMIFeedback (student_response, correct_responses.n.pattern) is a CMIString255 in the spec;
 * scorm-again sets no limit at all. We bound it at 4,096 (1.2's CMIString4096): a long fill-in
 * answer the player took is stored, and a commit stays bounded.
 */
export const feedback12 = longest(4096);
export const result12: Check = (value) =>
  /^(correct|wrong|unanticipated|neutral)$/.test(value) || /^-?\d+(\.\d+)?$/.test(value) ? null : fault("type", 'must be "correct", "wrong", "unanticipated", "neutral" or a number');

// ---------------------------------------------------------------------------------------------
// SCORM 2004 4th edition (RTE 4.1)

/** real(10,7); scorm-again's CMIDecimal: up to 10 integer and 18 fraction digits. */
export const real = matches(/^-?\d{1,10}(\.\d{1,18})?$/, "a real number");
export const scaled = all(real, within(-1, 1));
export const unitInterval = all(real, within(0, 1));
export const characterstring = longest;
/** localized_string_type: an optional {lang=xx} delimiter, then up to `max` characters. */
export const localized =
  (max: number): Check =>
  (value) =>
    longest(max)(value.replace(/^\{lang=[^}]*\}/, ""));
/** long_identifier_type, SPM 4,000: a URI in the spec, any text for scorm-again. */
export const longIdentifier = longest(4000);
export const shortIdentifier = longest(250);
export const language = all(longest(250), matches(/^(([a-zA-Z]{1,8}|i|x)(-[a-zA-Z0-9-]{2,8})?)?$/, "a language code"));
/**
 * time (second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]]. The spec's TZD follows a
 * fraction; ISO 8601 (and many SCOs) write it straight after the seconds, accepted as well.
 */
export const time2004 = matches(
  /^(19[7-9]\d|[2-9]\d{3})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?)?)?)?)?$/,
  "a time (second,10,0): YYYY-MM-DDThh:mm:ss",
);
/** timeinterval (second,10,2): any ISO 8601 duration up to 9999:59:59.99, 1.2's limit (time.ts says why). */
export const timeinterval: Check = (value) => {
  const ms = parseIsoDuration(value);
  if (ms === null) return fault("type", "is not a timeinterval (ISO 8601 duration)");
  return ms <= MAX_TIMESPAN_MS ? null : fault("range", "is longer than PT9999H59M59.99S, the longest time span the LMS keeps");
};
export const result2004: Check = (value) =>
  /^(correct|incorrect|unanticipated|neutral)$/.test(value) || real(value) === null ? null : fault("type", 'must be "correct", "incorrect", "unanticipated", "neutral" or a real number');

/**
 * RTE 4.2.9 (cmi.interactions): the format of learner_response and correct_responses.n.pattern
 * depends on the interaction's type. Items are separated by "[,]", pairs by "[.]"; the counts and
 * lengths are the smallest permitted maxima (SPM), as scorm-again enforces them.
 */
interface ResponseRule {
  maxItems: number;
  item: Check;
}
const pair =
  (left: Check, right: Check): Check =>
  (value, type) => {
    const [first = "", ...rest] = value.split("[.]");
    return left(first, type) ?? right(rest.join("[.]"), type);
  };
const RESPONSES: Record<string, ResponseRule> = {
  "true-false": { maxItems: 1, item: oneOf("true", "false") },
  choice: { maxItems: 36, item: longIdentifier },
  "fill-in": { maxItems: 10, item: localized(250) },
  "long-fill-in": { maxItems: 1, item: localized(4000) },
  matching: { maxItems: 36, item: pair(shortIdentifier, shortIdentifier) },
  performance: { maxItems: 250, item: pair(shortIdentifier, longest(250)) },
  sequencing: { maxItems: 36, item: shortIdentifier },
  likert: { maxItems: 1, item: shortIdentifier },
  numeric: { maxItems: 1, item: real },
  other: { maxItems: 1, item: longest(4000) },
};
/** Without a type, scorm-again refuses a response (408); the server only bounds its size. */
const UNTYPED_RESPONSE_MAX = 64_000;

export function response2004(kind: "learner_response" | "pattern"): Check {
  return (value, type) => {
    const rule = type ? RESPONSES[type] : undefined;
    if (!rule) return longest(UNTYPED_RESPONSE_MAX)(value, type);
    let body = value;
    if (kind === "pattern") {
      // A pattern may open with {case_matters=...}{order_matters=...} (and items with {lang=...}).
      body = body.replace(/^(\{(case_matters|order_matters)=(true|false)\})+/, "");
      // A numeric pattern is a range, min[:]max, either end optional.
      if (type === "numeric") {
        const ends = body.split("[:]");
        return ends.length <= 2 && ends.every((end) => end === "" || real(end) === null) ? null : fault("type", "is not a numeric range (min[:]max)");
      }
    }
    const items = rule.maxItems === 1 ? [body] : body.split("[,]");
    if (items.length > rule.maxItems) return fault("count", `has more than ${rule.maxItems} responses for a ${type} interaction`);
    for (const item of items) {
      const found = rule.item(item, type);
      if (found) return { ...found, message: `${found.message} (a ${type} response)` };
    }
    return null;
  };
}

// ---------------------------------------------------------------------------------------------
// A data model: each element's access and check, and the error codes of its edition
// (cmi-model-12.ts, cmi-model-2004.ts; cmi-validate.ts applies them)

export interface ElementSpec {
  access: "rw" | "ro" | "wo";
  check: Check;
}

export const rw = (check: Check): ElementSpec => ({ access: "rw", check });
export const ro = (check: Check): ElementSpec => ({ access: "ro", check });
export const wo = (check: Check): ElementSpec => ({ access: "wo", check });

export interface CmiModel {
  version: "1.2" | "2004";
  elements: Record<string, ElementSpec>;
  /** The error code for each kind of fault, and for an unknown, read-only or keyword element. */
  codes: Record<FaultKind | "unknown" | "readOnly" | "keyword", number>;
}
