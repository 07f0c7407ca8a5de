import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { requireRole } from "../web/auth.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { notFound } from "../errors.ts";
import { courseStatusCounts, courseStatusPages } from "../learning/index.ts";
import { renderPage } from "./pages.ts";
import { complianceTrend, competencySummary, expiringCompetencyPages, organisationSummary, soonestExpiring, trendDates } from "../compliance/index.ts";
import { reportDate, type ReportDate } from "./report-dates.ts";
import { COURSE_STATUSES, queryString, reportPeopleRoutes, sendCsv } from "./report-people-routes.ts";

/** Expiring rows listed on the Reports page, soonest first; the CSV has every one. */
export const EXPIRING_ON_PAGE = 100;

/**
 * Reports: the trust's compliance by position and by competency (each a chart with its figures),
 * its trend month by month, what is expiring, and course status, as of any date; each figure opens
 * the people behind it (report-people-routes.ts) and each table exports as CSV.
 */
export function reportRoutes(deps: AppDeps): Router {
  const { db, clock } = deps;
  const router = Router();
  const admin = requireRole("admin");
  // Before /admin/reports/:report.csv, which would take people.csv for a report's name.
  router.use(reportPeopleRoutes(deps));

  router.get("/admin/reports", admin, async (req, res) => {
    const date = reportDate(req.query.asOf, clock.today());
    if (date.problems.length) return showForm(req, res, date);
    const { asOf } = date;
    const [positions, competencies, trend, expiring, courseCounts] = await Promise.all([organisationSummary(db, asOf), competencySummary(db, asOf), complianceTrend(db, trendDates(asOf)), soonestExpiring(db, asOf, EXPIRING_ON_PAGE), courseStatusCounts(db, asOf)]);
    renderPage(req, res, "admin/reports", { date, asOf, problems: [], positions, competencies, trend, expiring: expiring.rows, expiringTotal: expiring.total, courseCounts, statuses: COURSE_STATUSES, guideDate, competencyLabel, queryString });
  });

  router.get("/admin/reports/:report.csv", admin, async (req, res) => {
    const date = reportDate(req.query.asOf, clock.today());
    if (date.problems.length) return showForm(req, res, date);
    const { asOf } = date;
    const header = ["Required", "Green", "Amber", "Red", "Compliance Percentage"];
    const name = String(req.params.report);
    const filename = `${name}-${asOf}.csv`;
    if (name === "compliance-by-position") return sendCsv(res, filename, ["Position", "Assignments", ...header], await organisationSummary(db, asOf), (row) => [row.position, row.assignments, row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)]);
    if (name === "compliance-by-competency") return sendCsv(res, filename, ["Competency Name", ...header], await competencySummary(db, asOf), (row) => [competencyLabel(row.competency), row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)]);
    if (name === "compliance-trend") return sendCsv(res, filename, ["Date", ...header], await complianceTrend(db, trendDates(asOf)), (row) => [guideDate(row.asOf), row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)]);
    if (name === "expiring") return sendCsv(res, filename, ["Employee Number", "Name", "Assignment", "Position", "Competency Name", "Expiry Date"], expiringCompetencyPages(db, asOf), (row) => [row.employeeNumber, row.name, row.assignment, row.position, competencyLabel(row.competency), guideDate(row.expiresOn)]);
    if (name === "courses") return sendCsv(res, filename, ["Course", "Employee Number", "Name", "Status"], courseStatusPages(db, asOf), (row) => [row.course, row.employeeNumber, row.name, row.status]);
    throw notFound("That report");
  });

  return router;
}

/** The report's form again, with the date's problem beside the field and in the summary. */
function showForm(req: Request, res: Response, date: ReportDate): void {
  renderPage(req, res.status(400), "admin/reports", { date, asOf: undefined, problems: date.problems, guideDate });
}
