import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { guideDate } from "../format.ts";
import { localTime } from "../clock.ts";
import { isRowId } from "../db/connect.ts";
import { AppError, notFound } from "../errors.ts";
import { certificationView, enrol } from "../learning/index.ts";
import { createClassStore } from "./class-store.ts";
import { applyForClass, cancelEnrolment } from "./enrolment-service.ts";
import { placesLeftLabel } from "./class-rules.ts";

/**
 * The learner's side of classroom classes: a component's Choose or Enrol in class (Cancel /
 * Apply) from the certification page, Requested Learning (the guide's tab: requests awaiting
 * approval and waiting-list places, with their state), and Cancel of their own booking.
 */
export function classLearnerRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const user = (res: Response) => res.locals.user as { personId: number; accountId: number };
  const base = "/learning/certifications/:certificationId";
  const actor = (req: Request, res: Response) => ({ personId: user(res).personId, accountId: user(res).accountId, ip: req.ip ?? null });
  const render = (req: Request, res: Response, template: string, locals: Record<string, unknown>) =>
    res.render(template, { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDate, localTime, now: clock.now().toISOString(), ...locals });
  const back = (view: { certification: { id: number } }) => `/learning/certifications/${view.certification.id}`;

  // Choose or Enrol in class: a course with classroom classes lists them (and its e-learning class,
  // if any) to choose from; an e-learning-only course shows its Class Summary, as before.
  const classChoices = async (req: Request, res: Response) => {
    const certificationId = Number(req.params.certificationId);
    const view = isRowId(certificationId) ? await certificationView(db, user(res).personId, certificationId, clock.today()) : undefined;
    if (!view) throw notFound("That certification");
    const component = view.components.find((row) => String(row.componentId) === req.params.componentId);
    if (!component) throw notFound("That component");
    const classes = component.offer?.classroom ? await createClassStore(db).list({ courseCode: component.course, openFrom: clock.now().toISOString() }) : [];
    return { view, component, classes };
  };

  router.get(`${base}/components/:componentId/enrol`, requireLogin, async (req, res) => {
    const { view, component, classes } = await classChoices(req, res);
    // A classroom place, request or waiting-list entry is held already: cancel it to choose again.
    if (component.enrolment?.classroom) return res.redirect(303, back(view));
    if (classes.length === 0) return render(req, res, "learning/enrol", { view, component });
    render(req, res, "learning/choose-class", { view, component, classes, placesLeftLabel, problems: [] });
  });

  router.post(`${base}/components/:componentId/enrol`, requireLogin, async (req, res) => {
    const { view, component, classes } = await classChoices(req, res);
    const chosen = typeof req.body?.classId === "string" ? Number(req.body.classId) : undefined;
    if (chosen === undefined || chosen === component.offer?.classId) {
      if (chosen === undefined && classes.length > 0) {
        res.status(400);
        return render(req, res, "learning/choose-class", { view, component, classes, placesLeftLabel, problems: [{ field: "classId", message: "Choose a class, then Apply" }] });
      }
      await enrol(db, clock, actor(req, res), view.certification.id, Number(req.params.componentId));
      return res.redirect(303, back(view));
    }
    try {
      await applyForClass(db, clock, actor(req, res), view.certification.id, component.componentId, chosen);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      res.status(409);
      return render(req, res, "learning/choose-class", { view, component, classes, placesLeftLabel, problems: [{ field: "classId", message: error.message }] });
    }
    res.redirect(303, back(view));
  });


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
