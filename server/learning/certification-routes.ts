import { isRowId } from "../db/connect.ts";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { guideDate } from "../format.ts";
import { AppError, notFound } from "../errors.ts";
import { certificationView } from "./certification-view.ts";
import { enrol, subscribe, unsubscribe } from "./subscriptions.ts";
import { localTime } from "../clock.ts";
import { createClassStore } from "../classroom/class-store.ts";
import { applyForClass } from "../classroom/enrolment-service.ts";
import { placesLeftLabel } from "../classroom/class-rules.ts";
import { createCertificateStore } from "../certificates/store.ts";

/**
 * The guide's learner screens for one learning certification: the certification page
 * (Subscribe / Unsubscribe, its Components table with Play), the Subscribe confirmation (Back /
 * Finish), the class summary of a component (Cancel / Apply), and the warning before playing
 * learning that would not count.
 */
export function certificationRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const base = "/learning/certifications/:certificationId";
  const actor = (req: Request, res: Response) => {
    const user = res.locals.user as { personId: number; accountId: number };
    return { personId: user.personId, accountId: user.accountId, ip: req.ip ?? null };
  };
  const load = async (req: Request, res: Response) => {
    const certificationId = Number(req.params.certificationId);
    const view = isRowId(certificationId) ? await certificationView(db, actor(req, res).personId, certificationId, clock.today()) : undefined;
    if (!view) throw notFound("That certification");
    return view;
  };
  const render = (req: Request, res: Response, template: string, locals: Record<string, unknown>) =>
    res.render(template, { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDate, localTime, now: clock.now().toISOString(), ...locals });
  const back = (view: { certification: { id: number } }) => `/learning/certifications/${view.certification.id}`;

  router.get(base, requireLogin, async (req, res) => {
    const view = await load(req, res);
    // Download certificate: for the latest completion, also while a renewal is under way.
    const certificateSubscriptionId = await createCertificateStore(db).latestCompleted(actor(req, res).personId, view.certification.id);
    const notice = req.query.done === "cancelled" ? "Your class booking is cancelled. Choose or Enrol in class to book another." : undefined;
    render(req, res, "learning/certification", { view, certificateSubscriptionId, notice });
  });

  router.get(`${base}/subscribe`, requireLogin, async (req, res) => {
    render(req, res, "learning/subscribe", { view: await load(req, res) });
  });

  router.post(`${base}/subscribe`, requireLogin, async (req, res) => {
    const view = await load(req, res);
    // Finish pressed twice, or sent again from the browser's history: the learner is subscribed,
    // which is what they asked for, so show the certification rather than an error.
    await subscribe(db, clock, actor(req, res), view.certification.id).catch((error) => {
      if ((error as { code?: string }).code !== "learning.already_subscribed") throw error;
    });
    res.redirect(303, back(view));
  });

  // Unsubscribing asks first: it stops learning counting, and one click on the page was too easy.
  router.get(`${base}/unsubscribe`, requireLogin, async (req, res) => {
    const view = await load(req, res);
    if (view.subscription?.status !== "Subscribed") return res.redirect(303, back(view));
    render(req, res, "learning/unsubscribe", { view });
  });

  router.post(`${base}/unsubscribe`, requireLogin, async (req, res) => {
    const view = await load(req, res);
    await unsubscribe(db, clock, actor(req, res), view.certification.id);
    res.redirect(303, back(view));
  });

  // Choose or Enrol in class: a course with classroom classes lists them (and its e-learning class,
  // if any) to choose from; an e-learning-only course shows its Class Summary, as before.
  const classChoices = async (req: Request, res: Response) => {
    const view = await load(req, res);
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
        return render(req, res, "learning/choose-class", { view, component, classes, placesLeftLabel, problems: ["Choose a class, then Apply"] });
      }
      await enrol(db, clock, actor(req, res), view.certification.id, Number(req.params.componentId));
      return res.redirect(303, back(view));
    }
    try {
      await applyForClass(db, clock, actor(req, res), view.certification.id, component.componentId, chosen);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      res.status(409);
      return render(req, res, "learning/choose-class", { view, component, classes, placesLeftLabel, problems: [error.message] });
    }
    res.redirect(303, back(view));
  });

  router.get(`${base}/components/:componentId/play`, requireLogin, async (req, res) => {
    const view = await load(req, res);
    const component = view.components.find((row) => String(row.componentId) === req.params.componentId);
    if (!component?.offer) throw notFound("That component");
    render(req, res, "learning/play-warning", { view, component });
  });

  return router;
}
