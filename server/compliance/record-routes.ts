import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { Router, type Request, type RequestHandler, type Response } from "express";
import multer from "multer";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireLogin, requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { uploadGuards, uploadOne } from "../web/uploads.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { AppError, notFound } from "../errors.ts";
import { FormRefusal } from "../problems.ts";
import { recordHeldElsewhere } from "./approvals.ts";
import { compliancePage } from "./routes.ts";
import { createComplianceStore } from "./store.ts";
import { createEvidenceStorage, evidenceQuotaProblem, EVIDENCE_MAX_BYTES } from "./evidence-files.ts";
import { evidenceFileById, evidenceUse, type EvidenceFile } from "./evidence-store.ts";
import { exportRecords, importRecords, recordsFileName, recordsFileText } from "./record-transfer.ts";

const IMPORT_MAX_BYTES = 1024 * 1024;

/**
 * Competence records held from elsewhere, beyond the learner's own page: recording one with an
 * evidence file (the learner for themselves, L&D for anyone from Verify a learner), downloading
 * that file (its learner and L&D only), and moving a person's records between organisations.
 * Multipart forms carry their CSRF token as their first field (see web/session.ts).
 */
export function recordRoutes({ db, clock, config }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");
  const storage = createEvidenceStorage(config.dataDir);
  // Evidence arrives on disk (beside where it is kept, so keeping it is a rename); a records file is small JSON.
  const evidenceGuards = uploadGuards({ db, clock, config }, EVIDENCE_MAX_BYTES);
  const recordsGuards = uploadGuards({ db, clock, config }, IMPORT_MAX_BYTES);
  const evidenceUpload = uploadOne({ dest: storage.uploads, limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1, fields: 10, fieldSize: 16 * 1024 } }, EVIDENCE_MAX_BYTES, () => fs.mkdirSync(storage.uploads, { recursive: true }));
  const recordsUpload = uploadOne({ storage: multer.memoryStorage(), limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5 } }, IMPORT_MAX_BYTES);
  const actor = (res: Response) => res.locals.user as { personId: number; accountId: number };
  const compliance = compliancePage({ db, clock });
  const formValues = (req: Request): Record<string, string> =>
    Object.fromEntries(["competencyId", "achievedOn", "expiresOn", "evidence"].map((name) => [name, typeof req.body?.[name] === "string" ? String(req.body[name]).slice(0, 2000) : ""]));

  /** The record form's fields and file, saved for personId. */
  async function recordFromForm(req: Request, res: Response, personId: number): Promise<number> {
    const text = (name: string) => (typeof req.body?.[name] === "string" ? String(req.body[name]).trim() : "");
    const file = req.file;
    return recordHeldElsewhere(db, clock, {
      personId,
      actorAccountId: actor(res).accountId,
      competencyId: Number(text("competencyId")),
      achievedOn: text("achievedOn"),
      expiresOn: text("expiresOn") || undefined,
      evidence: text("evidence"),
      ip: req.ip ?? null,
      quotas: config.quotas,
      ...(file ? { file: { upload: { tempPath: file.path, originalName: file.originalname, size: file.size }, storage } } : {}),
    });
  }

  /**
   * Refuses evidence that cannot fit in its person's quota before a byte of it is read: what they
   * keep already and what the request declares. Saving checks again, in its transaction.
   */
  function evidenceRoom(personOf: (req: Request, res: Response) => number): RequestHandler {
    return async (req, res, next) => {
      const personId = personOf(req, res);
      if (!isRowId(personId)) return next();
      const declared = Number(req.headers["content-length"] ?? 0) || 0;
      const problem = evidenceQuotaProblem(await evidenceUse(db, personId), { files: 0, bytes: declared }, config.quotas);
      next(problem ? new AppError("evidence.quota", problem, 413) : undefined);
    };
  }

  /** A file sent for evidence is kept (moved) or removed before the answer goes: never left in .uploads. */
  async function discardingUpload<T>(req: Request, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      if (req.file?.path) fs.rmSync(req.file.path, { force: true });
    }
  }

  /** A stored evidence file as a download, never shown inline: it is what someone uploaded. */
  async function sendEvidenceFile(res: Response, file: EvidenceFile): Promise<void> {
    const where = storage.pathOf(file.storedName);
    const stat = await fs.promises.stat(where).catch(() => undefined);
    if (!stat?.isFile()) throw notFound("That evidence file");
    res.attachment(file.originalName);
    res.set({ "Content-Type": file.contentType, "Content-Length": String(stat.size), "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
    await pipeline(fs.createReadStream(where), res);
  }

  // Awaiting Approval: a learner records a competence held from elsewhere, with an optional file.
  router.post("/compliance/records", requireLogin, ...evidenceGuards, evidenceRoom((_req, res) => actor(res).personId), evidenceUpload, async (req, res) => {
    try {
      await discardingUpload(req, () => recordFromForm(req, res, actor(res).personId));
    } catch (error) {
      // A browser gets its form back, with what was typed and every problem; a script gets the JSON error.
      if (!(error instanceof FormRefusal) || req.accepts(["html", "json"]) !== "html") throw error;
      res.status(400);
      const again = req.file && !error.problems.some((problem) => problem.field === "file") ? [{ field: "file", message: "Choose the evidence file again: a browser cannot keep it when the form comes back" }] : [];
      return compliance.show(req, res, { tab: "awaiting", problems: [...error.problems, ...again], values: formValues(req) });
    }
    res.redirect(303, "/compliance?tab=awaiting");
  });

  // The learner's own evidence only: anyone else's is "not found", not "forbidden", so ids reveal nothing.
  router.get("/compliance/evidence-files/:fileId", requireLogin, async (req, res) => {
    const file = await evidenceFileById(db, Number(req.params.fileId));
    if (!file || file.personId !== actor(res).personId) throw notFound("That evidence file");
    await sendEvidenceFile(res, file);
  });

  router.get("/admin/evidence-files/:fileId", admin, async (req, res) => {
    const file = await evidenceFileById(db, Number(req.params.fileId));
    if (!file) throw notFound("That evidence file");
    await sendEvidenceFile(res, file);
  });

  // L&D record a competence for a learner from Verify a learner; it too awaits approval.
  router.post("/admin/people/:personId/records", admin, ...evidenceGuards, evidenceRoom((req) => Number(req.params.personId)), evidenceUpload, async (req, res) => {
    let personId: number;
    try {
      personId = await discardingUpload(req, async () => {
        const id = await personOf(req);
        await recordFromForm(req, res, id);
        return id;
      });
    } catch (error) {
      // Verify a learner shows the form again, with every problem (admin/verify-routes.ts hands over how).
      const showAgain = res.locals.showRefusedRecordForm as ((problems: FormRefusal["problems"], values: Record<string, string>) => Promise<void>) | undefined;
      if (!(error instanceof FormRefusal) || !showAgain || req.accepts(["html", "json"]) !== "html") throw error;
      res.status(400);
      const again = req.file && !error.problems.some((problem) => problem.field === "file") ? [{ field: "file", message: "Choose the evidence file again: a browser cannot keep it when the form comes back" }] : [];
      return showAgain([...error.problems, ...again], formValues(req));
    }
    res.redirect(303, `/admin/people/${personId}?done=recorded#competence-records`);
  });

  router.get("/admin/people/:personId/records/export.json", admin, async (req, res) => {
    const file = await exportRecords(db, clock, { personId: await personOf(req), actorAccountId: actor(res).accountId, ip: req.ip ?? null });
    res.attachment(recordsFileName(file));
    res.set({ "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
    res.send(`${JSON.stringify(file, null, 2)}\n`);
  });

  router.post("/admin/people/:personId/records/import", admin, ...recordsGuards, recordsUpload, async (req, res) => {
    const personId = await personOf(req);
    const showAgain = res.locals.showRefusedRecordForm as ((problems: FormRefusal["problems"], values: Record<string, string>) => Promise<void>) | undefined;
    if (!req.file && showAgain && req.accepts(["html", "json"]) === "html") {
      res.status(400);
      return showAgain([{ field: "records-file", message: "Select the competence records file (.json) to import" }], {});
    }
    if (!req.file) throw new AppError("transfer.no_file", "Choose the competence records file (.json) to import", 400);
    const result = await importRecords(db, clock, { personId, text: recordsFileText(req.file.buffer), actorAccountId: actor(res).accountId, ip: req.ip ?? null });
    const person = await createComplianceStore(db).person(personId);
    res.render("admin/records-imported", { user: res.locals.user, csrfToken: generateCsrfToken(req), person, result, guideDate, competencyLabel });
  });

  async function personOf(req: Request): Promise<number> {
    const id = Number(req.params.personId);
    const person = isRowId(id) ? await createComplianceStore(db).person(id) : undefined;
    if (!person) throw notFound("That person");
    return Number(person.id);
  }

  return router;
}
