import { Router, type Request, type Response } from "express";
import multer from "multer";
import type { AppDeps } from "../deps.ts";
import type { Actor } from "../audit/index.ts";
import type { MailDelivery } from "../mail/index.ts";
import { requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { spreadsheetCsv } from "../web/csv.ts";
import { uploadGuards, uploadOne } from "../web/uploads.ts";
import { PEOPLE_CSV_COLUMNS, PEOPLE_CSV_MAX_ROWS } from "./people-csv.ts";
import { uploadPeople, type UploadOutcome } from "./upload-people.ts";
import { checkedUploads, CHECKED_UPLOAD_MINUTES } from "./checked-uploads.ts";

const MAX_CSV_BYTES = 2 * 1024 * 1024;

/**
 * Upload people (L&D): the people CSV, its template, and the outcome of checking or importing it.
 * Mounted before the administration routes, so that /admin/people/upload is this page and not a
 * person with the id "upload".
 */
export function setupRoutes(deps: AppDeps & { mail: MailDelivery }): Router {
  const { db, clock, config, mail } = deps;
  const recovery = { db, clock, publicUrl: config.publicUrl };
  const router = Router();
  const admin = requireRole("admin");
  const upload = uploadOne({ storage: multer.memoryStorage(), limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 5 } }, MAX_CSV_BYTES);
  const render = (req: Request, res: Response, view: string, locals: Record<string, unknown>) =>
    res.render(view, { user: res.locals.user, csrfToken: generateCsrfToken(req), problems: [], notice: undefined, ...locals });
  const actorOf = (req: Request, res: Response): Actor => ({ accountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null });
  const kept = checkedUploads(config.dataDir);
  // The file's problems belong to its field: the summary links each to the file input.
  const page = (req: Request, res: Response, locals: { outcome?: UploadOutcome; fileName?: string; checked?: { reference: string; expiresAt: Date }; problems?: string[] }) => {
    const problems = (locals.problems ?? locals.outcome?.problems ?? []).map((message) => ({ field: "file", message }));
    render(req, res, "people/upload", { columns: PEOPLE_CSV_COLUMNS, maxRows: PEOPLE_CSV_MAX_ROWS, outcome: undefined, checkedMinutes: CHECKED_UPLOAD_MINUTES, ...locals, problems });
  };

  router.get("/admin/people/upload", admin, async (req, res) => page(req, res, {}));

  router.get("/admin/people/upload/template.csv", admin, (_req, res) => {
    res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="people-template.csv"' });
    res.send(spreadsheetCsv([[...PEOPLE_CSV_COLUMNS], ["", "Conroy", "Emma", "emma.conroy@example.org", "1988-04-12", "", "Learner", "24552166", "E-Learning & Design Co-Ordinator", "", ""]]));
  });

  router.post(
    "/admin/people/upload",
    admin,
    ...uploadGuards(deps, MAX_CSV_BYTES),
    upload,
    async (req, res) => {
      if (!req.file) {
        res.status(400);
        return page(req, res, { problems: ["Select a CSV file to upload"] });
      }
      const checkOnly = req.body?.mode === "check";
      const fileName = req.file.originalname;
      const outcome = await uploadPeople(recovery, actorOf(req, res), req.file.buffer, { checkOnly, fileName });
      if (outcome.invited) mail.kick();
      res.status(outcome.problems.length ? 400 : 200);
      const checked = checkOnly && !outcome.problems.length ? await kept.keep(req, req.file.buffer, fileName, clock.now()) : undefined;
      if (!checkOnly) await kept.forget(req);
      page(req, res, { outcome, fileName, ...(checked ? { checked } : {}) });
    },
  );

  // Import of the file Check only kept: no second upload, and checked again as it is imported.
  router.post("/admin/people/upload/checked", admin, async (req, res) => {
    const file = await kept.take(req, String(req.body?.checked ?? ""), clock.now());
    if (!file) {
      res.status(400);
      return page(req, res, { problems: [`The checked file is no longer kept (it is kept for ${CHECKED_UPLOAD_MINUTES} minutes, for the administrator who checked it): select the file and check it again`] });
    }
    const outcome = await uploadPeople(recovery, actorOf(req, res), file.bytes, { checkOnly: false, fileName: file.fileName });
    await kept.forget(req);
    if (outcome.invited) mail.kick();
    res.status(outcome.problems.length ? 400 : 200);
    page(req, res, { outcome, fileName: file.fileName });
  });

  return router;
}
