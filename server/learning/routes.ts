import { Router } from "express";
import type { AppDeps } from "../web/app.ts";
import { requireLogin } from "../web/auth.ts";
import { notFound } from "../errors.ts";
import { playCourse } from "./attempts.ts";

/** Learning actions. Play resumes or starts an attempt, then opens the player window. */
export function learningRoutes({ db, clock }: AppDeps): Router {
  const router = Router();

  router.post("/learning/courses/:courseId/play", requireLogin, async (req, res) => {
    const courseId = Number(req.params.courseId);
    if (!Number.isInteger(courseId) || !(await db("courses").where({ id: courseId }).first("id"))) throw notFound("That course");
    const user = res.locals.user as { personId: number; accountId: number };
    const { attemptId } = await playCourse(db, clock, { personId: user.personId, courseId, accountId: user.accountId, ...(req.ip ? { ip: req.ip } : {}) });
    res.redirect(303, `/player/attempts/${attemptId}`);
  });

  return router;
}
