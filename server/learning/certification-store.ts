import type { Db } from "../db/connect.ts";
import type { Manifest } from "../scorm/manifest/parse-manifest.ts";
import { scoRuntimeSettings } from "../scorm/manifest/runtime-settings.ts";
import type { AttemptFacts, SubscriptionStatus } from "./crediting.ts";
import { createCreditStore, type ComponentRow } from "./credit-store.ts";
import { BOOKED_STATES, HOLDS_PLACE_STATES } from "./booking-states.ts";

export interface Certification {
  id: number;
  name: string;
  competencyId: number;
  competencyName: string;
  competenceLevel: string;
  validDays: number;
  completeWithinDays: number;
  renewable: boolean;
  description: string;
}

export interface SubscriptionRow {
  id: number;
  status: SubscriptionStatus;
  subscribedAt: string;
  completeBy: string;
  completedAt: string | null;
  endedAt: string | null;
}

export interface CourseOffer {
  courseId: number;
  code: string;
  classId: number | null;
  classTitle: string | null;
  playable: boolean;
  /** The course has classroom classes open for booking (besides any e-learning class). */
  classroom: boolean;
}

export interface EnrolmentRow {
  id: number;
  enrolledAt: string;
  classTitle: string;
  classroom: boolean;
  /** Enrolled for e-learning; a classroom booking's state (Requested, Waiting List, Enrolled, Attended). */
  state: string;
  /** Enrolled in e-learning, or holding (or having used) a classroom place: Component Status Enrolled. */
  holdsPlace: boolean;
  startsAt: string | null;
  endsAt: string | null;
  venue: string | null;
  /** Place on the waiting list, 1 first. */
  position: number | null;
}

/** What the certification page and Find Learning read. */
export function createCertificationStore(db: Db) {
  return {
    credit: createCreditStore(db),

    async certification(id: number): Promise<Certification | undefined> {
      const row = await db("certifications").join("competencies", "competencies.id", "certifications.competency_id").where("certifications.id", id).first("certifications.*", "competencies.name as competency_name");
      return row ? toCertification(row) : undefined;
    },

    /** These certifications, by id (Current Learning reads a learner's all at once). */
    async certifications(ids: number[]): Promise<Map<number, Certification>> {
      const rows = await db("certifications").join("competencies", "competencies.id", "certifications.competency_id").whereIn("certifications.id", ids).select("certifications.*", "competencies.name as competency_name");
      return new Map(rows.map((row) => [Number(row.id), toCertification(row)]));
    },

    /** Each certification's components, in order. */
    async componentsOfCertifications(ids: number[]): Promise<Map<number, ComponentRow[]>> {
      const rows = await db("certification_components").whereIn("certification_id", ids).orderBy([{ column: "certification_id" }, { column: "position" }]);
      const components = new Map<number, ComponentRow[]>(ids.map((id) => [id, []]));
      for (const row of rows) components.get(Number(row.certification_id))?.push({ id: Number(row.id), courseCode: String(row.course_code), requires: row.requires, satisfiedByCourseCode: row.satisfied_by_course_code ?? null });
      return components;
    },

    /** The certification with this name, as the lms command names it. */
    async certificationIdNamed(name: string): Promise<number | undefined> {
      const row = await db("certifications").where({ name }).first("id");
      return row ? Number(row.id) : undefined;
    },

    async certificationsGiving(competencyId: number): Promise<Certification[]> {
      const rows = await db("certifications").join("competencies", "competencies.id", "certifications.competency_id").where("certifications.competency_id", competencyId).orderBy("certifications.name").select("certifications.*", "competencies.name as competency_name");
      return rows.map(toCertification);
    },

    /**
     * The expiry of each of these competencies the person holds, as the renewal rule reads it: the
     * latest of their approved records; null when one never expires; absent when they hold none.
     */
    async heldExpiries(personId: number, competencyIds: number[]): Promise<Map<number, string | null>> {
      if (competencyIds.length === 0) return new Map();
      const rows = await db("competence_records").where({ person_id: personId, status: "approved" }).whereIn("competency_id", competencyIds).select("competency_id", "expires_on");
      const held = new Map<number, string | null>();
      for (const row of rows) {
        const competencyId = Number(row.competency_id);
        const before = held.get(competencyId);
        if (before === null) continue;
        if (row.expires_on === null) held.set(competencyId, null);
        else if (before === undefined || String(row.expires_on) > before) held.set(competencyId, String(row.expires_on));
      }
      return held;
    },

    /** The person's latest subscription to each of these certifications, by certification id. */
    async latestSubscriptions(personId: number, certificationIds: number[]): Promise<Map<number, SubscriptionRow>> {
      const rows = await db("subscriptions").where({ person_id: personId }).whereIn("certification_id", certificationIds).orderBy("id");
      // Oldest first, so each certification ends up with its latest.
      return new Map(rows.map((row) => [Number(row.certification_id), toSubscriptionRow(row)]));
    },

    /** The person's latest subscription to the certification, if any. */
    async latestSubscription(personId: number, certificationId: number): Promise<SubscriptionRow | undefined> {
      const row = await db("subscriptions").where({ person_id: personId, certification_id: certificationId }).orderBy("id", "desc").first();
      return row ? toSubscriptionRow(row) : undefined;
    },

    /** The subscription's credits, by course code. */
    async credits(subscriptionId: number): Promise<Map<string, { how: string; creditedAt: string; attemptId: number }>> {
      const rows = await db("component_credits").where({ subscription_id: subscriptionId });
      return new Map(rows.map((row) => [String(row.course_code), { how: String(row.how), creditedAt: String(row.credited_at), attemptId: Number(row.attempt_id) }]));
    },

    /** Each subscription's credits, by course code (absent: none). */
    async creditsOfSubscriptions(subscriptionIds: number[]): Promise<Map<number, Map<string, { how: string; creditedAt: string; attemptId: number }>>> {
      const credits = new Map<number, Map<string, { how: string; creditedAt: string; attemptId: number }>>();
      if (subscriptionIds.length === 0) return credits;
      for (const row of await db("component_credits").whereIn("subscription_id", subscriptionIds)) {
        const subscriptionId = Number(row.subscription_id);
        if (!credits.has(subscriptionId)) credits.set(subscriptionId, new Map());
        credits.get(subscriptionId)!.set(String(row.course_code), { how: String(row.how), creditedAt: String(row.credited_at), attemptId: Number(row.attempt_id) });
      }
      return credits;
    },

    /**
     * Enrolments of each subscription, by course id: the latest one still live (an e-learning
     * enrolment, or a classroom place, request or waiting-list entry); a classroom booking that
     * ended (Cancelled, Rejected, Did Not Attend) leaves the learner free to choose again.
     */
    async enrolmentsOfSubscriptions(subscriptionIds: number[]): Promise<Map<number, Map<number, EnrolmentRow>>> {
      const enrolments = new Map<number, Map<number, EnrolmentRow>>();
      if (subscriptionIds.length === 0) return enrolments;
      const rows = await db("enrolments")
        .join("classes", "classes.id", "enrolments.class_id")
        .whereIn("enrolments.subscription_id", subscriptionIds)
        .whereIn("enrolments.status", BOOKED_STATES)
        .orderBy("enrolments.id")
        .select("enrolments.id", "enrolments.subscription_id", "enrolments.enrolled_at", "enrolments.status", "enrolments.waiting_since", "enrolments.class_id", "classes.course_id", "classes.title", "classes.kind", "classes.starts_at", "classes.ends_at", "classes.venue")
        .select(
          db.raw(
            "(select count(*) from enrolments w where w.class_id = enrolments.class_id and w.status = 'Waiting List' and enrolments.status = 'Waiting List' and (w.waiting_since < enrolments.waiting_since or (w.waiting_since = enrolments.waiting_since and w.id <= enrolments.id))) as position",
          ),
        );
      // Oldest first: a course's latest live enrolment is the one kept.
      for (const row of rows) {
        const subscriptionId = Number(row.subscription_id);
        if (!enrolments.has(subscriptionId)) enrolments.set(subscriptionId, new Map());
        enrolments.get(subscriptionId)!.set(Number(row.course_id), {
          id: Number(row.id),
          enrolledAt: String(row.enrolled_at),
          classTitle: String(row.title),
          classroom: row.kind === "classroom",
          state: String(row.status),
          holdsPlace: HOLDS_PLACE_STATES.includes(row.status),
          startsAt: row.starts_at ?? null,
          endsAt: row.ends_at ?? null,
          venue: row.venue ?? null,
          position: row.status === "Waiting List" ? Number(row.position) : null,
        });
      }
      return enrolments;
    },

    /** Each course code's course and its e-learning class (a component may name a course not imported yet). */
    async offers(codes: string[]): Promise<Map<string, CourseOffer>> {
      const rows = await db("courses")
        .leftJoin("classes", (join) => join.on("classes.course_id", "courses.id").andOnVal("classes.kind", "elearning"))
        .whereIn("courses.code", codes)
        .select("courses.id", "courses.code", "classes.id as class_id", "classes.title as class_title")
        .select(db.raw("exists (select 1 from course_versions where course_versions.course_id = courses.id) as playable"))
        .select(db.raw("exists (select 1 from classes c where c.course_id = courses.id and c.kind = 'classroom' and c.status = 'open') as has_classroom"));
      return new Map(
        rows.map((row) => [
          String(row.code),
          { courseId: Number(row.id), code: String(row.code), classId: row.class_id === null ? null : Number(row.class_id), classTitle: row.class_title ?? null, playable: Boolean(row.playable), classroom: Boolean(row.has_classroom) },
        ]),
      );
    },

    /** The person's attempts at these courses, oldest first, each with its version's pass mark. */
    async attemptsWithPassMarks(personId: number, codes: string[]): Promise<AttemptFacts[]> {
      const attempts = await createCreditStore(db).attemptsAt(personId, codes);
      if (attempts.length === 0) return attempts;
      const attemptIds = attempts.map((attempt) => attempt.id);
      const versionOf = new Map((await db("attempts").whereIn("id", attemptIds).select("id", "course_version_id")).map((row) => [Number(row.id), Number(row.course_version_id)]));
      // Each version's manifest read and parsed once, however many attempts were played on it.
      const manifests = await db("course_versions").whereIn("id", [...new Set(versionOf.values())]).select("id", "manifest");
      const passMarks = new Map(manifests.map((row) => [Number(row.id), passMarkOf(JSON.parse(String(row.manifest)) as Manifest)]));
      return attempts.map((attempt) => ({ ...attempt, passMark: passMarks.get(versionOf.get(attempt.id)!) ?? null }));
    },
  };
}

/** The pass mark of a course's first SCO as a scaled score: 1.2 mastery score / 100, or 2004's scaled passing score. */
export function passMarkOf(manifest: Manifest): number | null {
  const first = manifest.launchables[0];
  if (!first) return null;
  const settings = scoRuntimeSettings(manifest, first.identifier);
  if (settings.masteryScore !== null) return settings.masteryScore / 100;
  return settings.scaledPassingScore;
}

function toSubscriptionRow(row: Record<string, unknown>): SubscriptionRow {
  return { id: Number(row.id), status: row.status as SubscriptionStatus, subscribedAt: String(row.subscribed_at), completeBy: String(row.complete_by), completedAt: (row.completed_at as string | null) ?? null, endedAt: (row.ended_at as string | null) ?? null };
}

function toCertification(row: Record<string, unknown>): Certification {
  return {
    id: Number(row.id),
    name: String(row.name),
    competencyId: Number(row.competency_id),
    competencyName: String(row.competency_name),
    competenceLevel: String(row.competence_level),
    validDays: Number(row.valid_days),
    completeWithinDays: Number(row.complete_within_days),
    renewable: Boolean(row.renewable),
    description: String(row.description ?? ""),
  };
}
