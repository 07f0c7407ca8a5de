import { Router, type Request, type Response } from "express";
import { AppError } from "../errors.ts";
import type { Problem } from "../problems.ts";
import type { AppDeps } from "../deps.ts";
import { requireRole } from "../web/auth.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { renderPage } from "./pages.ts";
import { awaitingApproval, decideRecord } from "../compliance/index.ts";

/** Awaiting Approval: competences recorded from elsewhere, approved or rejected with a reason. */
export function approvalRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  const page = async (req: Request, res: Response, problems: Problem[] = [], values: Record<string, string> = {}) =>
    renderPage(req, res, "admin/approvals", { records: await awaitingApproval(db), guideDate, competencyLabel, notice: req.query.done ? "Decision saved." : undefined, problems, values });

  router.get("/admin/approvals", admin, async (req, res) => page(req, res));

  for (const [action, approve] of [["approve", true], ["reject", false]] as const) {
    router.post(`/admin/approvals/:recordId/${action}`, admin, async (req, res) => {
      const recordId = Number(req.params.recordId);
      try {
        await decideRecord(db, clock, { recordId, approve, reason: String(req.body.reason ?? ""), actorAccountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null });
      } catch (error) {
        // A rejection without its reason comes back to the queue, the message beside that record's reason.
        if (!(error instanceof AppError) || error.code !== "approvals.reason") throw error;
        res.status(400);
        return page(req, res, [{ field: `reason-${recordId}`, message: error.message }]);
      }
      res.redirect(303, "/admin/approvals?done=1");
    });
  }

  return router;
}
