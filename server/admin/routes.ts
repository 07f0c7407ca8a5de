import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import type { MailDelivery } from "../mail/index.ts";
import { accountAdminRoutes } from "./account-routes.ts";
import { outboxRoutes } from "./outbox-routes.ts";
import { auditRoutes } from "./audit-routes.ts";
import { reportRoutes } from "./report-routes.ts";
import { verifyRoutes } from "./verify-routes.ts";
import { approvalRoutes } from "./approval-routes.ts";
import { reminderRoutes } from "./reminder-routes.ts";

/** Administration for L&D administrators, a file for each page: accounts, the outbox, the audit trail, Reports, Verify a learner and Awaiting Approval. */
export function adminRoutes(deps: AppDeps & { mail: MailDelivery }): Router {
  return Router().use(accountAdminRoutes(deps), outboxRoutes(deps), auditRoutes(deps), reportRoutes(deps), verifyRoutes(deps), approvalRoutes(deps), reminderRoutes(deps));
}
