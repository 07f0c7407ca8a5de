import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { guideDate, guideDateTime } from "../format.ts";
import { localTime } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { FormRefusal } from "../problems.ts";
import { formOf, placesLeftLabel, type ClassForm } from "./class-rules.ts";
import { createClassStore } from "./class-store.ts";
import { cancelClass, createClass, markAttendance, updateClass } from "./class-admin.ts";
import { cancelEnrolment, decideRequest, type Actor } from "./enrolment-service.ts";

/**
 * Classroom classes for L&D administrators: the list, a class's form (date, times, venue,
 * capacity, approval), its people (enrolled, requested, waiting, attended), their decisions and
 * attendance, and cancelling the class. Every form posts back and, on a problem, shows the form
 * again with what was typed and every problem listed.
 */
export function classAdminRoutes({ db, clock }: AppDeps): Router {
  const router = Router();
  const admin = requireRole("admin");
  const render = (req: Request, res: Response, view: string, locals: Record<string, unknown>) =>
    res.render(view, { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDate, guideDateTime, localTime, placesLeftLabel, problems: [], notice: undefined, ...locals });
  const actorOf = (req: Request, res: Response): Actor => ({ accountId: (res.locals.user as { accountId: number }).accountId, ip: req.ip ?? null });
  const courses = () => createClassStore(db).courseChoices();
  const classOf = async (req: Request) => {
    const id = Number(req.params.classId);
    const found = isRowId(id) ? await createClassStore(db).classById(id) : undefined;
    if (!found) throw notFound("That class");
    return found;
  };
  const classPage = async (req: Request, res: Response, locals: Record<string, unknown> = {}) => {
    const classroom = await classOf(req);
    render(req, res, "classroom/class", { classroom, values: formOf(classroom), reasons: {}, people: await createClassStore(db).people(classroom.id), now: clock.now().toISOString(), notice: NOTICES[String(req.query.done)], ...locals });
  };

  router.get("/admin/classes", admin, async (req, res) => {
    render(req, res, "classroom/classes", { classes: await createClassStore(db).list(), now: clock.now().toISOString(), notice: NOTICES[String(req.query.done)] });
  });

  router.get("/admin/classes/new", admin, async (req, res) => {
    const courseId = Number(req.query.courseId);
    render(req, res, "classroom/new-class", { courses: await courses(), courseId: isRowId(courseId) ? courseId : null, values: { title: "", date: "", startTime: "09:30", endTime: "12:30", venue: "", capacity: "12", requiresApproval: false } });
  });

  router.post("/admin/classes", admin, async (req, res) => {
    const values = readClassForm(req.body ?? {});
    const courseId = Number(field(req.body ?? {}, "courseId"));
    try {
      const id = await createClass(db, clock, actorOf(req, res), courseId, values);
      res.redirect(303, `/admin/classes/${id}?done=created`);
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      res.status(400);
      render(req, res, "classroom/new-class", { courses: await courses(), courseId: isRowId(courseId) ? courseId : null, values, problems: error.problems });
    }
  });

  router.get("/admin/classes/:classId", admin, async (req, res) => classPage(req, res));

  router.post("/admin/classes/:classId", admin, async (req, res) => {
    const classroom = await classOf(req);
    const values = readClassForm(req.body ?? {});
    try {
      await updateClass(db, clock, actorOf(req, res), classroom.id, values);
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      res.status(400);
      return classPage(req, res, { values, problems: error.problems });
    }
    res.redirect(303, `/admin/classes/${classroom.id}?done=saved`);
  });

  /**
   * A reason missing or too long comes back as the class page with the problem on the reason's
   * field (its id given); what the class's state no longer allows (started, decided already: 409)
   * comes back as the class page too, its reason in the summary, linked to no field.
   */
  const withReason = async (req: Request, res: Response, reasonField: string, work: (reason: string) => Promise<unknown>, done: string) => {
    const classroom = await classOf(req);
    const reason = field(req.body ?? {}, "reason");
    try {
      if (reason.length > 500) throw new AppError("classroom.reason_too_long", "The reason must be 500 characters or fewer.", 400);
      await work(reason);
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
      res.status(error.status);
      return classPage(req, res, { problems: [error.status === 400 ? { field: reasonField, message: error.message } : error.message], reasons: { [reasonField]: reason } });
    }
    res.redirect(303, `/admin/classes/${classroom.id}?done=${done}`);
  };

  router.post("/admin/classes/:classId/cancel", admin, async (req, res) => {
    await withReason(req, res, "cancel-reason", async (reason) => cancelClass(db, clock, actorOf(req, res), (await classOf(req)).id, reason), "cancelled");
  });

  // One person's enrolment in the class: decide a request, mark attendance, or cancel their booking.
  const ACTIONS = {
    approve: (actor: Actor, id: number, reason: string) => decideRequest(db, clock, actor, id, true, reason),
    reject: (actor: Actor, id: number, reason: string) => decideRequest(db, clock, actor, id, false, reason),
    attended: (actor: Actor, id: number) => markAttendance(db, clock, actor, id, true),
    "did-not-attend": (actor: Actor, id: number) => markAttendance(db, clock, actor, id, false),
    cancel: (actor: Actor, id: number, reason: string) => cancelEnrolment(db, clock, actor, id, "l&d", reason),
  } as const;
  for (const [action, act] of Object.entries(ACTIONS)) {
    router.post(`/admin/classes/:classId/enrolments/:enrolmentId/${action}`, admin, async (req, res) => {
      const classroom = await classOf(req);
      const enrolmentId = Number(req.params.enrolmentId);
      const enrolment = isRowId(enrolmentId) ? await createClassStore(db).enrolment(enrolmentId) : undefined;
      if (!enrolment || enrolment.classId !== classroom.id) throw notFound("That enrolment");
      // The reason's field in the person's row: class.ejs names it so.
      const reasonField = `${action === "cancel" ? "cancel" : "reject"}-${enrolmentId}`;
      await withReason(req, res, reasonField, (reason) => act(actorOf(req, res), enrolmentId, reason), action);
    });
  }

  return router;
}

const NOTICES: Record<string, string> = {
  created: "The class has been added. Learners can choose it from the component's Choose or Enrol in class.",
  saved: "The class has been saved. Anyone on the waiting list has been given any new places.",
  cancelled: "The class has been cancelled, and everyone booked on it has been told.",
  approve: "The request has been approved, and the learner told.",
  reject: "The request has been rejected, and the learner told why.",
  attended: "Marked Attended: the component is credited as for a completed e-learning course.",
  "did-not-attend": "Marked Did Not Attend.",
  cancel: "The booking has been cancelled, and the learner told why. A place freed went to the first on the waiting list.",
};

type Body = Record<string, unknown>;
const field = (body: Body, name: string): string => (typeof body[name] === "string" ? String(body[name]).trim() : "");

function readClassForm(body: Body): ClassForm {
  return {
    title: field(body, "title"),
    date: field(body, "date"),
    startTime: field(body, "startTime"),
    endTime: field(body, "endTime"),
    venue: field(body, "venue"),
    capacity: field(body, "capacity"),
    requiresApproval: field(body, "requiresApproval") === "yes",
  };
}
