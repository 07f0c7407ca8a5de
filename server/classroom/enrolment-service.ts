import { isRowId, type Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { queueMail } from "../mail/index.ts";
import { guideDateTime } from "../format.ts";
import { localTime } from "../clock.ts";
import { CANCELLABLE_STATES, creditsOf, effectiveStatus, PLACE_STATES, type ClassroomState } from "../learning/index.ts";
import { placeFor } from "./class-rules.ts";
import { createClassStore, type ClassroomClass, type ClassEnrolment } from "./class-store.ts";

export interface Actor {
  personId?: number;
  accountId: number | null;
  ip: string | null;
}

/** "Moving and Handling - Practical, 10-Dec-2026 09:30-12:30, Training Room 2". */
export function classLine(classroom: Pick<ClassroomClass, "title" | "startsAt" | "endsAt" | "venue">): string {
  return `${classroom.title}, ${guideDateTime(classroom.startsAt)}-${localTime(classroom.endsAt)}, ${classroom.venue}`;
}

/**
 * Apply for a classroom class of a certification's component: a request awaiting approval when
 * the class needs it, a place when one is left, or the waiting list. Needs an open subscription,
 * like enrolling in e-learning; one live booking per course (cancel it to choose another class).
 */
export async function applyForClass(db: Db, clock: Clock, actor: Actor & { personId: number }, certificationId: number, componentId: number, classId: number): Promise<ClassroomState> {
  return db.transaction(async (trx) => {
    const now = clock.now().toISOString();
    const store = createClassStore(trx);
    // The lock first, before any read: on SQLite a transaction that read before it writes can be
    // refused its write when another process wrote meanwhile.
    if (!isRowId(classId) || !(await store.lock(classId))) throw notFound("That class");
    const subscription = await store.subscribedTo(actor.personId, certificationId);
    if (!subscription || effectiveStatus({ status: "Subscribed", completeBy: subscription.completeBy }, clock.today()) !== "Subscribed") {
      throw new AppError("learning.not_subscribed", "Subscribe to the certification before enrolling in its components.", 409);
    }
    const componentCourse = isRowId(componentId) ? await store.componentCourseCode(componentId, certificationId) : undefined;
    if (componentCourse === undefined) throw notFound("That component");
    const classroom = (await store.classById(classId))!;
    if (classroom.courseCode !== componentCourse) throw notFound("That class");
    if (classroom.status === "cancelled") throw new AppError("classroom.class_cancelled", "That class has been cancelled: choose another.", 409);
    if (classroom.startsAt <= now) throw new AppError("classroom.class_started", "That class has already started: choose a later one.", 409);
    const live = await store.liveEnrolmentsFor(actor.personId, classroom.courseId, subscription.id);
    const same = live.find((enrolment) => enrolment.classId === classId);
    if (same) return same.state;
    if (live.length > 0) throw new AppError("classroom.already_booked", "You already have a place or a request for another class of this course: cancel it first to choose this one.", 409);

    const state = placeFor(classroom, classroom.placesTaken, false);
    const enrolmentId = await store.insertEnrolment({ person_id: actor.personId, class_id: classId, subscription_id: subscription.id, status: state, enrolled_at: now, waiting_since: state === "Waiting List" ? now : null });
    const kind = { Requested: "enrolment.requested", Enrolled: "enrolment.enrolled", "Waiting List": "enrolment.waiting_listed" }[state];
    await recordAudit(trx, {
      kind,
      at: now,
      actorAccountId: actor.accountId,
      personId: actor.personId,
      ip: actor.ip,
      detail: { enrolmentId, subscriptionId: subscription.id, course: classroom.courseCode, classId, state },
    });
    return state;
  });
}

/**
 * Cancel a place, a request or a waiting-list entry, before the class starts: by the learner
 * (their own only; another's reads as not found) or by L&D (who must give a reason, which the
 * learner is sent). A place freed goes to the first on the waiting list, in the same transaction.
 */
export async function cancelEnrolment(db: Db, clock: Clock, actor: Actor, enrolmentId: number, by: "learner" | "l&d", reason = ""): Promise<void> {
  await db.transaction(async (trx) => {
    const now = clock.now().toISOString();
    const store = createClassStore(trx);
    const found = isRowId(enrolmentId) ? await store.enrolment(enrolmentId) : undefined;
    if (!found || (by === "learner" && found.personId !== actor.personId)) throw notFound("That enrolment");
    if (by === "l&d" && !reason) throw new AppError("classroom.reason_required", "Give a reason for cancelling: the learner is sent it.", 400);
    await store.lock(found.classId);
    const enrolment = (await store.enrolment(enrolmentId))!;
    const classroom = (await store.classById(enrolment.classId))!;
    if (!CANCELLABLE_STATES.includes(enrolment.state)) throw new AppError("classroom.not_cancellable", `This enrolment is ${enrolment.state} and cannot be cancelled.`, 409);
    if (classroom.startsAt <= now) throw new AppError("classroom.class_started", "The class has started: its enrolments can no longer be cancelled.", 409);
    await store.move(enrolment.id, enrolment.state, { status: "Cancelled", ended_at: now, reason: reason || null, ...(by === "l&d" ? { decided_by: actor.accountId, decided_at: now } : {}) });
    await recordAudit(trx, {
      kind: "enrolment.cancelled",
      at: now,
      actorAccountId: actor.accountId,
      personId: enrolment.personId,
      ip: actor.ip,
      detail: { enrolmentId, classId: classroom.id, course: classroom.courseCode, was: enrolment.state, by, ...(reason ? { reason } : {}) },
    });
    if (by === "l&d") await tell(trx, enrolment.personId, "Class place cancelled", [`Learning and Development have cancelled your ${enrolment.state === "Enrolled" ? "place" : enrolment.state === "Requested" ? "request" : "waiting-list place"} on ${classLine(classroom)}.`, "", `Reason: ${reason}`], now);
    if (PLACE_STATES.includes(enrolment.state)) await fillPlaces(trx, classroom.id, now, `enrolment ${enrolmentId} cancelled`);
  });
}

/**
 * L&D decide a request: approved, it takes a place if one is left, else joins the waiting list
 * (from now); rejected, it ends, with the reason the learner is sent.
 */
export async function decideRequest(db: Db, clock: Clock, actor: Actor, enrolmentId: number, approve: boolean, reason: string): Promise<ClassroomState> {
  return db.transaction(async (trx) => {
    const now = clock.now().toISOString();
    const store = createClassStore(trx);
    const found = isRowId(enrolmentId) ? await store.enrolment(enrolmentId) : undefined;
    if (!found) throw notFound("That enrolment");
    if (!approve && !reason) throw new AppError("classroom.reason_required", "Give a reason for rejecting the request: the learner is sent it.", 400);
    await store.lock(found.classId);
    const enrolment = (await store.enrolment(enrolmentId))!;
    const classroom = (await store.classById(enrolment.classId))!;
    if (enrolment.state !== "Requested") throw new AppError("classroom.decided", `This request has been decided already: it is ${enrolment.state}.`, 409);
    if (classroom.status === "cancelled" || classroom.startsAt <= now) throw new AppError("classroom.class_closed", "The class has started or been cancelled: its requests can no longer be decided.", 409);
    const state: ClassroomState = approve ? placeFor(classroom, classroom.placesTaken, true) : "Rejected";
    await store.move(enrolment.id, "Requested", {
      status: state,
      decided_by: actor.accountId,
      decided_at: now,
      reason: reason || null,
      ...(state === "Waiting List" ? { waiting_since: now } : {}),
      ...(state === "Rejected" ? { ended_at: now } : {}),
    });
    await recordAudit(trx, {
      kind: approve ? "enrolment.approved" : "enrolment.rejected",
      at: now,
      actorAccountId: actor.accountId,
      personId: enrolment.personId,
      ip: actor.ip,
      detail: { enrolmentId, classId: classroom.id, course: classroom.courseCode, state, ...(reason ? { reason } : {}) },
    });
    const what = classLine(classroom);
    await tell(
      trx,
      enrolment.personId,
      approve ? "Class request approved" : "Class request not approved",
      approve
        ? [state === "Enrolled" ? `Learning and Development have approved your request: you have a place on ${what}.` : `Learning and Development have approved your request for ${what}. The class is full, so you are on its waiting list; you will be told if a place frees.`]
        : [`Learning and Development have not approved your request for ${what}.`, "", `Reason: ${reason}`],
      now,
    );
    return state;
  });
}

/**
 * While the class has places left and anyone waits, the first on the waiting list gets a place:
 * audited and told by email, in the caller's transaction (which holds the class's lock). Not once
 * the class has started or been cancelled.
 */
export async function fillPlaces(trx: Db, classId: number, now: string, cause: string): Promise<number> {
  const store = createClassStore(trx);
  let promoted = 0;
  for (;;) {
    const classroom = await store.classById(classId);
    if (!classroom || classroom.status === "cancelled" || classroom.startsAt <= now || classroom.placesTaken >= classroom.capacity) return promoted;
    const next = await store.firstWaiting(classId);
    if (!next) return promoted;
    // Done another way meanwhile (its e-learning, say): the place goes to someone who still needs it.
    if (next.subscriptionId !== null && (await creditsOf(trx, next.subscriptionId)).has(classroom.courseCode)) {
      const reason = "no longer needed: the component was completed another way";
      if (await store.move(next.id, "Waiting List", { status: "Cancelled", decided_at: now, ended_at: now, reason })) {
        await recordAudit(trx, { kind: "enrolment.cancelled", at: now, personId: next.personId, detail: { enrolmentId: next.id, classId, course: classroom.courseCode, reason } });
      }
      continue;
    }
    if (!(await store.move(next.id, "Waiting List", { status: "Enrolled", decided_at: now }))) return promoted;
    promoted++;
    await recordAudit(trx, { kind: "enrolment.promoted", at: now, personId: next.personId, detail: { enrolmentId: next.id, classId, course: classroom.courseCode, cause, rule: "waiting list: first come, first promoted" } });
    await tell(trx, next.personId, "Class place available", [`A place has freed on ${classLine(classroom)}, and it is yours: you were first on the waiting list.`, "", "If you can no longer go, cancel it on your certification page so that the next person can have it."], now);
  }
}

async function tell(trx: Db, personId: number, subject: string, lines: string[], at: string): Promise<void> {
  const to = await createClassStore(trx).addressOf(personId);
  await queueMail(trx, { to: to.email, subject: `${to.vpd} ${subject}`, text: [`Dear ${to.name},`, "", ...lines].join("\n") }, at);
}

export { tell as tellLearner };
export type { ClassEnrolment };
