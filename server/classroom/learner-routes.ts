import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { guideDate } from "../format.ts";
import { localTime } from "../clock.ts";
import { isRowId } from "../db/connect.ts";
import { createClassStore } from "./class-store.ts";
import { cancelEnrolment } from "./enrolment-service.ts";

/**
 * The learner's side of classroom classes beyond the certification page: Requested Learning (the
 * guide's tab: requests awaiting approval and waiting-list places, with their state), and Cancel
 * of their own booking.
 */
export function classLearnerRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const user = (res: Response) => res.locals.user as { personId: number; accountId: number };

  router.get("/learning/requested", requireLogin, async (req: Request, res: Response) => {
    const bookings = await createClassStore(db).requestedLearning(user(res).personId);
    res.render("classroom/requested", { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDate, localTime, now: clock.now().toISOString(), bookings, notice: req.query.done ? "Cancelled." : undefined });
  });

  router.post("/learning/enrolments/:enrolmentId/cancel", requireLogin, async (req: Request, res: Response) => {
    await cancelEnrolment(db, clock, { personId: user(res).personId, accountId: user(res).accountId, ip: req.ip ?? null }, Number(req.params.enrolmentId), "learner");
    // Back where Cancel was pressed: a certification page (by its id) or Requested Learning.
    const from = Number(req.body?.from);
    res.redirect(303, isRowId(from) ? `/learning/certifications/${from}?done=cancelled` : "/learning/requested?done=cancelled");
  });

  return router;
}
