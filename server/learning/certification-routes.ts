import { isRowId } from "../db/connect.ts";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { notFound } from "../errors.ts";
import { certificationView } from "./certification-view.ts";
import { subscribe, unsubscribe } from "./subscriptions.ts";
import { localTime } from "../clock.ts";
import { latestCompletedSubscription } from "../certificates/index.ts";
import { mayReadDiscussion } from "../forums/index.ts";
import type { Role } from "../web/roles.ts";

/**
 * The guide's learner screens for one learning certification: the certification page
 * (Subscribe / Unsubscribe, its Components table with Play), the Subscribe confirmation (Back /
 * Finish), and the warning before playing learning that would not count. A component's Choose or
 * Enrol in class (Cancel / Apply) is the classroom area's (classroom/learner-routes.ts).
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
    res.render(template, { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDate, competencyLabel, localTime, now: clock.now().toISOString(), ...locals });
  const back = (view: { certification: { id: number } }) => `/learning/certifications/${view.certification.id}`;

  router.get(base, requireLogin, async (req, res) => {
    const view = await load(req, res);
    // Download certificate: for the latest completion, also while a renewal is under way.
    const certificateSubscriptionId = await latestCompletedSubscription(db, actor(req, res).personId, view.certification.id);
    const notice = req.query.done === "cancelled" ? "Your class booking is cancelled. Choose or Enrol in class to book another." : undefined;
    // Its discussion is linked only for those who may read it: the link would lead others to a refusal.
    const user = res.locals.user as { personId: number; accountId: number; role: Role };
    const forumOpen = await mayReadDiscussion(db, { accountId: user.accountId, personId: user.personId, role: user.role }, "certification", view.certification.id);
    render(req, res, "learning/certification", { view, certificateSubscriptionId, notice, forumOpen });
  });

  // After completing, subscribing again is a renewal: only once the renewal rule offers it (the
  // page says when that is), as one made earlier would date the new expiry from years too soon.
  const renewalClosed = (view: Awaited<ReturnType<typeof load>>) => view.completion !== null && !view.completion.renewal.offered;

  router.get(`${base}/subscribe`, requireLogin, async (req, res) => {
    const view = await load(req, res);
    if (renewalClosed(view)) return res.redirect(303, back(view));
    render(req, res, "learning/subscribe", { view });
  });

  router.post(`${base}/subscribe`, requireLogin, async (req, res) => {
    const view = await load(req, res);
    if (renewalClosed(view)) return res.redirect(303, back(view));
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

  router.get(`${base}/components/:componentId/play`, requireLogin, async (req, res) => {
    const view = await load(req, res);
    const component = view.components.find((row) => String(row.componentId) === req.params.componentId);
    if (!component?.offer) throw notFound("That component");
    render(req, res, "learning/play-warning", { view, component });
  });

  return router;
}
