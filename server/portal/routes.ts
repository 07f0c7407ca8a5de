import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { peopleDirectory, displayName } from "../people/index.ts";
import { MY_ELEARNING_LIMIT, myELearning } from "../learning/index.ts";
import { notFound } from "../errors.ts";
import { readsOf } from "../db/connect.ts";
import { competencyLabel, guideDate, percentage } from "../format.ts";
import { compliancePercentage, personCompliance } from "../compliance/index.ts";

/** Courses the My e-Learning portlet shows at once; its arrows move through the rest (at most 20). */
const COURSES_PER_PAGE = 5;

/** The portlet's "Percentage Compliance: 90%": whole numbers without a decimal. */
const portletPercentage = (value: number) => `${Number.isInteger(value) ? value : value.toFixed(1)}%`;

/** The portal home a learner lands on after logging in: who they are and their compliance. */
export function portalRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  // Read beside the commits, not behind them (db/connect.ts's readsOf).
  const reads = readsOf(db);
  router.get("/", requireLogin, async (req, res) => {
    const person = await peopleDirectory(reads).personById(req.session.personId!);
    if (!person) throw notFound("Your person record");
    // The guide's portlet: "Show mandatory learning only YES" until the learner chooses NO.
    const mandatoryOnly = req.query.mandatory !== "no";
    const today = clock.today();
    const [assignments, shown] = await Promise.all([personCompliance(reads, person.id, today), myELearning(reads, person.id, today, { mandatoryOnly })]);
    const chosen = assignments.find((view) => String(view.assignment.id) === req.query.assignment) ?? assignments[0];
    const pages = Math.max(1, Math.ceil(shown.length / COURSES_PER_PAGE));
    const pageIndex = Math.min(pages - 1, Math.max(0, Number.parseInt(String(req.query.courses ?? "0"), 10) || 0));
    // Across assignments: every essential requirement of every assignment, counted once each.
    const overall = compliancePercentage(assignments.flatMap((view) => view.rows));
    // What the chosen assignment still wants of a new starter, soonest first.
    const due = (chosen?.rows ?? []).filter((row) => row.dueBy !== null).sort((a, b) => a.dueBy!.localeCompare(b.dueBy!));
    res.render("portal", {
      overall,
      due,
      today,
      mandatoryOnly,
      courses: shown.slice(pageIndex * COURSES_PER_PAGE, (pageIndex + 1) * COURSES_PER_PAGE),
      // At the guide's twenty, older enrolments may be left out: say so, as Current Learning lists them all.
      coursePage: { index: pageIndex, count: pages, total: shown.length, capped: shown.length >= MY_ELEARNING_LIMIT },
      user: res.locals.user,
      csrfToken: generateCsrfToken(req),
      employeeName: displayName(person),
      employeeNumber: person.employeeNumber,
      assignments,
      chosen,
      format: { competencyLabel, guideDate, percentage, portletPercentage },
    });
  });
  return router;
}
