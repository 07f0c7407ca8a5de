import { addCompetenceRecord } from "../records/index.ts";
import { isPostgres, type Db } from "../db/connect.ts";
import type { PerformanceStatus } from "../scorm/status.ts";
import type { AttemptFacts, ComponentFacts, SubscriptionFacts } from "./crediting.ts";

export interface SubscriptionToCredit extends SubscriptionFacts {
  id: number;
  personId: number;
  certificationId: number;
  certificationName: string;
  competencyId: number;
  competenceLevel: string;
  validDays: number;
}

export interface ComponentRow extends ComponentFacts {
  id: number;
}

function toSubscription(row: Record<string, unknown>): SubscriptionToCredit {
  return {
    id: Number(row.id),
    personId: Number(row.person_id),
    certificationId: Number(row.certification_id),
    certificationName: String(row.name),
    competencyId: Number(row.competency_id),
    competenceLevel: String(row.competence_level),
    validDays: Number(row.valid_days),
    status: row.status as SubscriptionToCredit["status"],
    subscribedAt: String(row.subscribed_at),
    completeBy: String(row.complete_by),
    endedAt: (row.ended_at as string | null) ?? null,
  };
}

/** The queries crediting needs (credit-service.ts), each on the caller's transaction. */
export function createCreditStore(db: Db) {
  const subscriptionsWithCertification = () =>
    db("subscriptions")
      .join("certifications", "certifications.id", "subscriptions.certification_id")
      .select("subscriptions.*", "certifications.name", "certifications.competency_id", "certifications.competence_level", "certifications.valid_days");
  return {
    async courseCodesOf(attemptIds: number[]): Promise<Map<number, string>> {
      const rows = await db("attempts")
        .join("course_versions", "course_versions.id", "attempts.course_version_id")
        .join("courses", "courses.id", "course_versions.course_id")
        .whereIn("attempts.id", attemptIds)
        .select("attempts.id", "courses.code");
      return new Map(rows.map((row) => [Number(row.id), String(row.code)]));
    },

    /** Open subscriptions by id, or all those to these certifications. */
    async openSubscriptions(filter: { ids: number[] } | { certificationIds: number[] }): Promise<SubscriptionToCredit[]> {
      const query = subscriptionsWithCertification().where("subscriptions.status", "Subscribed");
      if ("ids" in filter) query.whereIn("subscriptions.id", filter.ids);
      else query.whereIn("subscriptions.certification_id", filter.certificationIds);
      return (await query.orderBy("subscriptions.id")).map(toSubscription);
    },

    /**
     * The person's subscriptions still open, to a certification that has this course as a component
     * or as one's way to be satisfied; on PostgreSQL locked (in id order) until the transaction ends.
     * Two transactions crediting one subscription at once (two app processes, each storing the last
     * commit of a different component) would each see only its own component credited, and neither
     * would complete the certification; the lock makes the second wait, then read what the first
     * committed. NO KEY UPDATE, of the subscription only: component_credits' foreign key still
     * shares the row, and other learners of the certification never wait.
     */
    async openSubscriptionsFor(personId: number, courseCode: string): Promise<SubscriptionToCredit[]> {
      const query = subscriptionsWithCertification()
        .where({ "subscriptions.person_id": personId, "subscriptions.status": "Subscribed" })
        .whereExists(
          db("certification_components")
            .whereRaw("certification_components.certification_id = certifications.id")
            .andWhere((either) => either.where("course_code", courseCode).orWhere("satisfied_by_course_code", courseCode)),
        )
        .orderBy("subscriptions.id");
      const rows = await (isPostgres(db) ? query.forNoKeyUpdate("subscriptions") : query);
      return rows.map(toSubscription);
    },

    async componentsOf(certificationId: number): Promise<ComponentRow[]> {
      const rows = await db("certification_components").where({ certification_id: certificationId }).orderBy("position");
      return rows.map((row) => ({ id: Number(row.id), courseCode: String(row.course_code), requires: row.requires, satisfiedByCourseCode: row.satisfied_by_course_code ?? null }));
    },

    /** The person's attempts at these courses, oldest first (pass marks are not needed to credit). */
    async attemptsAt(personId: number, courseCodes: string[]): Promise<AttemptFacts[]> {
      const rows = await db("attempts")
        .join("course_versions", "course_versions.id", "attempts.course_version_id")
        .join("courses", "courses.id", "course_versions.course_id")
        .where("attempts.person_id", personId)
        .whereIn("courses.code", courseCodes)
        .orderBy("attempts.id")
        .select("attempts.id", "courses.code", "attempts.preview", "attempts.started_at", "attempts.performance_status", "attempts.completed_at", "attempts.score_scaled");
      return rows.map((row) => ({
        id: Number(row.id),
        courseCode: String(row.code),
        preview: Boolean(row.preview),
        startedAt: String(row.started_at),
        performanceStatus: String(row.performance_status) as PerformanceStatus,
        completedAt: row.completed_at ?? null,
        scoreScaled: row.score_scaled === null ? null : Number(row.score_scaled),
        passMark: null,
      }));
    },

    /** The course codes of the subscription's credited components (credits are kept by course: migration 19). */
    async creditedCourses(subscriptionId: number): Promise<Set<string>> {
      const rows = await db("component_credits").where({ subscription_id: subscriptionId }).select("course_code");
      return new Set(rows.map((row) => String(row.course_code)));
    },

    /** False when the component was credited already (by a commit in another process, say). */
    async credit(credit: { subscriptionId: number; courseCode: string; attemptId: number; how: "done" | "satisfied"; at: string }): Promise<boolean> {
      const inserted = await db("component_credits")
        .insert({ subscription_id: credit.subscriptionId, course_code: credit.courseCode, attempt_id: credit.attemptId, how: credit.how, credited_at: credit.at })
        .onConflict(["subscription_id", "course_code"])
        .ignore()
        .returning("id");
      return inserted.length > 0;
    },

    /** Moves a subscription on from Subscribed; false when something else moved it first. */
    async endSubscription(subscriptionId: number, status: "Completed" | "Expired", at: string): Promise<boolean> {
      const changes = status === "Completed" ? { status, completed_at: at } : { status, ended_at: at };
      return (await db("subscriptions").where({ id: subscriptionId, status: "Subscribed" }).update(changes)) > 0;
    },

    /** Subscriptions still open whose complete-by date is before today, for the daily expiry. */
    async overdueSubscriptions(today: string): Promise<Array<{ id: number; person_id: number; complete_by: string }>> {
      return db("subscriptions").where("status", "Subscribed").andWhere("complete_by", "<", today).select("id", "person_id", "complete_by");
    },

    /**
     * The latest expiry among the person's approved records of the competency that expire (a
     * record that never expires stands by itself: the compliance page counts the best record).
     */
    async heldUntil(personId: number, competencyId: number): Promise<string | null> {
      const row = await db("competence_records").where({ person_id: personId, competency_id: competencyId, status: "approved" }).max({ latest: "expires_on" }).first();
      return row?.latest ?? null;
    },

    async insertRecord(record: { personId: number; competencyId: number; level: string; achievedOn: string; expiresOn: string; certificationId: number; at: string }): Promise<number> {
      return addCompetenceRecord(db, { ...record, source: "certification", status: "approved" });
    },
  };
}
