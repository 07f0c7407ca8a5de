import { guideDate } from "../format.ts";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import type { MailDelivery } from "../mail/index.ts";
import { requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { AppError, notFound } from "../errors.ts";
import { FormRefusal, type Problem } from "../problems.ts";
import { ROLE_LABELS, ROLES, type Role } from "../web/roles.ts";
import { createPeopleStore } from "./store.ts";
import { assignmentProblems, dateOfBirth, detailsProblems, newPersonProblems } from "./person-form.ts";
import { addPerson, removeAssignment, setAssignment, updateDetails } from "./people-admin.ts";
import type { Actor } from "../audit/index.ts";

/**
 * People and assignments for L&D: add a person, change their details and assignments (many at a
 * time: the people CSV upload, setup/routes.ts). Mounted before the administration routes, so
 * that /admin/people/new is this page and not a person with the id "new".
 */
export function peopleRoutes(deps: AppDeps & { mail: MailDelivery }): Router {
  const { db, clock, config, mail } = deps;
  const recovery = { db, clock, publicUrl: config.publicUrl };
  const router = Router();
  const admin = requireRole("admin");
  const render = (req: Request, res: Response, view: string, locals: Record<string, unknown>) =>
    res.render(view, { user: res.locals.user, csrfToken: generateCsrfToken(req), problems: [], notice: undefined, ...locals });
  const actorOf = (req: Request, res: Response): Actor => ({ accountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null });
  const positions = () => createPeopleStore(db).allPositionNames();
  const formPage = async (req: Request, res: Response, values: Record<string, string>, problems: Array<Problem | string> = []) =>
    render(req, res, "people/new", { values, problems, positions: await positions(), roles: ROLES, roleLabels: ROLE_LABELS });

  router.get("/admin/people/new", admin, async (req, res) => formPage(req, res, {}));

  router.post("/admin/people", admin, async (req, res) => {
    const values = textFields(req.body, ["lastName", "firstName", "email", "day", "month", "year", "employeeNumber", "username", "role", "number", "position", "startDate"]);
    // Nothing chosen is a learner; anything not a role (a tampered form) is refused by addPerson, not quietly made a learner.
    const role = (values.role || "learner") as Role;
    const problems = newPersonProblems(values, clock.today());
    if (!problems.empty) {
      res.status(400);
      return formPage(req, res, values, problems.problems);
    }
    try {
      const added = await addPerson(recovery, actorOf(req, res), {
        name: `${values.lastName}, ${values.firstName}`,
        email: values.email!,
        dob: dateOfBirth(values),
        role,
        ...(values.employeeNumber ? { employeeNumber: values.employeeNumber } : {}),
        ...(values.username ? { username: values.username } : {}),
        assignments: values.number || values.position ? [{ number: values.number!, position: values.position!, ...(values.startDate ? { startDate: values.startDate } : {}) }] : [],
      });
      mail.kick();
      res.redirect(303, `/admin/people/${added.personId}/edit?done=added`);
    } catch (error) {
      if (!(error instanceof AppError) || !error.code.startsWith("people.")) throw error;
      res.status(error.status);
      await formPage(req, res, values, refusalProblems(error));
    }
  });

  router.get("/admin/people/:personId/edit", admin, async (req, res) => {
    render(req, res, "people/edit", { ...(await personPage(req)), notice: NOTICES[String(req.query.done)] });
  });

  router.post("/admin/people/:personId/details", admin, async (req, res) => {
    const page = await personPage(req);
    const values = textFields(req.body, ["lastName", "firstName", "email", "day", "month", "year"]);
    const problems = detailsProblems(values, clock.today());
    if (!problems.empty) {
      res.status(400);
      return render(req, res, "people/edit", { ...page, values, problems: problems.problems });
    }
    try {
      await updateDetails(db, clock, actorOf(req, res), page.person.id, { lastName: values.lastName!, firstName: values.firstName!, email: values.email!, dob: dateOfBirth(values) });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "people.invalid_details") throw error;
      res.status(400);
      return render(req, res, "people/edit", { ...page, values, problems: refusalProblems(error) });
    }
    res.redirect(303, `/admin/people/${page.person.id}/edit?done=details`);
  });

  router.post("/admin/people/:personId/assignments", admin, async (req, res) => {
    const page = await personPage(req);
    const values = textFields(req.body, ["number", "position", "startDate", "lineManager"]);
    const problems = assignmentProblems(values);
    if (!problems.empty) {
      res.status(400);
      return render(req, res, "people/edit", { ...page, assignmentValues: values, problems: problems.problems });
    }
    try {
      await setAssignment(db, clock, actorOf(req, res), page.person.id, { number: values.number!, position: values.position!, ...(values.startDate ? { startDate: values.startDate } : {}), ...(values.lineManager ? { lineManager: values.lineManager } : {}) });
    } catch (error) {
      if (!(error instanceof AppError) || !error.code.startsWith("people.")) throw error;
      res.status(error.status);
      return render(req, res, "people/edit", { ...page, assignmentValues: values, problems: refusalProblems(error) });
    }
    res.redirect(303, `/admin/people/${page.person.id}/edit?done=assignment`);
  });

  router.post("/admin/people/:personId/assignments/:number/remove", admin, async (req, res) => {
    const page = await personPage(req);
    await removeAssignment(db, clock, actorOf(req, res), page.person.id, String(req.params.number));
    res.redirect(303, `/admin/people/${page.person.id}/edit?done=removed`);
  });

  async function personPage(req: Request) {
    const id = Number(req.params.personId);
    const people = createPeopleStore(db);
    const person = isRowId(id) ? await people.personById(id) : undefined;
    if (!person) throw notFound("That person");
    const [year, month, day] = person.dateOfBirth.split("-");
    return {
      person,
      assignments: await people.assignmentsOf(person.id),
      positions: await positions(),
      values: { lastName: person.lastName, firstName: person.firstName, email: person.email, day: String(Number(day)), month: String(Number(month)), year: year! } as Record<string, string>,
      assignmentValues: { number: "", position: "", startDate: "", lineManager: "" } as Record<string, string>,
      guideDate,
    };
  }

  return router;
}

const NOTICES: Record<string, string> = {
  added: "The person has been added. They have been emailed their username and a link to choose their password.",
  details: "The details have been saved.",
  assignment: "The assignment has been saved. Their compliance now follows its position's requirements.",
  removed: "The assignment has been removed. Their competence records are kept.",
};

function textFields(body: unknown, names: string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((name) => [name, typeof source[name] === "string" ? String(source[name]).trim().slice(0, 300) : ""]));
}

/**
 * What the rules shared with the CLI and the CSV (service.ts) still refused once the form's own
 * checks passed, on the field each is about; a rule the form has no field for is listed unlinked.
 */
const REFUSAL_FIELDS: Record<string, string> = {
  "people.username_taken": "username",
  "people.employee_number_taken": "employeeNumber",
  "people.already_exists": "email",
  "people.unknown_position": "position",
  "people.assignment_taken": "number",
  "people.assignment_number": "number",
  "people.assignment_start": "startDate",
};

function refusalProblems(error: AppError): Array<Problem | string> {
  if (error instanceof FormRefusal) return error.problems;
  const field = REFUSAL_FIELDS[error.code];
  if (field) return [{ field, message: error.message }];
  return error.details.length ? error.details : [error.message];
}
