import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { isAsOfDate } from "../clock.ts";
import { requireRole } from "../web/auth.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { spreadsheetCsv } from "../web/csv.ts";
import { AppError, notFound } from "../errors.ts";
import { courseStatuses, type CourseStatus } from "../learning/index.ts";
import { renderPage } from "./pages.ts";
import { competencySummary, expiringCompetencies, organisationSummary } from "../compliance/index.ts";

const COURSE_STATUSES: CourseStatus[] = ["Planned", "Enrolled", "In Progress", "Completed", "Passed", "Failed"];

/**
 * Reports: the trust's compliance by position and by competency (with a bar each), what is
 * expiring, and course status, as of any date; each table exports as CSV.
 */
export function reportRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  router.get("/admin/reports", admin, async (req, res) => {
    const asOf = reportDate(req.query.asOf, clock.today());
    const [positions, competencies, expiring, courses] = await Promise.all([organisationSummary(db, asOf), competencySummary(db, asOf), expiringCompetencies(db, asOf), courseStatuses(db, asOf)]);
    const courseCounts = [...new Set(courses.map((row) => row.course))].map((course) => ({
      course,
      counts: Object.fromEntries(COURSE_STATUSES.map((status) => [status, courses.filter((row) => row.course === course && row.status === status).length])),
    }));
    renderPage(req, res, "admin/reports", { asOf, positions, competencies, expiring, courseCounts, statuses: COURSE_STATUSES, guideDate, competencyLabel });
  });

  router.get("/admin/reports/:report.csv", admin, async (req, res) => {
    const asOf = reportDate(req.query.asOf, clock.today());
    const header = ["Required", "Green", "Amber", "Red", "Compliance Percentage"];
    const tables: Record<string, () => Promise<Array<Array<string | number>>>> = {
      "compliance-by-position": async () => [["Position", "Assignments", ...header], ...(await organisationSummary(db, asOf)).map((row) => [row.position, row.assignments, row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)])],
      "compliance-by-competency": async () => [["Competency Name", ...header], ...(await competencySummary(db, asOf)).map((row) => [competencyLabel(row.competency), row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)])],
      expiring: async () => [["Employee Number", "Name", "Assignment", "Position", "Competency Name", "Expiry Date"], ...(await expiringCompetencies(db, asOf)).map((row) => [row.employeeNumber, row.name, row.assignment, row.position, competencyLabel(row.competency), guideDate(row.expiresOn)])],
      courses: async () => [["Course", "Employee Number", "Name", "Status"], ...(await courseStatuses(db, asOf)).map((row) => [row.course, row.employeeNumber, row.name, row.status])],
    };
    const table = tables[String(req.params.report)];
    if (!table) throw notFound("That report");
    res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${req.params.report}-${asOf}.csv"`, "Cache-Control": "no-store" });
    res.send(spreadsheetCsv(await table()));
  });

  return router;
}

/** The date a report is as of: a real YYYY-MM-DD from the form, or today. */
function reportDate(value: unknown, today: string): string {
  const text = typeof value === "string" ? value : "";
  if (!text) return today;
  if (!isAsOfDate(text)) throw new AppError("reports.bad_date", `As of "${text.slice(0, 20)}" must be a date from 1900-01-01 to 2999-12-31, YYYY-MM-DD`, 400);
  return text;
}
