import { Router } from "express";
import type { AppDeps } from "./app.ts";
import { requireLogin } from "./auth.ts";
import { generateCsrfToken } from "./session.ts";
import { createPeopleStore } from "../people/store.ts";
import { displayName } from "../people/names.ts";
import { personCompliance } from "../compliance/service.ts";
import { notFound } from "../errors.ts";
import { competencyLabel, guideDate, percentage } from "./format.ts";

/** The portal home a learner lands on after logging in: who they are and their compliance. */
export function portalRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  router.get("/", requireLogin, async (req, res) => {
    const person = await createPeopleStore(db).personById(req.session.personId!);
    if (!person) throw notFound("Your person record");
    const assignments = await personCompliance(db, person.id, clock.today());
    const chosen = assignments.find((view) => String(view.assignment.id) === req.query.assignment) ?? assignments[0];
    res.render("portal", {
      user: res.locals.user,
      csrfToken: generateCsrfToken(req),
      employeeName: displayName(person),
      employeeNumber: person.employeeNumber,
      assignments,
      chosen,
      format: { competencyLabel, guideDate, percentage },
    });
  });
  return router;
}
