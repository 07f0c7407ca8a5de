import fs from "node:fs";
import { guideDate, guideDateTime } from "../format.ts";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Router, type Request, type RequestHandler } from "express";
import multer from "multer";
import type { AppDeps } from "../deps.ts";
import { requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { formRefusal, uploadGuards } from "../web/uploads.ts";
import { AppError, isOutOfSpace, notFound, OUT_OF_SPACE } from "../errors.ts";
import { createLocalStorage } from "./storage.ts";
import { findingsOf, importPackage, PackageError, SamePackage } from "./import-package.ts";
import { ProblemList, type Problem } from "../problems.ts";
import { exportPackageStream } from "./export-package.ts";
import { createCourseStore } from "./store.ts";
import { courseContents, type ValidationReport } from "./validation-report.ts";
import { previewVersion } from "../learning/index.ts";
import { latestPreviews } from "./preview-reads.ts";

const ITEMS_PER_PAGE = 100;

/** Course authors' pages: the course list, the upload with its validation report, each course. */
export function packageRoutes({ db, clock, config }: AppDeps): Router {
  const router = Router();
  const storage = createLocalStorage(path.join(config.dataDir, "packages"));
  const uploadDir = path.join(storage.root, ".uploads");
  // A zip is never larger than what it unpacks to (plus headers), so the unpacked limit bounds the upload.
  const maxUploadBytes = config.packageLimits.maxTotalBytes + 64 * 1024 * 1024;
  const upload = multer({ dest: uploadDir, defParamCharset: "utf8", limits: { fileSize: maxUploadBytes, files: 1, fields: 5 } });
  const courses = createCourseStore(db);
  const author = requireRole("author");

  /** AUTHOR_UPLOADS_PER_DAY: each import keeps a whole course on disk, so one author's are counted over 24 hours. */
  const authorUploadsLeft: RequestHandler = async (_req, res, next) => {
    const since = new Date(clock.now().getTime() - 24 * 60 * 60_000).toISOString();
    const imported = await courses.importsBy(res.locals.user.accountId, since);
    const limit = config.quotas.authorUploadsPerDay;
    next(imported >= limit ? new AppError("package.upload_quota", `You have imported ${limit} packages in the last 24 hours, the most allowed (AUTHOR_UPLOADS_PER_DAY). Nothing was saved; try again tomorrow, or ask the service desk`, 429) : undefined);
  };

  router.get("/author/courses", author, async (req, res) => {
    res.render("author/courses", { user: res.locals.user, csrfToken: generateCsrfToken(req), courses: await courses.listCourses(), guideDate });
  });

  router.get("/author/courses/upload", author, async (req, res) => {
    // "Upload a new version" arrives with the course's code, so the package cannot land elsewhere.
    const code = typeof req.query.code === "string" ? req.query.code : "";
    const existing = code ? await courses.courseIdByCode(code) : undefined;
    const versions = existing === undefined ? [] : await courses.versionsOf(existing);
    res.render("author/upload", {
      user: res.locals.user,
      csrfToken: generateCsrfToken(req),
      report: undefined,
      course: undefined,
      code,
      nextVersion: existing === undefined ? undefined : (versions[0]?.version ?? 0) + 1,
      problems: [],
      samePackage: undefined,
    });
  });

  router.post("/author/courses/upload", author, ...uploadGuards({ db, clock, config }, maxUploadBytes), authorUploadsLeft, (req, res, next) => {
    fs.mkdirSync(uploadDir, { recursive: true });
    upload.single("package")(req, res, (error: unknown) => (error ? next(uploadError(error, maxUploadBytes)) : next(formRefusal(req))));
  }, async (req, res) => {
    const file = req.file;
    const code = typeof req.body.code === "string" && req.body.code.trim() ? req.body.code.trim() : undefined;
    // The form's own fields first, every problem at once (the package's come in its report).
    // Asked "This is the same package as version N ...", the author chose to import it anyway.
    const anyway = req.body.newVersionAnyway === "yes";
    const problems = new ProblemList();
    // Answering Yes without script, the author must choose the file again: a browser never keeps it.
    if (!file) problems.add("package", anyway ? "Choose the same package again to import it as a new version" : "Choose a SCORM package (.zip) to upload");
    if (code !== undefined && code.length > 200) problems.add("code", "The course code must be 200 characters or fewer");
    if (!problems.empty) {
      if (file) fs.rmSync(file.path, { force: true });
      if (wantsJson(req)) problems.refuseIfAny("package.form");
      res.status(400).render("author/upload", { user: res.locals.user, csrfToken: generateCsrfToken(req), report: undefined, course: undefined, code: code ?? "", nextVersion: undefined, problems: problems.problems, samePackage: undefined });
      return;
    }
    if (!file) return;
    let report: ValidationReport;
    let course: { id: number; code: string; version: number; contents: string } | undefined;
    try {
      const imported = await importPackage({ db, clock, storage }, file.path, { importedBy: res.locals.user.accountId, limits: config.packageLimits, diskFreeFloorBytes: config.diskFreeFloorBytes, ifSamePackage: anyway ? "import" : "ask", ...(code ? { code } : {}) });
      const courseId = (await courses.courseIdByCode(imported.course))!;
      course = { id: courseId, code: imported.course, version: imported.version, contents: courseContents(imported.launchables, imported.fileCount) };
      report = {
        ok: true,
        scormVersion: imported.scormVersion,
        title: imported.title,
        fileCount: imported.fileCount,
        totalBytes: imported.totalBytes,
        launchables: imported.launchables.map(({ identifier, title, scormType, launch }) => ({ identifier, title, scormType, launch })),
        errors: [],
        warnings: imported.warnings,
      };
    } catch (error) {
      if (error instanceof SamePackage) {
        fs.rmSync(file.path, { force: true });
        const samePackage = { course: error.course, version: error.version, importedAt: guideDateTime(error.importedAt), message: error.message, url: `/author/courses/${await courses.courseIdByCode(error.course)}` };
        if (wantsJson(req)) res.status(409).json({ samePackage });
        else res.status(409).render("author/upload", { user: res.locals.user, csrfToken: generateCsrfToken(req), report: undefined, course: undefined, code: code ?? "", nextVersion: undefined, problems: [], samePackage });
        return;
      }
      if (!(error instanceof AppError)) throw error;
      if (error.status >= 500) res.status(error.status);
      report = {
        ok: false, scormVersion: null, title: null, fileCount: 0, totalBytes: 0, launchables: [],
        errors: findingsOf(error),
        warnings: error instanceof PackageError ? error.warnings : [],
      };
    } finally {
      fs.rmSync(file.path, { force: true });
    }
    const status = report.ok ? 201 : res.statusCode >= 500 ? res.statusCode : 422;
    if (wantsJson(req)) {
      res.status(status).json({ report, course: course && { ...course, url: `/author/courses/${course.id}` } });
    } else {
      // A package refused is the file field's problem: the error pattern links each of its findings there.
      const refused: Problem[] = report.ok ? [] : report.errors.map((finding) => ({ field: "package", message: finding.message }));
      res.status(status).render("author/upload", { user: res.locals.user, csrfToken: generateCsrfToken(req), report, course, code: code ?? "", nextVersion: undefined, problems: refused, samePackage: undefined });
    }
  });

  router.get("/author/courses/:id", author, async (req, res) => {
    const course = await courses.courseById(Number(req.params.id));
    if (!course) throw notFound("That course");
    const versions = await courses.versionsOf(course.id);
    // A course of thousands of items is a page of them at a time (the manifest allows 5,000).
    const launchables = versions[0]?.manifest.launchables ?? [];
    const pages = Math.max(1, Math.ceil(launchables.length / ITEMS_PER_PAGE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(String(req.query.page ?? "1"), 10) || 1));
    const shown = { page, pages, total: launchables.length, from: (page - 1) * ITEMS_PER_PAGE + 1, items: launchables.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE) };
    // What the author's newest preview of each version reported, once its window has closed (the
    // player refreshes this page then).
    const user = res.locals.user as { personId: number };
    const reported = await latestPreviews(db, user.personId, versions.map((version) => version.id));
    const previews = versions.flatMap((version) => {
      const preview = reported.get(version.id);
      if (!preview) return [];
      const titles = new Map(version.manifest.launchables.map((item) => [item.identifier, item.title]));
      return [{ version: version.version, ...preview, scos: preview.scos.map((sco) => ({ ...sco, title: titles.get(sco.identifier) ?? sco.identifier })) }];
    });
    res.render("author/course", { user: res.locals.user, csrfToken: generateCsrfToken(req), course, versions, shown, guideDateTime, previews, duration });
  });

  // Preview: a fresh attempt of exactly this version, for the author, that credits nothing; the
  // player opens on it (in its own window, through /assets/play.js).
  router.post("/author/courses/:id/versions/:version/preview", author, async (req, res) => {
    const course = await courses.courseById(Number(req.params.id));
    if (!course) throw notFound("That course");
    const version = (await courses.versionsOf(course.id)).find((candidate) => String(candidate.version) === req.params.version);
    if (!version) throw notFound(`Version "${req.params.version}"`);
    const user = res.locals.user as { personId: number; accountId: number };
    const attemptId = await previewVersion(db, clock, { personId: user.personId, courseVersionId: version.id, accountId: user.accountId, ...(req.ip ? { ip: req.ip } : {}) });
    res.redirect(303, `/player/attempts/${attemptId}`);
  });

  router.get("/author/courses/:id/versions/:version/package.zip", author, async (req, res) => {
    const course = await courses.courseById(Number(req.params.id));
    if (!course) throw notFound("That course");
    if (!/^\d+$/.test(String(req.params.version))) throw notFound(`Version "${req.params.version}"`);
    const exported = await exportPackageStream({ db, storage }, course.code, { version: Number(req.params.version) });
    res.attachment(exported.filename);
    res.type("application/zip");
    await pipeline(exported.stream, res);
  });

  return router;
}

/** 192500 ms -> "3 min 13 s", as a preview's time is read. */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const parts = [[Math.floor(seconds / 3600), "h"], [Math.floor((seconds % 3600) / 60), "min"], [seconds % 60, "s"]] as const;
  return parts.filter(([n], index) => n > 0 || index === 2).map(([n, unit]) => `${n} ${unit}`).join(" ");
}

function wantsJson(req: Request): boolean {
  return req.accepts(["html", "json"]) === "json";
}

function uploadError(error: unknown, maxUploadBytes: number): AppError {
  if (isOutOfSpace(error)) return new AppError("storage.full", OUT_OF_SPACE, 507);
  if (error instanceof multer.MulterError) {
    const message =
      error.code === "LIMIT_FILE_SIZE"
        ? `The package is larger than the ${Math.round(maxUploadBytes / 1024 / 1024)} MB upload limit`
        : error.code === "LIMIT_UNEXPECTED_FILE"
          ? "Upload one package at a time, in the field named package"
          : `The upload was refused: ${error.message}`;
    return new AppError(`package.upload_${error.code.toLowerCase()}`, message, 400);
  }
  return new AppError("package.upload_failed", `The upload did not arrive whole: ${(error as Error).message}`, 400);
}
