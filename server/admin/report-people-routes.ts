import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { streamSpreadsheetCsv } from "../web/csv.ts";
import { notFound } from "../errors.ts";
import { COURSE_STATUSES, courseStatusCounts, courseStatuses, courseStatusPages, type CourseStatus } from "../learning/index.ts";
import { competencySummary, complianceTrend, organisationSummary, requirementPeople, requirementPeoplePages, type RequirementFilter, type RequirementPerson, type RequirementStatus } from "../compliance/index.ts";
import { pageOf, PAGE_SIZE, renderPage } from "./pages.ts";
import { reportDate, type ReportDate } from "./report-dates.ts";

export const REQUIREMENT_STATUSES: RequirementStatus[] = ["Green", "Amber", "Red"];
export { COURSE_STATUSES };

/**
 * The people behind a report's figures: a position's or a competency's row (or the whole trust on
 * a date of the trend), all of it or one status, each essential requirement counted with its person,
 * assignment and the assignment's line manager; and the people behind a course's status counts. Each list on a page of its own,
 * and as CSV.
 */
export function reportPeopleRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  router.get("/admin/reports/people", admin, async (req, res) => {
    const date = reportDate(req.query.asOf, clock.today());
    const subject = await requirementSubject(req, date.asOf);
    if (date.problems.length) return showPeople(req, res.status(400), { date, subject, list: undefined });
    const page = pageOf(req);
    const list = await requirementPeople(db, date.asOf, subject.filter, { offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    showPeople(req, res, { date, subject, list: { ...list, page } });
  });

  router.get("/admin/reports/people.csv", admin, async (req, res) => {
    const date = reportDate(req.query.asOf, clock.today());
    const subject = await requirementSubject(req, date.asOf);
    if (date.problems.length) return showPeople(req, res.status(400), { date, subject, list: undefined });
    await sendCsv(res, `people-${subject.filter.status?.toLowerCase() ?? "all"}-${date.asOf}.csv`, ["Employee Number", "Name", "Assignment", "Position", "Line Manager", "Competency Name", "Status", "Expiry Date"], requirementPeoplePages(db, date.asOf, subject.filter), (row) => [row.employeeNumber, row.name, row.assignment, row.position, row.lineManager ?? "", competencyLabel(row.competency), row.status, expiryText(row)]);
  });

  router.get("/admin/reports/course-people", admin, async (req, res) => {
    const date = reportDate(req.query.asOf, clock.today());
    const course = String(req.query.course ?? "");
    const status = courseStatusOf(req.query.status);
    if (date.problems.length) return showCoursePeople(req, res.status(400), { date, course, status, rows: undefined });
    const rows = await courseStatuses(db, date.asOf, course);
    if (!rows.length) throw notFound("That course");
    const shown = rows.filter((row) => !status || row.status === status);
    const page = pageOf(req);
    const counts = Object.fromEntries(COURSE_STATUSES.map((each) => [each, 0]));
    for (const row of rows) counts[row.status]! += 1;
    showCoursePeople(req, res, { date, course, status, rows: shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), total: shown.length, page, counts });
  });

  router.get("/admin/reports/course-people.csv", admin, async (req, res) => {
    const date = reportDate(req.query.asOf, clock.today());
    const course = String(req.query.course ?? "");
    const status = courseStatusOf(req.query.status);
    if (date.problems.length) return showCoursePeople(req, res.status(400), { date, course, status, rows: undefined });
    const pages = (async function* () {
      for await (const page of courseStatusPages(db, date.asOf, course)) yield page.filter((row) => !status || row.status === status);
    })();
    await sendCsv(res, `course-people-${status?.toLowerCase().replace(" ", "-") ?? "all"}-${date.asOf}.csv`, ["Course", "Employee Number", "Name", "Status"], pages, (row) => [row.course, row.employeeNumber, row.name, row.status]);
  });

  /** Which figure is opened: a position's row or a competency's (found in that day's summary, with its counts), or the whole trust; and which status. */
  async function requirementSubject(req: Request, asOf: string): Promise<Subject> {
    const filter: RequirementFilter = {};
    const status = req.query.status;
    if (status !== undefined && status !== "") {
      if (!REQUIREMENT_STATUSES.includes(status as RequirementStatus)) throw notFound("That status");
      filter.status = status as RequirementStatus;
    }
    const counted = (row: { green: number; amber: number; red: number }) => ({ Green: row.green, Amber: row.amber, Red: row.red });
    if (req.query.position !== undefined) {
      const id = Number(req.query.position);
      const row = isRowId(id) ? (await organisationSummary(db, asOf)).find((each) => each.positionId === id) : undefined;
      if (!row) throw notFound("That position");
      filter.positionId = id;
      return { filter, title: row.position, counts: counted(row) };
    }
    if (req.query.competency !== undefined) {
      const id = Number(req.query.competency);
      const row = isRowId(id) ? (await competencySummary(db, asOf)).find((each) => each.competencyId === id) : undefined;
      if (!row) throw notFound("That competency");
      filter.competencyId = id;
      return { filter, title: competencyLabel(row.competency), counts: counted(row) };
    }
    const [trust] = await complianceTrend(db, [asOf]);
    return { filter, title: "The trust", counts: counted(trust!) };
  }

  return router;
}

/** The figure opened, its name, and its Green / Amber / Red counts (the summary's, so the list and the report agree). */
type Subject = { filter: RequirementFilter; title: string; counts: Record<RequirementStatus, number> };

function showPeople(req: Request, res: Response, locals: { date: ReportDate; subject: Subject; list: { rows: RequirementPerson[]; total: number; page: number } | undefined }): void {
  const { date, subject } = locals;
  const query = (changes: Record<string, string | undefined>) => queryString({ asOf: date.asOf, position: subject.filter.positionId?.toString(), competency: subject.filter.competencyId?.toString(), status: subject.filter.status, ...changes });
  renderPage(req, res, "admin/report-people", { ...locals, problems: date.problems, statuses: REQUIREMENT_STATUSES, pageSize: PAGE_SIZE, query, guideDate, competencyLabel, expiryText });
}

function showCoursePeople(req: Request, res: Response, locals: { date: ReportDate; course: string; status: CourseStatus | undefined; rows: Array<{ employeeNumber: string; name: string; status: CourseStatus }> | undefined; total?: number; page?: number; counts?: Record<string, number> }): void {
  const query = (changes: Record<string, string | undefined>) => queryString({ asOf: locals.date.asOf, course: locals.course, status: locals.status, ...changes });
  renderPage(req, res, "admin/report-course-people", { ...locals, problems: locals.date.problems, statuses: COURSE_STATUSES, pageSize: PAGE_SIZE, query, guideDate });
}

function courseStatusOf(value: unknown): CourseStatus | undefined {
  if (value === undefined || value === "") return undefined;
  if (!COURSE_STATUSES.includes(value as CourseStatus)) throw notFound("That status");
  return value as CourseStatus;
}

/** "?asOf=...&status=Red", leaving out what is unset; every value encoded. */
export function queryString(values: Record<string, string | undefined>): string {
  const pairs = Object.entries(values).filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== "");
  return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : "";
}

/** The Expiry Date column: the date, or why there is none. */
export function expiryText(row: { status: RequirementStatus; expiresOn: string | null }): string {
  if (row.expiresOn) return guideDate(row.expiresOn);
  return row.status === "Red" ? "Not held" : "Does not expire";
}

/**
 * A CSV download, streamed (web/csv.ts) and each row made as it is written: a position of
 * thousands is never one string. A long list comes as pages read one after another (an async
 * iterable of pages): only the page being written is held, however many rows the report has.
 */
export function sendCsv<Row>(res: Response, filename: string, header: string[], rows: Row[] | AsyncIterable<Row[]>, cells: (row: Row) => Array<string | number>): Promise<void> {
  res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" });
  const pages: AsyncIterable<Row[]> | Row[][] = Array.isArray(rows) ? [rows] : rows;
  return streamSpreadsheetCsv(res, (async function* () {
    yield header;
    for await (const page of pages) for (const row of page) yield cells(row);
  })());
}
