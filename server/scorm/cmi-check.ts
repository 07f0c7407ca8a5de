// Checks the CMI a commit carries against one edition's data model (cmi-validate.ts says how and
// why). Apart from the models, so that each edition's launcher bundles its own model alone.
import { elementPattern, type FlatCmi } from "./cmi-json.ts";
import type { CmiModel } from "./cmi-types.ts";

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

// Collection indexes are written without leading zeros ("cmi.objectives.01.id" is no element).
const NON_CANONICAL_INDEX = /\.0\d+(?=\.|$)/;
const KEYWORD = /\.(_children|_count|_version)$/;

/** validateCmi (cmi-validate.ts) against one edition's model: what that edition's launcher asks for every SetValue. */
export function validateAgainst(model: CmiModel, incoming: FlatCmi, stored: FlatCmi = {}): CmiValidation {
  const { version, elements, codes: code } = model;
  const result: CmiValidation = { accepted: {}, ignored: [], errors: [] };
  for (const [element, value] of Object.entries(incoming)) {
    if (KEYWORD.test(element)) {
      result.ignored.push({ element, errorCode: code.keyword, message: `${element} is a keyword the LMS keeps` });
      continue;
    }
    const spec = NON_CANONICAL_INDEX.test(element) ? undefined : elements[elementPattern(element)];
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
