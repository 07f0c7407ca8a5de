/**
 * CMI as one flat map of element name -> value ("cmi.core.lesson_status" -> "passed"), and back
 * to scorm-again's nested JSON (what renderCommitCMI sends under `cmi` and loadFromJSON reads).
 * Collections are objects keyed "0", "1", ... as scorm-again renders them; real arrays are read too.
 */
export type FlatCmi = Record<string, string>;

export interface FlattenResult {
  values: FlatCmi;
  /** Leaves that are no CMI value at all (booleans, nesting too deep, too many elements). */
  problems: Array<{ element: string; message: string }>;
}

const MAX_DEPTH = 8;
const MAX_ELEMENTS = 50_000;

/** `nested` is the object under `cmi`; element names come out prefixed with `cmi.`. */
export function flattenCmi(nested: unknown, prefix = "cmi"): FlattenResult {
  const result: FlattenResult = { values: {}, problems: [] };
  let count = 0;
  const walk = (node: unknown, path: string, depth: number) => {
    if (node === null || node === undefined) return; // scorm-again renders unset values as null
    if (typeof node === "string" || (typeof node === "number" && Number.isFinite(node))) {
      if (++count > MAX_ELEMENTS) {
        if (count === MAX_ELEMENTS + 1) result.problems.push({ element: path, message: `more than ${MAX_ELEMENTS} elements` });
        return;
      }
      result.values[path] = String(node);
      return;
    }
    if (typeof node !== "object") {
      result.problems.push({ element: path, message: `a ${typeof node} is not a CMI value` });
      return;
    }
    if (depth >= MAX_DEPTH) {
      result.problems.push({ element: path, message: "nested too deeply" });
      return;
    }
    const entries = Array.isArray(node) ? node.map((value, index) => [String(index), value] as const) : Object.entries(node);
    for (const [key, value] of entries) walk(value, `${path}.${key}`, depth + 1);
  };
  if (nested === null || typeof nested !== "object" || Array.isArray(nested)) {
    result.problems.push({ element: prefix, message: "the CMI must be an object" });
    return result;
  }
  for (const [key, value] of Object.entries(nested)) walk(value, `${prefix}.${key}`, 1);
  return result;
}

/** Whether a parsed JSON value nests deeper than `limit` (walked without recursion). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}

/** The nested form of a flat map (keys are trusted element names, never raw input). */
export function nestCmi(flat: FlatCmi, prefix = "cmi"): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const strip = `${prefix}.`;
  for (const [element, value] of Object.entries(flat)) {
    if (!element.startsWith(strip)) continue;
    const parts = element.slice(strip.length).split(".");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next === undefined || typeof next !== "object" || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

/** "cmi.interactions.3.objectives.0.id" -> "cmi.interactions.n.objectives.n.id" */
export function elementPattern(element: string): string {
  return element.replace(/\.\d+(?=\.|$)/g, ".n");
}

