import { isRowId } from "../db/connect.ts";
import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { notFound } from "../errors.ts";
import { playCourse } from "./attempts.ts";
import { attemptResult } from "./attempt-result.ts";
import { generateCsrfToken } from "../web/session.ts";
import { guideDate, guideDateTime } from "../format.ts";
import { currentLearning, CURRENT_LEARNING_PAGE_SIZE, type CurrentLearningFilter } from "./current-learning.ts";
import type { ComponentStatus } from "./certification-view.ts";
import { createAttemptStore } from "./attempt-store.ts";

const COMPONENT_STATUSES: ComponentStatus[] = ["Planned", "Completed"];

/** The page's filter from its query; anything unknown is the default, as a filter form only offers these. */
function currentLearningFilter(query: Record<string, unknown>): CurrentLearningFilter {
  const status = COMPONENT_STATUSES.find((candidate) => candidate === query.status);
  const page = Number(query.page);
  return {
    show: query.show === "all" ? "all" : "current",
    componentStatus: status ?? "any",
    mandatoryOnly: query.mandatory === "yes",
    page: Number.isSafeInteger(page) && page > 1 ? page - 1 : 0,
  };
}

/** Learning actions. Play resumes or starts an attempt, then opens the player window. */
export function learningRoutes({ db, clock }: AppDeps): Router {
  const router = Router();

  router.post("/learning/courses/:courseId/play", requireLogin, async (req, res) => {
    const courseId = Number(req.params.courseId);
    if (!isRowId(courseId) || !(await createAttemptStore(db).courseExists(courseId))) throw notFound("That course");
    const user = res.locals.user as { personId: number; accountId: number };
    const { attemptId } = await playCourse(db, clock, { personId: user.personId, courseId, accountId: user.accountId, ...(req.ip ? { ip: req.ip } : {}) });
    res.redirect(303, `/player/attempts/${attemptId}`);
  });

  router.get("/learning/current", requireLogin, async (req, res) => {
    const user = res.locals.user as { personId: number };
    const filter = currentLearningFilter(req.query);
    const learning = await currentLearning(db, user.personId, clock.today(), filter);
    const filtered = filter.show !== "current" || filter.componentStatus !== "any" || filter.mandatoryOnly;
    res.render("learning/current", { user: res.locals.user, csrfToken: generateCsrfToken(req), learning, filter, filtered, statuses: COMPONENT_STATUSES, pageSize: CURRENT_LEARNING_PAGE_SIZE, guideDate, guideDateTime });
  });

  // An attempt's result: its score beside the pass mark, for the learner's own attempts only.
  router.get("/learning/attempts/:attemptId", requireLogin, async (req, res) => {
    const attemptId = Number(req.params.attemptId);
    const user = res.locals.user as { personId: number };
    const result = isRowId(attemptId) ? await attemptResult(db, user.personId, attemptId) : undefined;
    if (!result) throw notFound("That attempt");
    res.render("learning/attempt", { user: res.locals.user, csrfToken: generateCsrfToken(req), result, guideDate, guideDateTime });
  });

  return router;
}
