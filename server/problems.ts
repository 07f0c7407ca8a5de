import { AppError } from "./errors.ts";
import { isCalendarDate } from "./clock.ts";

/**
 * The NHS design system's error pattern, server-side: a form that comes back shows every problem
 * at once, each in a summary at the top that links to its field and again beside the field itself
 * (https://service-manual.nhs.uk/design-system/components/error-summary). So a problem names its
 * field by the id of the input it belongs to; views render it with `partials/error-summary` and
 * `partials/field-error`, and `problemFor` answers "does this field have one?".
 */
export interface Problem {
  /** The id of the input (or the first input of a group) that the summary links to. */
  field: string;
  /** The message, in the design system's words: what is wrong and how to put it right. */
  message: string;
}

/** A form refused for the problems it lists: the summary and the fields show all of them. */
export class FormRefusal extends AppError {
  constructor(
    code: string,
    readonly problems: Problem[],
    status = 400,
  ) {
    super(code, problems.length === 1 ? problems[0]!.message : `There are ${problems.length} problems with what was entered`, status, problems.map((problem) => problem.message));
    this.name = "FormRefusal";
  }
}

/** Collects a form's problems, so that every check runs and every problem is told at once. */
export class ProblemList {
  readonly problems: Problem[] = [];

  add(field: string, message: string): this {
    this.problems.push({ field, message });
    return this;
  }

  /** Whether a field already has a problem: a later check of the same field need not add another. */
  has(field: string): boolean {
    return this.problems.some((problem) => problem.field === field);
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }

  /** Throws a FormRefusal with every problem found, when there is any. */
  refuseIfAny(code: string, status = 400): void {
    if (this.problems.length) throw new FormRefusal(code, this.problems, status);
  }
}

/** The message beside a field: its first problem's, or undefined. Views reach it as `problemFor`. */
export function problemFor(problems: ReadonlyArray<Problem | string> | undefined, field: string): string | undefined {
  for (const problem of problems ?? []) if (typeof problem !== "string" && problem.field === field) return problem.message;
  return undefined;
}

/**
 * The design system's message for a date field, or undefined when the date is real. `label` is the
 * field's name in the sentence ("The start date"). An empty field is the caller's to allow or not.
 */
export function dateProblem(text: string, label: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${label} must be a date written like 2027-03-31`;
  if (!isCalendarDate(text)) return `${label} must be a real date (${text} does not exist)`;
  return undefined;
}
