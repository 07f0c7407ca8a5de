import { isRowId } from "../db/connect.ts";
import { Router, type Request, type Response } from "express";
import { spreadsheetCsv } from "../web/csv.ts";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { competencyLabel, sourceLabel, guideDate, percentage } from "../format.ts";
import { notFound } from "../errors.ts";
import { peopleDirectory, displayName } from "../people/index.ts";
import { learningTowards } from "../learning/index.ts";
import { personCompliance } from "./service.ts";
import { createComplianceStore } from "./store.ts";
import { complianceReason } from "./reasons.ts";
import { evidenceFilesOf } from "./evidence-store.ts";
import type { Problem } from "../problems.ts";

const personOf = (res: Response) => (res.locals.user as { personId: number }).personId;

const TABS = { compliance: "Compliance", all: "All Competencies", awaiting: "Awaiting Approval" } as const;
type Tab = keyof typeof TABS;

/**
 * The Compliance and Competency page's data and page, shared with record-routes.ts, which shows
 * the page again with the problems of a competence recorded from elsewhere.
 */
export function compliancePage({ db, clock }: Pick<AppDeps, "db" | "clock">) {

  async function pageData(req: Request, res: Response, shownTab?: Tab) {
    const personId = personOf(res);
    const person = await peopleDirectory(db).personById(personId);
    if (!person) throw notFound("Your person record");
    const today = clock.today();
    const tab: Tab = shownTab ?? (req.query.tab === "all" || req.query.tab === "awaiting" ? req.query.tab : "compliance");
    const store = createComplianceStore(db);
    const [assignments, records, progress] = await Promise.all([personCompliance(db, personId, today), store.recordsOf(personId), store.openProgress(personId)]);
    const chosen = assignments.find((view) => String(view.assignment.id) === req.query.assignment) ?? assignments[0];
    const requiredOnly = req.query.required === "1";
    const shown = (chosen?.rows ?? []).filter((row) => !requiredOnly || (row.required && row.essential));
    // The Details column: each competency's record history (what gave each record) and the certifications that give it.
    const giving = await store.certificationsGiving(shown.map((row) => row.competencyId));
    const rows = shown.map((row) => ({
      ...row,
      // Min Req: the position's requirement; one naming no level is met at any level (the guide's "Level Any").
      minReq: row.required ? (row.minLevel ?? "Any") : "",
      reason: complianceReason(row, progress.get(row.competencyId), today),
      history: records.filter((record) => record.competencyId === row.competencyId),
      certifications: giving.get(row.competencyId) ?? [],
    }));
    const held = tab === "awaiting" ? records.filter((record) => record.status === "awaiting_approval" || record.status === "rejected") : records.filter((record) => record.status === "approved");
    const competencies = tab === "awaiting" ? await store.competencies() : [];
    const evidenceFiles = tab === "awaiting" ? await evidenceFilesOf(db, personId) : new Map();
    return { person, today, tab, assignments, chosen, requiredOnly, rows, held, competencies, evidenceFiles };
  }


  async function show(req: Request, res: Response, extra: { tab?: Tab; problems?: Problem[]; values?: Record<string, string> } = {}) {
    const data = await pageData(req, res, extra.tab);
    const query = (changes: Record<string, string | undefined>) => {
      const params = new URLSearchParams();
      const merged = { tab: data.tab === "compliance" ? undefined : data.tab, assignment: data.chosen ? String(data.chosen.assignment.id) : undefined, required: data.requiredOnly ? "1" : undefined, ...changes };
      for (const [key, value] of Object.entries(merged)) if (value !== undefined) params.set(key, value);
      const text = params.toString();
      return text ? `?${text}` : "";
    };
    const print = req.query.print === "1";
    // The Printable Page is the table alone: no header, search bar or footer, on screen or paper.
    res.render(print ? "compliance/printable" : "compliance/compliance", {
      problems: [],
      values: {},
      user: res.locals.user,
      csrfToken: generateCsrfToken(req),
      employeeName: displayName(data.person),
      employeeNumber: data.person.employeeNumber,
      tabs: TABS,
      print,
      query,
      ...data,
      format: { competencyLabel, guideDate, percentage, sourceLabel },
      ...extra,
    });
    }

  return { pageData, show };
}

/**
 * The guide's Compliance and Competency page (tabs Compliance | All Competencies | Awaiting
 * Approval), its Export (a CSV of what is shown) and Printable Page, and Find Learning for one
 * competency (the certifications that give it). Recording a competence from elsewhere, with its
 * evidence file, is in record-routes.ts.
 */
export function complianceRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const { pageData, show } = compliancePage({ db, clock });

  router.get("/compliance", requireLogin, (req, res) => show(req, res));

  router.get("/compliance/export.csv", requireLogin, async (req, res) => {
    const data = await pageData(req, res);
    const table =
      data.tab === "compliance"
        ? [
            ["Competency Name", "Competence Level", "Min Req", "Essential", "Expiry Date", "Compliance Status", "Reason"],
            ...data.rows.map((row) => [competencyLabel(row.competency), row.competenceLevel ?? "", row.minReq, row.essential ? "Y" : "", guideDate(row.expiryDate), row.status, row.reason ?? ""]),
          ]
        : [
            ["Competency Name", "Competence Level", "Achieved", "Expiry Date", "Source", "Status"],
            ...data.held.map((record) => [competencyLabel(record.competency), record.level, guideDate(record.achievedOn), guideDate(record.expiresOn), sourceLabel(record.source), record.status === "rejected" ? `Not approved: ${record.decisionReason ?? ""}` : record.status === "awaiting_approval" ? "Awaiting Approval" : "Approved"]),
          ];
    // Whose, which assignment and as of when, so that files saved side by side are told apart.
    const parts = [{ compliance: "compliance", all: "all-competencies", awaiting: "awaiting-approval" }[data.tab], data.person.employeeNumber, data.tab === "compliance" ? data.chosen?.assignment.number : undefined, data.today];
    const name = `${parts.filter(Boolean).join("-").replace(/[^\w.-]+/g, "_")}.csv`;
    res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" });
    res.send(spreadsheetCsv(table));
  });

  router.get("/compliance/competencies/:competencyId/learning", requireLogin, async (req, res) => {
    const competencyId = Number(req.params.competencyId);
    const competency = isRowId(competencyId) ? await createComplianceStore(db).competency(competencyId) : undefined;
    if (!competency) throw notFound("That competency");
    const certifications = await learningTowards(db, personOf(res), competencyId, clock.today());
    res.render("compliance/find-learning", { user: res.locals.user, csrfToken: generateCsrfToken(req), competency, certifications, format: { competencyLabel } });
  });

  return router;
}
