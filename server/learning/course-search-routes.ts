import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { isRowId } from "../db/connect.ts";
import { ProblemList, type Problem } from "../problems.ts";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { competencyLabel } from "../format.ts";
import { searchWords } from "./course-search-index.ts";
import { courseSearch } from "./course-search.ts";
import { advancedSearchChoices, COURSE_KINDS, COURSE_TYPES, type CourseSearchFilters, type CourseType } from "./course-search-store.ts";

const optionalId = (label: string) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (!value) return undefined;
      const id = Number(value);
      if (/^\d+$/.test(value) && isRowId(id)) return id;
      context.addIssue({ code: "custom", message: `${label}: choose one from the list` });
      return z.NEVER;
    });

/** Each query parameter's field on the Advanced Search form, which a problem with it links to. */
const FIELDS: Record<string, string> = {
  q: "advanced-words",
  exact: "advanced-exact",
  competency: "advanced-competency",
  certification: "advanced-certification",
  type: "advanced-type",
  organisation: "advanced-organisation",
  page: "advanced-words",
};

// Each field names its problem in the page's own words; a repeated parameter (?q=a&q=b) is refused too.
const searchSchema = z.object({
  q: z.string({ message: "Search Course: type the words to search for" }).max(200, "Search Course: at most 200 characters").optional().default(""),
  exact: z.enum(["", "0", "1", "on", "yes"], { message: "Exact Phrase: tick it or leave it" }).optional(),
  competency: optionalId("Competency"),
  certification: optionalId("Certification"),
  type: z.enum(["", ...Object.keys(COURSE_TYPES)] as ["", ...CourseType[]], { message: "Course Type: choose one from the list" }).optional(),
  organisation: z.string({ message: "Organisation: choose one from the list" }).regex(/^(\d{3})?$/, "Organisation: choose one from the list").optional(),
  page: z.string().optional(),
});

/** A page number from the query: anything odd is the first page, anything past the end the last. */
const pageOf = (value: string | undefined) => Math.min(10_000, Math.max(1, Number.parseInt(value ?? "1", 10) || 1));

/**
 * Search Course (the box above every learner page) and Advanced Search. Plain GET forms, so they
 * work without JavaScript and a result page can be bookmarked or shared.
 */
export function courseSearchRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  /**
   * The search from the query, or its problems: each names the Advanced Search field it belongs to,
   * so that a bad search comes back on that form with every problem at once (the error pattern).
   */
  const parse = (req: Request): { filters: CourseSearchFilters; page: number; problems: Problem[] } => {
    const parsed = searchSchema.safeParse(req.query);
    if (!parsed.success) {
      const problems = new ProblemList();
      for (const issue of parsed.error.issues) {
        const field = FIELDS[String(issue.path[0])] ?? FIELDS.q!;
        if (!problems.has(field)) problems.add(field, issue.message);
      }
      const text = (value: unknown) => (typeof value === "string" ? value : "");
      // What was typed comes back in its box; a choice that cannot be one comes back as Any.
      return { filters: { words: text(req.query.q).slice(0, 200), exact: false }, page: 1, problems: problems.problems };
    }
    const value = parsed.data;
    const filters: CourseSearchFilters = {
      words: value.q.trim(),
      exact: value.exact === "1" || value.exact === "on" || value.exact === "yes",
      competencyId: value.competency,
      certificationId: value.certification,
      type: value.type || undefined,
      organisation: value.organisation || undefined,
    };
    return { filters, page: pageOf(value.page), problems: [] };
  };
  const render = (req: Request, res: Response, template: string, filters: CourseSearchFilters, locals: Record<string, unknown>) => {
    // The box above the page keeps what was searched for.
    res.locals.learningBar = { ...(res.locals.learningBar as object), q: filters.words, exact: filters.exact };
    res.render(template, { user: res.locals.user, csrfToken: generateCsrfToken(req), filters, courseTypes: COURSE_TYPES, courseKinds: COURSE_KINDS, competencyLabel, ...locals });
  };

  const refuse = async (req: Request, res: Response, filters: CourseSearchFilters, problems: Problem[]) => {
    res.status(400);
    render(req, res, "learning/advanced-search", filters, { choices: await advancedSearchChoices(db), problems });
  };

  router.get("/learning/search", requireLogin, async (req, res) => {
    const { filters, page, problems } = parse(req);
    if (problems.length) return refuse(req, res, filters, problems);
    const user = res.locals.user as { personId: number };
    const filtered = Boolean(filters.competencyId || filters.certificationId || filters.type || filters.organisation);
    // An empty box asks nothing; one of only punctuation and symbols has no words to match.
    const results =
      searchWords(filters.words).length > 0 || filtered
        ? await courseSearch(db, user.personId, filters, page, clock.today())
        : filters.words
          ? { total: 0, page: 1, pages: 1, courses: [] }
          : null;
    const choices = filtered ? await advancedSearchChoices(db) : null;
    render(req, res, "learning/search", filters, { results, choices, filtered, query: new URLSearchParams(searchParams(filters)) });
  });

  router.get("/learning/search/advanced", requireLogin, async (req, res) => {
    const { filters, problems } = parse(req);
    if (problems.length) return refuse(req, res, filters, problems);
    render(req, res, "learning/advanced-search", filters, { choices: await advancedSearchChoices(db), problems: [] });
  });

  return router;
}

/** The search as query parameters, for the paging links and Change search. */
function searchParams(filters: CourseSearchFilters): Record<string, string> {
  const params: Record<string, string> = { q: filters.words };
  if (filters.exact) params.exact = "1";
  if (filters.competencyId) params.competency = String(filters.competencyId);
  if (filters.certificationId) params.certification = String(filters.certificationId);
  if (filters.type) params.type = filters.type;
  if (filters.organisation) params.organisation = filters.organisation;
  return params;
}
