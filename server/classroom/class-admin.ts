import { isRowId, type Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { FormRefusal, type Problem } from "../problems.ts";
import { recordAudit } from "../audit/index.ts";
import { attendanceAttempt, CANCELLABLE_STATES, creditEarnedAttempts } from "../learning/index.ts";
import { checkClassForm, type ClassFacts, type ClassForm } from "./class-rules.ts";
import { createClassStore } from "./class-store.ts";
import { classLine, fillPlaces, tellLearner, type Actor } from "./enrolment-service.ts";

/** The class form's problems, each on its field, for the form to show again with what was typed. */
const invalid = (problems: Problem[]) => new FormRefusal("classroom.invalid", problems);

const columns = (facts: ClassFacts) => ({ title: facts.title, starts_at: facts.startsAt, ends_at: facts.endsAt, venue: facts.venue, capacity: facts.capacity, requires_approval: facts.requiresApproval });

/** L&D add a classroom class to a course (a course may have its e-learning class and any number of these). */
export async function createClass(db: Db, clock: Clock, actor: Actor, courseId: number, form: ClassForm): Promise<number> {
  return db.transaction(async (trx) => {
    const store = createClassStore(trx);
    const course = isRowId(courseId) ? await store.course(courseId) : undefined;
    const now = clock.now().toISOString();
    const checked = checkClassForm(form, now);
    // The course's problem and the form's, all at once.
    if (!course) throw invalid([{ field: "courseId", message: "Choose the course the class is for" }, ...checked.problems]);
    if (!("facts" in checked)) throw invalid(checked.problems);
    const classId = await store.insertClass({ course_id: courseId, kind: "classroom", status: "open", created_at: now, ...columns(checked.facts) });
    await recordAudit(trx, { kind: "class.created", at: now, actorAccountId: actor.accountId, ip: actor.ip, detail: { classId, course: course.code, ...checked.facts } });
    return classId;
  });
}

/**
 * L&D change a class. Capacity may not drop below the places already held; raised, the waiting
 * list moves up into the new places at once.
 */
export async function updateClass(db: Db, clock: Clock, actor: Actor, classId: number, form: ClassForm): Promise<void> {
  await db.transaction(async (trx) => {
    const store = createClassStore(trx);
    if (!isRowId(classId) || !(await store.lock(classId))) throw notFound("That class");
    const before = (await store.classById(classId))!;
    if (before.status === "cancelled") throw new AppError("classroom.class_cancelled", "This class has been cancelled and cannot be changed.", 409);
    const now = clock.now().toISOString();
    const checked = checkClassForm(form, now, before.startsAt);
    if (!("facts" in checked)) throw invalid(checked.problems);
    if (checked.facts.capacity < before.placesTaken) throw invalid([{ field: "capacity", message: `${before.placesTaken} people hold places: capacity cannot be less than that` }]);
    await store.updateClass(classId, columns(checked.facts));
    await recordAudit(trx, { kind: "class.updated", at: now, actorAccountId: actor.accountId, ip: actor.ip, detail: { classId, course: before.courseCode, ...checked.facts, capacityWas: before.capacity } });
    if (checked.facts.capacity > before.capacity) await fillPlaces(trx, classId, now, `capacity raised from ${before.capacity} to ${checked.facts.capacity}`);
  });
}

/** L&D cancel a class before it starts: every place, request and waiting-list entry ends, each learner told why. */
export async function cancelClass(db: Db, clock: Clock, actor: Actor, classId: number, reason: string): Promise<number> {
  return db.transaction(async (trx) => {
    const store = createClassStore(trx);
    if (!isRowId(classId) || !(await store.lock(classId))) throw notFound("That class");
    const classroom = (await store.classById(classId))!;
    const now = clock.now().toISOString();
    if (!reason) throw new AppError("classroom.reason_required", "Give a reason for cancelling the class: everyone booked on it is sent it.", 400);
    if (reason.length > 500) throw new AppError("classroom.reason_too_long", "The reason must be 500 characters or fewer.", 400);
    if (classroom.status === "cancelled") throw new AppError("classroom.class_cancelled", "This class has been cancelled already.", 409);
    if (classroom.startsAt <= now) throw new AppError("classroom.class_started", "The class has started: mark attendance instead of cancelling it.", 409);
    await store.updateClass(classId, { status: "cancelled", cancelled_at: now, cancel_reason: reason });
    const booked = (await store.people(classId)).filter((enrolment) => CANCELLABLE_STATES.includes(enrolment.state));
    for (const enrolment of booked) {
      await store.move(enrolment.id, enrolment.state, { status: "Cancelled", ended_at: now, reason, decided_by: actor.accountId, decided_at: now });
      await recordAudit(trx, { kind: "enrolment.cancelled", at: now, actorAccountId: actor.accountId, personId: enrolment.personId, ip: actor.ip, detail: { enrolmentId: enrolment.id, classId, course: classroom.courseCode, was: enrolment.state, by: "l&d", reason, cause: "class cancelled" } });
      await tellLearner(trx, enrolment.personId, "Class cancelled", [`Learning and Development have cancelled ${classLine(classroom)}.`, "", `Reason: ${reason}`, "", "Choose another class on your certification page."], now);
    }
    await recordAudit(trx, { kind: "class.cancelled", at: now, actorAccountId: actor.accountId, ip: actor.ip, detail: { classId, course: classroom.courseCode, reason, enrolmentsCancelled: booked.length } });
    return booked.length;
  });
}

/**
 * L&D mark attendance once the class has started. Attended is recorded as a finished attempt of
 * kind "classroom" (started when the class started, completed when it ended), then credited by the
 * same crediting as a SCORM completion: rule 1 by the class's start, the same audit, component
 * credits, certification completion and competence record. Did Not Attend credits nothing; it
 * may be corrected to Attended, but Attended is final (credited learning is never taken back).
 */
export async function markAttendance(db: Db, clock: Clock, actor: Actor, enrolmentId: number, attended: boolean): Promise<void> {
  await db.transaction(async (trx) => {
    const store = createClassStore(trx);
    const found = isRowId(enrolmentId) ? await store.enrolment(enrolmentId) : undefined;
    if (!found) throw notFound("That enrolment");
    await store.lock(found.classId);
    const enrolment = (await store.enrolment(enrolmentId))!;
    const classroom = (await store.classById(enrolment.classId))!;
    const now = clock.now().toISOString();
    if (classroom.status === "cancelled") throw new AppError("classroom.class_cancelled", "This class was cancelled: there is no attendance to mark.", 409);
    if (classroom.startsAt > now) throw new AppError("classroom.not_started", "Attendance can be marked once the class has started.", 409);
    const allowed = attended ? ["Enrolled", "Did Not Attend"] : ["Enrolled"];
    if (!allowed.includes(enrolment.state)) throw new AppError("classroom.attendance_marked", `Attendance cannot be marked for an enrolment that is ${enrolment.state}.`, 409);
    const detail = { enrolmentId, classId: classroom.id, course: classroom.courseCode, was: enrolment.state };
    if (!attended) {
      await store.move(enrolment.id, enrolment.state, { status: "Did Not Attend", decided_by: actor.accountId, decided_at: now });
      await recordAudit(trx, { kind: "enrolment.did_not_attend", at: now, actorAccountId: actor.accountId, personId: enrolment.personId, ip: actor.ip, detail });
      return;
    }
    const completedAt = classroom.endsAt < now ? classroom.endsAt : now;
    const attemptId = await attendanceAttempt(trx, { personId: enrolment.personId, courseId: classroom.courseId, enrolmentId: enrolment.id, startedAt: classroom.startsAt, completedAt, now });
    await store.move(enrolment.id, enrolment.state, { status: "Attended", decided_by: actor.accountId, decided_at: now, completed_at: completedAt });
    await recordAudit(trx, { kind: "enrolment.attended", at: now, actorAccountId: actor.accountId, personId: enrolment.personId, ip: actor.ip, detail: { ...detail, attemptId } });
    // Credited as of the class's end, as a SCORM completion is as of its commit: the Component
    // Completion Date, the certification's completion and the competence record's date (and so its
    // expiry) are the day the learning happened, not the day L&D got round to marking it. The
    // marking itself is audited above, at the time it was done.
    await creditEarnedAttempts(trx, [{ id: attemptId, personId: enrolment.personId }], completedAt);
  });
}
