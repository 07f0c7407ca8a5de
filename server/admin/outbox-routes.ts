import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { notFound } from "../errors.ts";
import { listOutbox, outboxMessage, withoutLinkSecrets } from "../mail/index.ts";
import { PAGE_SIZE, pageOf, renderPage } from "./pages.ts";

/** The outbox, so that the LMS works without a mail server. */
export function outboxRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  router.get("/admin/outbox", admin, async (req, res) => {
    const page = pageOf(req);
    renderPage(req, res, "admin/outbox", { messages: await listOutbox(db, { limit: PAGE_SIZE, offset: page * PAGE_SIZE }), page, pageSize: PAGE_SIZE, smtp: Boolean(config.smtpUrl) });
  });

  router.get("/admin/outbox/:messageId", admin, async (req, res) => {
    const id = Number(req.params.messageId);
    const message = isRowId(id) ? await outboxMessage(db, id) : undefined;
    if (!message) throw notFound("That message");
    // With SMTP the person's mailbox has the link; the outbox shows the message without it.
    renderPage(req, res, "admin/outbox-message", { message: config.smtpUrl ? { ...message, text: withoutLinkSecrets(message.text) } : message });
  });

  return router;
}
