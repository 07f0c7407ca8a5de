import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { AppError, notFound } from "../errors.ts";
import { FormRefusal } from "../problems.ts";
import { deleteCatalogRow, saveCertification, saveCompetency, savePosition } from "./editing.ts";
import type { Actor } from "../audit/index.ts";
import { catalogOverview, certificationForm, competencyForm, positionForm } from "./catalog-page-reads.ts";

type Kind = "competency" | "certification" | "position";

/**
 * Catalog management for course authors and L&D: competencies, certifications with their
 * components, positions with their essential requirements. Every form posts back to itself and,
 * on a problem, shows the form again with what was typed and every problem listed.
 */
export function catalogRoutes(deps: AppDeps): Router {
  const { db, clock } = deps;
  const router = Router();
  const author = requireRole("author");
  const render = (req: Request, res: Response, view: string, locals: Record<string, unknown>) =>
    res.render(view, { user: res.locals.user, csrfToken: generateCsrfToken(req), problems: [], notice: undefined, typed: {}, ...locals });
  const actorOf = (req: Request, res: Response): Actor => ({ accountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null });

  router.get("/catalog", author, async (req, res) => {
    render(req, res, "catalog/index", { ...(await catalogOverview(db)), notice: NOTICES[String(req.query.done)] });
  });

  const forms = {
    competency: { view: "catalog/competency", load: (id: number | undefined) => competencyForm(db, id), read: readCompetency, save: saveCompetency },
    certification: { view: "catalog/certification", load: (id: number | undefined) => certificationForm(db, id), read: readCertification, save: saveCertification },
    position: { view: "catalog/position", load: (id: number | undefined) => positionForm(db, id), read: readPosition, save: savePosition },
  } as const;

  for (const [kind, form] of Object.entries(forms) as Array<[Kind, (typeof forms)[Kind]]>) {
    const base = `/catalog/${PLURAL[kind]}`;
    router.get(`${base}/new`, author, async (req, res) => render(req, res, form.view, await form.load(undefined)));

    router.get(`${base}/:id`, author, async (req, res) => render(req, res, form.view, await form.load(idOf(req, kind))));

    // One handler for "add" (no id) and "save changes".
    const post = (withId: boolean) => async (req: Request, res: Response) => {
      const id = withId ? idOf(req, kind) : undefined;
      const values = form.read(req.body ?? {});
      try {
        await (form.save as (...args: unknown[]) => Promise<number>)(db, clock, actorOf(req, res), id, values);
      } catch (error) {
        if (!(error instanceof FormRefusal)) throw error;
        const page = await form.load(id);
        res.status(400);
        // The day counts as typed ("three years" reads as no number, and would come back empty).
        return render(req, res, form.view, { ...page, values, problems: error.problems, typed: typedDays(req.body ?? {}) });
      }
      res.redirect(303, `/catalog?done=${kind}`);
    };
    router.post(base, author, post(false));
    router.post(`${base}/:id`, author, post(true));

    router.post(`${base}/:id/delete`, author, async (req, res) => {
      const id = idOf(req, kind);
      try {
        await deleteCatalogRow(db, clock, actorOf(req, res), kind, id);
      } catch (error) {
        // Still in use: its page again, saying what uses it (no field of the form is wrong, so the summary links nowhere).
        if (!(error instanceof AppError) || error.code !== "catalog.in_use") throw error;
        res.status(409);
        return render(req, res, form.view, { ...(await form.load(id)), problems: [error.message] });
      }
      res.redirect(303, `/catalog?done=deleted`);
    });
  }

  return router;
}

const PLURAL: Record<Kind, string> = { competency: "competencies", certification: "certifications", position: "positions" };

const NOTICES: Record<string, string> = {
  competency: "The competency has been saved.",
  certification: "The certification has been saved. Open subscriptions were checked against its components.",
  position: "The position has been saved. Compliance of everyone holding it now follows its requirements.",
  deleted: "Deleted.",
};

function idOf(req: Request, kind: Kind): number {
  const id = Number(req.params.id);
  if (!isRowId(id)) throw notFound(`That ${kind}`);
  return id;
}

type Body = Record<string, unknown>;
const field = (body: Body, name: string): string => (typeof body[name] === "string" ? String(body[name]).trim() : "");
/** A form's repeated field: one value arrives as a string, several as an array. */
const fields = (body: Body, name: string): string[] => {
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => String(item).trim());
};
/** The day-count fields as typed, by their inputs' ids, to show again beside their problems. */
function typedDays(body: Body): Record<string, string> {
  const names = ["validDays", "completeWithinDays", ...Object.keys(body).filter((name) => /^due-\d+$/.test(name))];
  return Object.fromEntries(names.map((name) => [name, field(body, name).slice(0, 100)]));
}

/** "365" -> 365; "" -> undefined (reported as missing); "1.5" or "abc" -> NaN (reported as not whole). */
const wholeNumber = (text: string): number | undefined => (text === "" ? undefined : /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN);

function readCompetency(body: Body) {
  return { name: field(body, "name"), description: field(body, "description") };
}

function readCertification(body: Body) {
  const courses = fields(body, "course");
  const requires = fields(body, "requires");
  const satisfiedBy = fields(body, "satisfiedBy");
  const order = fields(body, "order");
  // Rows left without a course are the form's spare rows: skipped. Order sorts the rest.
  const components = courses
    .map((course, index) => ({ course, requires: requires[index] ?? "completion", satisfiedBy: satisfiedBy[index] || undefined, order: Number(order[index]) || index + 1, index }))
    .filter((row) => row.course)
    .sort((a, b) => a.order - b.order || a.index - b.index)
    .map(({ course, requires: needs, satisfiedBy: by }) => ({ course, requires: needs as "completion" | "pass", ...(by ? { satisfiedBy: by } : {}) }));
  return {
    name: field(body, "name"),
    competencyId: Number(field(body, "competencyId")) || 0,
    competenceLevel: field(body, "competenceLevel"),
    validDays: wholeNumber(field(body, "validDays")) as number,
    completeWithinDays: wholeNumber(field(body, "completeWithinDays")) as number,
    renewable: field(body, "renewable") === "yes",
    description: field(body, "description"),
    components,
  };
}

function readPosition(body: Body) {
  const requirements = fields(body, "competencyId")
    .map((competencyId) => ({ competencyId: Number(competencyId), need: field(body, `need-${competencyId}`), minLevel: field(body, `minLevel-${competencyId}`), due: field(body, `due-${competencyId}`) }))
    .filter((row) => row.need === "essential" || row.need === "desirable")
    .map((row) => ({
      competencyId: row.competencyId,
      essential: row.need === "essential",
      ...(row.minLevel ? { minLevel: row.minLevel } : {}),
      ...(row.due ? { dueWithinDays: wholeNumber(row.due) as number } : {}),
    }));
  return { name: field(body, "name"), requirements };
}
