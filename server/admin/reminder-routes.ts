import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import type { MailDelivery } from "../mail/index.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { AppError, notFound } from "../errors.ts";
import { guideDate } from "../format.ts";
import { planReminders, reminderHistory, sendReminders } from "../compliance/index.ts";
import { PAGE_SIZE, pageOf, renderPage } from "./pages.ts";

/**
 * Reminders (L&D): who this week's reminders would go to and what each would say, Send, and the
 * history of what was sent. The page and `lms send-reminders` share one rule (compliance's
 * reminders.ts), so a second Send, a double click or the command on the same day emails no one twice.
 */
export function reminderRoutes({ db, clock, config, mail }: AppDeps & { mail: MailDelivery }): Router {
  const router = Router();
  const admin = requireRole("admin");
  const history = reminderHistory(db);
  const options = () => ({ asOf: clock.today(), graceDays: config.reminderGraceDays });

  // A run refused (as of a date before the last run's) has no field to blame: the summary says it plainly.
  const page = async (req: Request, res: Response) => {
    let problems: string[] = [];
    const pageNumber = pageOf(req);
    let plan;
    try {
      plan = await planReminders(db, options());
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "reminders.backwards") throw error;
      problems = [error.message];
    }
    renderPage(req, res, "admin/reminders", { plan, problems, runs: await history.runs(PAGE_SIZE, pageNumber * PAGE_SIZE), page: pageNumber, pageSize: PAGE_SIZE, guideDate, today: clock.today() });
  };

  router.get("/admin/reminders", admin, async (req, res) => page(req, res));

  router.post("/admin/reminders", admin, async (req, res) => {
    try {
      const sent = await sendReminders(db, clock, { ...options(), publicUrl: config.publicUrl, actor: { accountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null } });
      if (sent.emails) mail.kick();
      res.redirect(303, `/admin/reminders/runs/${sent.runEventId}?done=sent`);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "reminders.backwards") throw error;
      res.status(409);
      await page(req, res);
    }
  });

  router.get("/admin/reminders/runs/:runId", admin, async (req, res) => {
    const id = Number(req.params.runId);
    const run = isRowId(id) ? await history.run(id) : undefined;
    if (!run) throw notFound("That reminder run");
    renderPage(req, res, "admin/reminder-run", { run, messages: await history.runMessages(run), guideDate, justSent: req.query.done === "sent" });
  });

  return router;
}
