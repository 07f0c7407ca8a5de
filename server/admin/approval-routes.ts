import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { requireRole } from "../web/auth.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { renderPage } from "./pages.ts";
import { awaitingApproval, decideRecord } from "../compliance/index.ts";

/** Awaiting Approval: competences recorded from elsewhere, approved or rejected with a reason. */
export function approvalRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  router.get("/admin/approvals", admin, async (req, res) => {
    renderPage(req, res, "admin/approvals", { records: await awaitingApproval(db), guideDate, competencyLabel, notice: req.query.done ? "Decision saved." : undefined });
  });

  for (const [action, approve] of [["approve", true], ["reject", false]] as const) {
    router.post(`/admin/approvals/:recordId/${action}`, admin, async (req, res) => {
      await decideRecord(db, clock, { recordId: Number(req.params.recordId), approve, reason: String(req.body.reason ?? ""), actorAccountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null });
      res.redirect(303, "/admin/approvals?done=1");
    });
  }

  return router;
}
