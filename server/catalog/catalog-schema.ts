import { z } from "zod";
import { ROLES } from "../web/roles.ts";
import { isCalendarDate } from "../clock.ts";
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN, NAME_TOO_LONG, namePartsFit } from "../people/index.ts";

export const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
export const days = z.number({ error: "must be a whole number of days" }).int("must be a whole number of days").min(1, "must be at least 1 day").max(36500, "must be at most 36500 days");

export const componentSchema = z.strictObject({
  course: text(200),
  requires: z.enum(["completion", "pass"]),
  satisfiedBy: text(200).optional(),
});

const certification = z.strictObject({
  name: text(300),
  competency: text(300),
  competenceLevel: text(100),
  validDays: days,
  completeWithinDays: days,
  renewable: z.boolean(),
  description: z.string().max(10000).optional(),
  components: z.array(componentSchema).min(1, "a certification needs at least one component"),
});

const position = z.strictObject({
  name: text(200),
  requirements: z
    .array(
      z.strictObject({
        competency: text(300),
        essential: z.boolean().default(true),
        minLevel: text(100).optional(),
        dueWithinDays: days.optional(),
      }),
    )
    .default([]),
});

export const personSchema = z.strictObject({
  name: z.string().regex(/^[^,]+,\s*\S.*$/, 'must be written "Last, First"').refine(namePartsFit, NAME_TOO_LONG),
  email: z.string().regex(EMAIL_PATTERN, "must be an email address").max(EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`),
  dob: z.string().refine(isCalendarDate, "must be a date written YYYY-MM-DD"),
  employeeNumber: z.string().regex(/^\d{1,20}$/, "must be digits").optional(),
  username: z.string().regex(/^[A-Za-z0-9._-]{3,50}$/, "must be 3 to 50 letters, digits, dots, dashes or underscores").optional(),
  password: z.string().min(12, "must be at least 12 characters").max(128, "must be at most 128 characters").optional(),
  role: z.enum(ROLES).optional(),
  assignments: z
    .array(
      z.strictObject({
        number: z.string().regex(/^\d{1,20}$/, "must be digits"),
        position: text(200),
        // When the person started in the assignment: new starters' essential requirements fall due from it.
        startDate: z.string().refine(isCalendarDate, "must be a date written YYYY-MM-DD").optional(),
        // Who the holder reports to in it, by employee number (ESR's supervisor): null is no one, left out keeps the one it has.
        lineManager: z.string().regex(/^\d{1,20}$/, "must be an employee number (digits)").nullable().optional(),
      }),
    )
    .default([]),
});

export const catalogSchema = z.strictObject({
  organisation: z
    .strictObject({ vpd: z.string().regex(/^\d{3}$/, "must be three digits, e.g. 297"), name: text(200) })
    .optional(),
  competencies: z.array(z.strictObject({ name: text(300), description: z.string().max(10000).optional() })).default([]),
  certifications: z.array(certification).default([]),
  positions: z.array(position).default([]),
  people: z.array(personSchema).default([]),
});

export type Catalog = z.infer<typeof catalogSchema>;

/** Turns a JSON path like ["certifications", 0, "components", 1, "requires"] into the
 *  `certifications[0].components[1].requires` form people read in error lists. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}
