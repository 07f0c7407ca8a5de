import { Router } from "express";
import type { AppDeps } from "./app.ts";
import { requireLogin } from "./auth.ts";
import { generateCsrfToken } from "./session.ts";
import { createPeopleStore } from "../people/store.ts";
import { displayName } from "../people/names.ts";
import { notFound } from "../errors.ts";

/** The portal home a learner lands on after logging in. */
export function portalRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.get("/", requireLogin, async (req, res) => {
    const people = createPeopleStore(db);
    const person = await people.personById(req.session.personId!);
    if (!person) throw notFound("Your person record");
    const assignments = await people.assignmentsOf(person.id);
    res.render("portal", {
      user: res.locals.user,
      csrfToken: generateCsrfToken(req),
      employeeName: displayName(person),
      employeeNumber: person.employeeNumber,
      assignments,
    });
  });
  return router;
}
