import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { isRowId } from "../db/connect.ts";
import { AppError } from "../errors.ts";
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
  const parse = (req: Request) => {
    const parsed = searchSchema.safeParse(req.query);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => issue.message);
      throw new AppError("search.invalid", problems[0]!, 400, problems);
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
    return { filters, page: pageOf(value.page) };
  };
  const render = (req: Request, res: Response, template: string, filters: CourseSearchFilters, locals: Record<string, unknown>) => {
    // The box above the page keeps what was searched for.
    res.locals.learningBar = { ...(res.locals.learningBar as object), q: filters.words, exact: filters.exact };
    res.render(template, { user: res.locals.user, csrfToken: generateCsrfToken(req), filters, courseTypes: COURSE_TYPES, courseKinds: COURSE_KINDS, competencyLabel, ...locals });
  };

  router.get("/learning/search", requireLogin, async (req, res) => {
    const { filters, page } = parse(req);
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
    const { filters } = parse(req);
    render(req, res, "learning/advanced-search", filters, { choices: await advancedSearchChoices(db) });
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
