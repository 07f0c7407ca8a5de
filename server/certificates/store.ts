import type { Db } from "../db/connect.ts";
import { localDate } from "../clock.ts";
import { competencyLabel } from "../format.ts";

/** What a certificate is for: a completed certification (its subscription) or a completed course (its attempt). */
export type CertificateSubject = { kind: "certification"; subscriptionId: number } | { kind: "course"; attemptId: number };

/** Everything a certificate shows, and the facts that decide whether it may be issued. */
export interface CertificateFacts {
  personId: number;
  organisation: string;
  firstName: string;
  lastName: string;
  employeeNumber: string;
  /** Whether it is done: a Completed subscription, or a Completed / Passed attempt that is not a preview. */
  completed: boolean;
  preview: boolean;
  /** certification: "completed"; course: its Performance Status in lower case. */
  outcome: "completed" | "passed";
  /** The certification's name, or the course's code. */
  title: string;
  /** The competency it gave, or the course's title. */
  detail: string;
  /** The competence level it gave (a certification only). */
  level: string | null;
  /** YYYY-MM-DD in the trust's time zone, or null when not completed. */
  completedOn: string | null;
  /** The competence record's expiry; null when it does not expire (and always for a course). */
  expiresOn: string | null;
  /** A completed certification whose competence record cannot be found (it always has one). */
  recordMissing: boolean;
}

export interface CertificateRow {
  id: number;
  code: string;
  personId: number;
  subject: CertificateSubject;
  issuedAt: string;
}

/** The certificates table, and the facts a certificate is built from. */
export function createCertificateStore(db: Db) {
  return {
    async facts(subject: CertificateSubject): Promise<CertificateFacts | undefined> {
      return subject.kind === "certification" ? certificationFacts(db, subject.subscriptionId) : courseFacts(db, subject.attemptId);
    },

    async certificateFor(subject: CertificateSubject): Promise<CertificateRow | undefined> {
      const row = await db("certificates").where(subject.kind === "certification" ? { subscription_id: subject.subscriptionId } : { attempt_id: subject.attemptId }).first();
      return row ? toRow(row) : undefined;
    },

    async byCode(code: string): Promise<CertificateRow | undefined> {
      const row = await db("certificates").where({ code }).first();
      return row ? toRow(row) : undefined;
    },

    /**
     * Inserts the certificate unless one is there already: for this subject (a download at the
     * same moment got there first; on PostgreSQL this waits for its transaction) or, astronomically
     * rarely, with this code. False when nothing was inserted.
     */
    async insert(row: { code: string; personId: number; subject: CertificateSubject; issuedAt: string }): Promise<boolean> {
      const inserted = await db("certificates")
        .insert({
          code: row.code,
          person_id: row.personId,
          kind: row.subject.kind,
          subscription_id: row.subject.kind === "certification" ? row.subject.subscriptionId : null,
          attempt_id: row.subject.kind === "course" ? row.subject.attemptId : null,
          issued_at: row.issuedAt,
        })
        .onConflict()
        .ignore()
        .returning("id");
      return inserted.length > 0;
    },

    /** The person's latest Completed subscription to the certification: the one its page offers a certificate for. */
    async latestCompleted(personId: number, certificationId: number): Promise<number | null> {
      const row = await db("subscriptions").where({ person_id: personId, certification_id: certificationId, status: "Completed" }).orderBy("id", "desc").first("id");
      return row ? Number(row.id) : null;
    },

    /** A person's completed certifications and courses, newest first, each with its certificate's code if issued (the admin's list). */
    async completedLearningOf(personId: number) {
      const [subscriptions, attempts] = await Promise.all([
        db("subscriptions")
          .join("certifications", "certifications.id", "subscriptions.certification_id")
          .leftJoin("certificates", "certificates.subscription_id", "subscriptions.id")
          .where({ "subscriptions.person_id": personId, "subscriptions.status": "Completed" })
          .orderBy([{ column: "subscriptions.completed_at", order: "desc" }, { column: "subscriptions.id", order: "desc" }])
          .select("subscriptions.id", "subscriptions.completed_at", "certifications.name", "certificates.code"),
        db("attempts")
          .join("course_versions", "course_versions.id", "attempts.course_version_id")
          .join("courses", "courses.id", "course_versions.course_id")
          .leftJoin("certificates", "certificates.attempt_id", "attempts.id")
          .where({ "attempts.person_id": personId, "attempts.preview": false })
          .whereIn("attempts.performance_status", ["Completed", "Passed"])
          .orderBy("attempts.id", "desc")
          .select("attempts.id", "attempts.completed_at", "attempts.last_commit_at", "attempts.performance_status", "courses.code", "certificates.code as certificate_code"),
      ]);
      return {
        certifications: subscriptions.map((row) => ({ subscriptionId: Number(row.id), name: String(row.name), completedOn: localDate(String(row.completed_at)), certificateCode: (row.code as string | null) ?? null })),
        courses: attempts.map((row) => ({ attemptId: Number(row.id), code: String(row.code), status: String(row.performance_status), completedOn: localDate(String(row.completed_at ?? row.last_commit_at)), certificateCode: (row.certificate_code as string | null) ?? null })),
      };
    },
  };
}

async function certificationFacts(db: Db, subscriptionId: number): Promise<CertificateFacts | undefined> {
  const row = await personOf(db("subscriptions"), "subscriptions")
    .join("certifications", "certifications.id", "subscriptions.certification_id")
    .join("competencies", "competencies.id", "certifications.competency_id")
    .where("subscriptions.id", subscriptionId)
    .first("subscriptions.status", "subscriptions.completed_at", "subscriptions.certification_id", "certifications.name", "certifications.competence_level", "competencies.name as competency");
  if (!row) return undefined;
  const completed = row.status === "Completed" && row.completed_at !== null;
  // The record this completion awarded: written in the same transaction, at the same instant
  // (credit-service.ts). Failing that, the certification's record achieved that day.
  const record = completed
    ? ((await records(db, row).andWhere("created_at", row.completed_at).first("level", "expires_on")) ??
      (await records(db, row).andWhere("achieved_on", localDate(String(row.completed_at))).orderBy("id", "desc").first("level", "expires_on")))
    : undefined;
  return {
    ...person(row),
    completed,
    preview: false,
    outcome: "completed",
    title: String(row.name),
    detail: competencyLabel(String(row.competency)),
    level: String(record?.level ?? row.competence_level),
    completedOn: completed ? localDate(String(row.completed_at)) : null,
    expiresOn: record?.expires_on ?? null,
    recordMissing: completed && !record,
  };
}

function records(db: Db, row: Record<string, unknown>) {
  return db("competence_records").where({ person_id: row.person_id, certification_id: row.certification_id, source: "certification", status: "approved" });
}

async function courseFacts(db: Db, attemptId: number): Promise<CertificateFacts | undefined> {
  const row = await personOf(db("attempts"), "attempts")
    .join("course_versions", "course_versions.id", "attempts.course_version_id")
    .join("courses", "courses.id", "course_versions.course_id")
    .where("attempts.id", attemptId)
    .first("attempts.performance_status", "attempts.preview", "attempts.completed_at", "attempts.last_commit_at", "courses.code", "courses.title");
  if (!row) return undefined;
  const status = String(row.performance_status);
  const preview = Boolean(row.preview);
  const completed = (status === "Completed" || status === "Passed") && !preview;
  const completedAt = row.completed_at ?? row.last_commit_at;
  return {
    ...person(row),
    completed,
    preview,
    outcome: status === "Passed" ? "passed" : "completed",
    title: String(row.code),
    detail: String(row.title ?? ""),
    level: null,
    completedOn: completed && completedAt ? localDate(String(completedAt)) : null,
    expiresOn: null,
    recordMissing: false,
  };
}

/** Joins the subject's person and their organisation. */
function personOf(query: ReturnType<Db>, table: string) {
  return query
    .join("people", "people.id", `${table}.person_id`)
    .join("organisations", "organisations.id", "people.organisation_id")
    .select("people.id as person_id", "people.first_name", "people.last_name", "people.employee_number", "organisations.name as organisation");
}

function person(row: Record<string, unknown>) {
  return { personId: Number(row.person_id), organisation: String(row.organisation), firstName: String(row.first_name), lastName: String(row.last_name), employeeNumber: String(row.employee_number) };
}

function toRow(row: Record<string, unknown>): CertificateRow {
  return {
    id: Number(row.id),
    code: String(row.code),
    personId: Number(row.person_id),
    subject: row.kind === "certification" ? { kind: "certification", subscriptionId: Number(row.subscription_id) } : { kind: "course", attemptId: Number(row.attempt_id) },
    issuedAt: String(row.issued_at),
  };
}
