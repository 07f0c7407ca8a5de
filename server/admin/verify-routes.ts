import { Router, type Request, type Response } from "express";
import type { Problem } from "../problems.ts";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { competencyLabel, guideDate, sourceLabel } from "../format.ts";
import { notFound } from "../errors.ts";
import { completedLearningOf, groupedCode } from "../certificates/index.ts";
import { attemptDetail, learnerOverview } from "./verify.ts";
import { competencyChoices, findPeople } from "./verify-reads.ts";
import { formatDuration, renderPage } from "./pages.ts";
import { evidenceFilesOf, recordsOf } from "../compliance/index.ts";

/** Verify a learner: find them, see everything about their learning and why anything is not credited. */
export function verifyRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  router.get("/admin/people", admin, async (req, res) => {
    const search = String(req.query.q ?? "");
    renderPage(req, res, "admin/people", { search, people: await findPeople(db, search) });
  });

  const showPerson = async (req: Request, res: Response, form: { problems: Problem[]; values: Record<string, string> } = { problems: [], values: {} }) => {
    const id = Number(req.params.personId);
    const overview = isRowId(id) ? await learnerOverview(db, id, clock.today()) : undefined;
    if (!overview) throw notFound("That person");
    // Their competence records (with evidence files), and the forms to record one and to move records between organisations (compliance/record-routes.ts).
    const [records, evidenceFiles, competencies, certificates] = await Promise.all([recordsOf(db, id), evidenceFilesOf(db, id), competencyChoices(db), completedLearningOf(db, id)]);
    const notice = req.query.done === "recorded" ? "The competence has been recorded. It is awaiting approval." : undefined;
    renderPage(req, res, "admin/person", { ...overview, records, evidenceFiles, competencies, certificates, notice, guideDate, competencyLabel, sourceLabel, formatDuration, groupedCode, ...form });
  };

  router.get("/admin/people/:personId", admin, async (req, res) => showPerson(req, res));

  // Record a competence and Import competence records are compliance's (compliance/record-routes.ts,
  // which authorises them, mounted after this): a form it refuses comes back on this page, every
  // problem beside its field, through this. Middleware, not a route: the route is theirs.
  router.use("/admin/people/:personId/records", (req, res, next) => {
    if (req.method === "POST") res.locals.showRefusedRecordForm = (problems: Problem[], values: Record<string, string>) => showPerson(req, res, { problems, values });
    next();
  });

  router.get("/admin/attempts/:attemptId", admin, async (req, res) => {
    const id = Number(req.params.attemptId);
    const detail = isRowId(id) ? await attemptDetail(db, id, clock.today()) : undefined;
    if (!detail) throw notFound("That attempt");
    renderPage(req, res, "admin/attempt", { ...detail, formatDuration });
  });

  return router;
}
