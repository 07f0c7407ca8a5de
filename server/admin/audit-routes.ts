import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { requireRole } from "../web/auth.ts";
import { auditKinds, auditPage, auditWords, kindLabel } from "../audit/index.ts";
import { PAGE_SIZE, pageOf, renderPage } from "./pages.ts";

/** The audit trail, newest first, filtered by kind: each event a sentence in L&D's words, with who did it and from where. */
export function auditRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.get("/admin/audit", requireRole("admin"), async (req, res) => {
    const page = pageOf(req);
    const kind = String(req.query.kind ?? "").trim().slice(0, 60);
    const [events, kinds] = await Promise.all([auditPage(db, { kind, limit: PAGE_SIZE, offset: page * PAGE_SIZE }), auditKinds(db)]);
    renderPage(req, res, "admin/audit", { events: events.map((event) => ({ ...event, words: auditWords(event) })), kinds, kind, kindLabel, page, pageSize: PAGE_SIZE });
  });
  return router;
}
