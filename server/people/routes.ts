import { guideDate } from "../format.ts";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import type { MailDelivery } from "../mail/index.ts";
import { requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { AppError, notFound } from "../errors.ts";
import { isCalendarDate } from "../clock.ts";
import { ROLE_LABELS, ROLES, type Role } from "../web/roles.ts";
import { createPeopleStore } from "./store.ts";
import { EMAIL_PATTERN } from "./names.ts";
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
  const formPage = async (req: Request, res: Response, values: Record<string, string>, problems: string[] = []) =>
    render(req, res, "people/new", { values, problems, positions: await positions(), roles: ROLES, roleLabels: ROLE_LABELS });

  router.get("/admin/people/new", admin, async (req, res) => formPage(req, res, {}));

  router.post("/admin/people", admin, async (req, res) => {
    const values = textFields(req.body, ["lastName", "firstName", "email", "day", "month", "year", "employeeNumber", "username", "role", "number", "position", "startDate"]);
    // Nothing chosen is a learner; anything not a role (a tampered form) is refused by addPerson, not quietly made a learner.
    const role = (values.role || "learner") as Role;
    const missing = formProblems(values);
    if (missing.length) {
      res.status(400);
      return formPage(req, res, values, missing);
    }
    try {
      const added = await addPerson(recovery, actorOf(req, res), {
        name: `${values.lastName}, ${values.firstName}`,
        email: values.email!,
        dob: dateFrom(values),
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
      await formPage(req, res, values, error.details.length ? error.details : [error.message]);
    }
  });

  router.get("/admin/people/:personId/edit", admin, async (req, res) => {
    render(req, res, "people/edit", { ...(await personPage(req)), notice: NOTICES[String(req.query.done)] });
  });

  router.post("/admin/people/:personId/details", admin, async (req, res) => {
    const page = await personPage(req);
    const values = textFields(req.body, ["lastName", "firstName", "email", "day", "month", "year"]);
    const missing = formProblems(values);
    if (missing.length) {
      res.status(400);
      return render(req, res, "people/edit", { ...page, values, problems: missing });
    }
    try {
      await updateDetails(db, clock, actorOf(req, res), page.person.id, { lastName: values.lastName!, firstName: values.firstName!, email: values.email!, dob: dateFrom(values) });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "people.invalid_details") throw error;
      res.status(400);
      return render(req, res, "people/edit", { ...page, values, problems: error.details });
    }
    res.redirect(303, `/admin/people/${page.person.id}/edit?done=details`);
  });

  router.post("/admin/people/:personId/assignments", admin, async (req, res) => {
    const page = await personPage(req);
    const values = textFields(req.body, ["number", "position", "startDate"]);
    try {
      await setAssignment(db, clock, actorOf(req, res), page.person.id, { number: values.number!, position: values.position!, ...(values.startDate ? { startDate: values.startDate } : {}) });
    } catch (error) {
      if (!(error instanceof AppError) || !error.code.startsWith("people.")) throw error;
      res.status(error.status);
      return render(req, res, "people/edit", { ...page, assignmentValues: values, problems: [error.message] });
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
      assignmentValues: { number: "", position: "", startDate: "" } as Record<string, string>,
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

/** Day, Month and Year fields as YYYY-MM-DD; anything else is left for the date check to name. */
function dateFrom(values: Record<string, string>): string {
  const { day = "", month = "", year = "" } = values;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return `${year}-${month}-${day}`;
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
}

/** The form's own problems, in its own words, before the rules shared with the CLI and CSV apply. */
function formProblems(values: Record<string, string>): string[] {
  const problems: string[] = [];
  if (!values.lastName) problems.push("Enter the last name");
  if (!values.firstName) problems.push("Enter the first name");
  if (values.lastName?.includes(",") || values.firstName?.includes(",")) problems.push("Names cannot contain a comma");
  if (!EMAIL_PATTERN.test(values.email ?? "")) problems.push("Enter an email address, like name@example.org");
  const dob = dateFrom(values);
  if (!isCalendarDate(dob)) problems.push("Date of birth must be a real date, for example 12 4 1988");
  return problems;
}
