import { isAsOfDate } from "../clock.ts";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { endSessionsOf, generateCsrfToken } from "../web/session.ts";
import { competencyLabel, guideDate, guideDateTime, sourceLabel } from "../format.ts";
import { spreadsheetCsv } from "../web/csv.ts";
import { competencySummary, organisationSummary } from "../compliance/organisation-summary.ts";
import { expiringCompetencies } from "../compliance/expiring.ts";
import { courseStatuses, type CourseStatus } from "../learning/course-status.ts";
import { attemptDetail, findPeople, learnerOverview, matchingPeople } from "./verify.ts";
import { awaitingApproval, decideRecord } from "../compliance/approvals.ts";
import { createComplianceStore } from "../compliance/store.ts";
import { evidenceFilesOf } from "../compliance/evidence-files.ts";
import { createCertificateStore } from "../certificates/store.ts";
import { groupedCode } from "../certificates/codes.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { ROLE_LABELS, ROLES, type Role } from "../web/roles.ts";
import { requestReset, requestUnlock } from "../accounts/recovery.ts";
import { listOutbox, outboxMessage, withoutLinkSecrets } from "../mail/outbox.ts";
import type { MailDelivery } from "../mail/delivery.ts";

const PAGE_SIZE = 50;

/**
 * Administration for L&D administrators: accounts (role, and starting a reset or an unlock: the
 * person chooses their own password, never the administrator), the outbox (so the LMS works
 * without a mail server), and the audit trail.
 */
export function adminRoutes(deps: AppDeps & { mail: MailDelivery }): Router {
  const { db, clock, config, mail } = deps;
  const router = Router();
  const admin = requireRole("admin");
  const render = (req: Request, res: Response, view: string, locals: Record<string, unknown>) =>
    res.render(view, { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDateTime, ...locals });
  const pageOf = (req: Request) => Math.max(0, Number.parseInt(String(req.query.page ?? "0"), 10) || 0);

  router.get("/admin/accounts", admin, async (req, res) => {
    const search = String(req.query.q ?? "").trim().slice(0, 100);
    const query = db("accounts").join("people", "people.id", "accounts.person_id").orderBy("accounts.username_key").limit(PAGE_SIZE);
    if (search) matchingPeople(query, search);
    const accounts = await query.select("accounts.id", "accounts.username", "accounts.role", "accounts.locked_until", "people.first_name", "people.last_name", "people.employee_number");
    render(req, res, "admin/accounts", { accounts, search, roleLabels: ROLE_LABELS, now: clock.now().toISOString() });
  });

  router.get("/admin/accounts/:accountId", admin, async (req, res) => {
    render(req, res, "admin/account", { account: await accountOf(req), roles: ROLES, roleLabels: ROLE_LABELS, notice: noticeFor(req.query.done), now: clock.now().toISOString() });
  });

  router.post("/admin/accounts/:accountId/role", admin, async (req, res) => {
    const account = await accountOf(req);
    const role = String(req.body.role ?? "") as Role;
    if (!ROLES.includes(role)) throw new AppError("admin.role", `Choose one of the roles: ${ROLES.join(", ")}`, 400);
    const actor = res.locals.user as { accountId: number };
    if (account.id === actor.accountId && role !== "admin") throw new AppError("admin.own_role", "You cannot take away your own administrator role: ask another administrator", 400);
    if (role !== account.role) {
      const at = clock.now().toISOString();
      await db.transaction(async (trx) => {
        await trx("accounts").where({ id: account.id }).update({ role, updated_at: at });
        // A session carries the role it logged in with: the person's sessions end, and the next log-in carries the new one.
        const ended = await endSessionsOf(trx, account.id);
        await recordAudit(trx, { kind: "account.role_changed", at, actorAccountId: actor.accountId, personId: account.person_id, ip: req.ip ?? null, detail: { accountId: account.id, from: account.role, to: role, sessionsEnded: ended } });
      });
    }
    res.redirect(303, `/admin/accounts/${account.id}?done=role`);
  });

  for (const [action, start] of [["reset", requestReset], ["unlock", requestUnlock]] as const) {
    router.post(`/admin/accounts/:accountId/${action}`, admin, async (req, res) => {
      const account = await accountOf(req);
      await start({ db, clock, publicUrl: config.publicUrl }, { username: account.username, ip: req.ip ?? null, byAccountId: (res.locals.user as { accountId: number }).accountId });
      mail.kick();
      res.redirect(303, `/admin/accounts/${account.id}?done=${action}`);
    });
  }

  router.get("/admin/outbox", admin, async (req, res) => {
    const page = pageOf(req);
    render(req, res, "admin/outbox", { messages: await listOutbox(db, { limit: PAGE_SIZE, offset: page * PAGE_SIZE }), page, pageSize: PAGE_SIZE, smtp: Boolean(config.smtpUrl) });
  });

  router.get("/admin/outbox/:messageId", admin, async (req, res) => {
    const id = Number(req.params.messageId);
    const message = isRowId(id) ? await outboxMessage(db, id) : undefined;
    if (!message) throw notFound("That message");
    // With SMTP the person's mailbox has the link; the outbox shows the message without it.
    render(req, res, "admin/outbox-message", { message: config.smtpUrl ? { ...message, text: withoutLinkSecrets(message.text) } : message });
  });

  router.get("/admin/audit", admin, async (req, res) => {
    const page = pageOf(req);
    const kind = String(req.query.kind ?? "").trim().slice(0, 60);
    const query = db("audit_events").leftJoin("accounts", "accounts.id", "audit_events.actor_account_id").leftJoin("people", "people.id", "audit_events.person_id").orderBy("audit_events.id", "desc").limit(PAGE_SIZE).offset(page * PAGE_SIZE);
    if (kind) query.where("audit_events.kind", kind);
    const events = await query.select("audit_events.id", "audit_events.kind", "audit_events.at", "audit_events.ip", "audit_events.detail", "accounts.username as actor", "people.employee_number", "people.first_name", "people.last_name");
    const kinds = (await db("audit_events").distinct("kind").orderBy("kind")).map((row) => String(row.kind));
    render(req, res, "admin/audit", { events, kinds, kind, page, pageSize: PAGE_SIZE });
  });

  // Reports: the trust's compliance by position and by competency (with a bar each), what is
  // expiring, and course status, as of any date; each table exports as CSV.
  router.get("/admin/reports", admin, async (req, res) => {
    const asOf = reportDate(req.query.asOf, clock.today());
    const [positions, competencies, expiring, courses] = await Promise.all([organisationSummary(db, asOf), competencySummary(db, asOf), expiringCompetencies(db, asOf), courseStatuses(db, asOf)]);
    const courseCounts = [...new Set(courses.map((row) => row.course))].map((course) => ({
      course,
      counts: Object.fromEntries(COURSE_STATUSES.map((status) => [status, courses.filter((row) => row.course === course && row.status === status).length])),
    }));
    render(req, res, "admin/reports", { asOf, positions, competencies, expiring, courseCounts, statuses: COURSE_STATUSES, guideDate, competencyLabel });
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

  // Verify a learner: find them, see everything about their learning and why anything is not credited.
  router.get("/admin/people", admin, async (req, res) => {
    const search = String(req.query.q ?? "");
    render(req, res, "admin/people", { search, people: await findPeople(db, search) });
  });

  router.get("/admin/people/:personId", admin, async (req, res) => {
    const id = Number(req.params.personId);
    const overview = isRowId(id) ? await learnerOverview(db, id, clock.today()) : undefined;
    if (!overview) throw notFound("That person");
    // Their competence records (with evidence files), and the forms to record one and to move records between organisations (compliance/record-routes.ts).
    const [records, evidenceFiles, competencies, certificates] = await Promise.all([createComplianceStore(db).recordsOf(id), evidenceFilesOf(db, id), db("competencies").orderBy("name").select("id", "name"), createCertificateStore(db).completedLearningOf(id)]);
    const notice = req.query.done === "recorded" ? "The competence has been recorded. It is awaiting approval." : undefined;
    render(req, res, "admin/person", { ...overview, records, evidenceFiles, competencies, certificates, notice, guideDate, competencyLabel, sourceLabel, formatDuration, groupedCode });
  });

  router.get("/admin/attempts/:attemptId", admin, async (req, res) => {
    const id = Number(req.params.attemptId);
    const detail = isRowId(id) ? await attemptDetail(db, id) : undefined;
    if (!detail) throw notFound("That attempt");
    render(req, res, "admin/attempt", { ...detail, formatDuration });
  });

  // Awaiting Approval: competences recorded from elsewhere, approved or rejected with a reason.
  router.get("/admin/approvals", admin, async (req, res) => {
    render(req, res, "admin/approvals", { records: await awaitingApproval(db), guideDate, competencyLabel, notice: req.query.done ? "Decision saved." : undefined });
  });

  for (const [action, approve] of [["approve", true], ["reject", false]] as const) {
    router.post(`/admin/approvals/:recordId/${action}`, admin, async (req, res) => {
      await decideRecord(db, clock, { recordId: Number(req.params.recordId), approve, reason: String(req.body.reason ?? ""), actorAccountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null });
      res.redirect(303, "/admin/approvals?done=1");
    });
  }

  async function accountOf(req: Request) {
    const id = Number(req.params.accountId);
    const account = isRowId(id)
      ? await db("accounts").join("people", "people.id", "accounts.person_id").where("accounts.id", id).first("accounts.id", "accounts.person_id", "accounts.username", "accounts.role", "accounts.locked_until", "accounts.failed_logins", "accounts.last_login_at", "people.first_name", "people.last_name", "people.employee_number", "people.email")
      : undefined;
    if (!account) throw notFound("That account");
    return { ...account, id: Number(account.id), person_id: Number(account.person_id) };
  }

  return router;
}

/** 3725000 ms -> "1 h 2 min 5 s". */
function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const parts = [[Math.floor(seconds / 3600), "h"], [Math.floor((seconds % 3600) / 60), "min"], [seconds % 60, "s"]] as const;
  return parts.filter(([n], index) => n > 0 || index === 2).map(([n, unit]) => `${n} ${unit}`).join(" ");
}

const COURSE_STATUSES: CourseStatus[] = ["Planned", "Enrolled", "In Progress", "Completed", "Passed", "Failed"];

/** The date a report is as of: a real YYYY-MM-DD from the form, or today. */
function reportDate(value: unknown, today: string): string {
  const text = typeof value === "string" ? value : "";
  if (!text) return today;
  if (!isAsOfDate(text)) throw new AppError("reports.bad_date", `As of "${text.slice(0, 20)}" must be a date from 1900-01-01 to 2999-12-31, YYYY-MM-DD`, 400);
  return text;
}

function noticeFor(done: unknown): string | undefined {
  return (
    {
      role: "The role has been saved.",
      reset: "A password reset link has been emailed to the person's address. They choose their own password.",
      unlock: "An unlock link has been emailed to the person's address.",
    } as Record<string, string>
  )[String(done)];
}
