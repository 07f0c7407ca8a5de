/**
 * SCORM 1.2 prerequisites (CAM 2.3.2.1, adlcp:prerequisites type "aicc_script"): whether a SCO may
 * be launched, from the other items' lesson statuses. Pure; the 1.2 player evaluates it for its
 * contents list and Previous / Next, and the import report uses parse errors.
 *
 *   ITEM-1                      ITEM-1 is passed or completed
 *   ITEM-1 = "failed"           a status test (also <>; values may be unquoted, or P C F I B N)
 *   ~ITEM-1   A & B   A | B     not, and, or (and binds tighter); parentheses group
 *   2*{A, B, C}                 at least 2 of the set are passed or completed; {A, B} means all
 */

/** SCORM 1.2 cmi.core.lesson_status vocabulary (RTE 3.4.2.1.7). */
export const LESSON_STATUSES = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

export function isLessonStatus(value: unknown): value is LessonStatus {
  return (LESSON_STATUSES as readonly unknown[]).includes(value);
}

export type Prerequisite =
  | { kind: "item"; id: string }
  | { kind: "status"; id: string; status: LessonStatus; negated: boolean }
  | { kind: "not"; operand: Prerequisite }
  | { kind: "and" | "or"; operands: Prerequisite[] }
  | { kind: "set"; ids: string[]; atLeast: number | null };

const STATUS_WORDS: Record<string, LessonStatus> = {
  passed: "passed", p: "passed",
  completed: "completed", c: "completed",
  failed: "failed", f: "failed",
  incomplete: "incomplete", i: "incomplete",
  browsed: "browsed", b: "browsed",
  "not attempted": "not attempted", n: "not attempted",
};

export class PrerequisiteSyntaxError extends Error {}

/** Parses a prerequisites script; throws PrerequisiteSyntaxError naming what is wrong. */
export function parsePrerequisites(script: string): Prerequisite {
  const tokens = tokenize(script);
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new PrerequisiteSyntaxError(`expected ${expected ?? "more"} ${token === undefined ? "at the end" : `at "${token}"`} in "${script}"`);
    }
    position += 1;
    return token;
  };

  const or = (): Prerequisite => {
    const operands = [and()];
    while (peek() === "|") {
      take("|");
      operands.push(and());
    }
    return operands.length === 1 ? operands[0]! : { kind: "or", operands };
  };
  const and = (): Prerequisite => {
    const operands = [unary()];
    while (peek() === "&") {
      take("&");
      operands.push(unary());
    }
    return operands.length === 1 ? operands[0]! : { kind: "and", operands };
  };
  const unary = (): Prerequisite => {
    const token = peek();
    if (token === "~") {
      take("~");
      return { kind: "not", operand: unary() };
    }
    if (token === "(") {
      take("(");
      const inner = or();
      take(")");
      return inner;
    }
    if (token !== undefined && /^\d+$/.test(token) && tokens[position + 1] === "*") {
      position += 2;
      return set(Number(token));
    }
    if (token === "{") return set(null);
    return term();
  };
  const set = (atLeast: number | null): Prerequisite => {
    take("{");
    const ids = [identifier()];
    while (peek() === ",") {
      take(",");
      ids.push(identifier());
    }
    take("}");
    return { kind: "set", ids, atLeast };
  };
  const term = (): Prerequisite => {
    const id = identifier();
    const operator = peek();
    if (operator !== "=" && operator !== "<>") return { kind: "item", id };
    take(operator);
    const word = take().replace(/^"(.*)"$/, "$1").toLowerCase();
    const status = STATUS_WORDS[word];
    if (!status) throw new PrerequisiteSyntaxError(`"${word}" is not a lesson status in "${script}"`);
    return { kind: "status", id, status, negated: operator === "<>" };
  };
  const identifier = (): string => {
    const token = take();
    if (!/^[^&|~(){},=<>*"]+$/.test(token)) throw new PrerequisiteSyntaxError(`expected an item identifier at "${token}" in "${script}"`);
    return token;
  };

  const parsed = or();
  if (position < tokens.length) throw new PrerequisiteSyntaxError(`unexpected "${tokens[position]}" in "${script}"`);
  return parsed;
}

function tokenize(script: string): string[] {
  // Quoted status words may hold a space ("not attempted"); so may an unquoted one, after = or <>.
  const pattern = /\s*("[^"]*"|<>|[&|~(){},=*]|not attempted|[^\s&|~(){},=<>*"]+)/giy;
  const tokens: string[] = [];
  let read = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(script)) !== null) {
    tokens.push(match[1]!);
    read = pattern.lastIndex;
  }
  const rest = script.slice(read).trim();
  if (rest !== "") throw new PrerequisiteSyntaxError(`cannot read "${rest}" in "${script}"`);
  return tokens;
}

/** Every item identifier the expression names. */
export function prerequisiteIds(expression: Prerequisite): string[] {
  switch (expression.kind) {
    case "item":
    case "status":
      return [expression.id];
    case "not":
      return prerequisiteIds(expression.operand);
    case "and":
    case "or":
      return expression.operands.flatMap(prerequisiteIds);
    case "set":
      return expression.ids;
  }
}

const done = (status: LessonStatus) => status === "passed" || status === "completed";

export function evaluatePrerequisites(expression: Prerequisite, statusOf: (id: string) => LessonStatus): boolean {
  switch (expression.kind) {
    case "item":
      return done(statusOf(expression.id));
    case "status":
      return (statusOf(expression.id) === expression.status) !== expression.negated;
    case "not":
      return !evaluatePrerequisites(expression.operand, statusOf);
    case "and":
      return expression.operands.every((operand) => evaluatePrerequisites(operand, statusOf));
    case "or":
      return expression.operands.some((operand) => evaluatePrerequisites(operand, statusOf));
    case "set": {
      const met = expression.ids.filter((id) => done(statusOf(id))).length;
      return met >= (expression.atLeast ?? expression.ids.length);
    }
  }
}

/**
 * Whether a SCO with this prerequisites script may be launched now. A script that cannot be read,
 * or names an item the course does not have, is not enforced: a broken manifest must not lock a
 * learner out of their course (the import report names the problem).
 */
export function prerequisitesMet(script: string | null, knownIds: ReadonlySet<string>, statusOf: (id: string) => LessonStatus): boolean {
  if (!script || script.trim() === "") return true;
  let expression: Prerequisite;
  try {
    expression = parsePrerequisites(script);
  } catch {
    return true;
  }
  if (prerequisiteIds(expression).some((id) => !knownIds.has(id))) return true;
  return evaluatePrerequisites(expression, statusOf);
}

/** A 1.2 SCO's lesson status from the columns the server keeps (completion and success). */
export function lessonStatusOf(progress: { completionStatus: string | null; successStatus: string | null } | undefined): LessonStatus {
  if (!progress) return "not attempted";
  if (progress.successStatus === "passed") return "passed";
  if (progress.successStatus === "failed") return "failed";
  if (progress.completionStatus === "completed") return "completed";
  if (progress.completionStatus === "incomplete") return "incomplete";
  return "not attempted";
}
