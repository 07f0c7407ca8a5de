import { isPostgres, type Db } from "../db/connect.ts";

export interface AttemptSummary {
  id: number;
  personId: number;
  courseVersionId: number;
  courseId: number;
  performanceStatus: string;
  preview: boolean;
  startedAt: string;
}

/** An attempts row as stored, with its course's code and its version's manifest JSON. */
export interface AttemptWithManifestRow {
  id: number;
  code: string;
  started_at: string;
  finished_at: string | null;
  performance_status: string;
  score_scaled: number | string | null;
  manifest: string;
  preview: boolean | number;
}

function toAttempt(row: Record<string, unknown>): AttemptSummary {
  return {
    id: Number(row.id),
    personId: Number(row.person_id),
    courseVersionId: Number(row.course_version_id),
    courseId: Number(row.course_id),
    performanceStatus: String(row.performance_status),
    preview: Boolean(row.preview),
    startedAt: String(row.started_at),
  };
}

export function createAttemptStore(db: Db) {
  const withCourse = () =>
    db("attempts").join("course_versions", "course_versions.id", "attempts.course_version_id").select("attempts.*", "course_versions.course_id");

  return {
    /**
     * Holds the person's row until the transaction ends (PostgreSQL), so that two Plays of one
     * person at once take turns: the second then finds the attempt the first made. SQLite's one
     * writer takes turns already.
     */
    async lockPerson(personId: number): Promise<void> {
      if (isPostgres(db)) await db.raw("SELECT id FROM people WHERE id = ? FOR UPDATE", [personId]);
    },

    async courseExists(courseId: number): Promise<boolean> {
      return (await db("courses").where({ id: courseId }).first("id")) !== undefined;
    },

    /** The person's latest attempt at a course, on any version; previews are never resumed as learning. */
    async latestAttempt(personId: number, courseId: number, preview: boolean): Promise<AttemptSummary | undefined> {
      const row = await withCourse()
        .where({ "attempts.person_id": personId, "course_versions.course_id": courseId, "attempts.preview": preview })
        .orderBy("attempts.id", "desc")
        .first();
      return row ? toAttempt(row) : undefined;
    },

    async newestVersionId(courseId: number): Promise<number | undefined> {
      const row = await db("course_versions").where({ course_id: courseId }).orderBy("version", "desc").first("id");
      return row ? Number(row.id) : undefined;
    },

    /** Attendance at a class, as an attempt of the course: completed at the class's end, whoever marks it and whenever. */
    async insertClassroomAttempt(attempt: { personId: number; courseVersionId: number; enrolmentId: number; startedAt: string; completedAt: string; now: string }): Promise<number> {
      const [row] = await db("attempts")
        .insert({
          person_id: attempt.personId,
          course_version_id: attempt.courseVersionId,
          enrolment_id: attempt.enrolmentId,
          kind: "classroom",
          performance_status: "Completed",
          preview: false,
          started_at: attempt.startedAt,
          completed_at: attempt.completedAt,
          finished_at: attempt.completedAt,
          last_commit_at: attempt.now,
        })
        .returning("id");
      return Number(row.id);
    },

    async insertAttempt(attempt: { personId: number; courseVersionId: number; preview: boolean; startedAt: string; enrolmentId?: number | null }): Promise<number> {
      const [row] = await db("attempts")
        .insert({
          person_id: attempt.personId,
          course_version_id: attempt.courseVersionId,
          enrolment_id: attempt.enrolmentId ?? null,
          preview: attempt.preview,
          started_at: attempt.startedAt,
        })
        .returning("id");
      return Number(row.id);
    },

    /** When the person last subscribed to a still-open certification that has this course as a component (or a way to satisfy one). */
    async latestSubscriptionTo(personId: number, courseId: number): Promise<string | null> {
      const row = await db("subscriptions")
        .join("certification_components", "certification_components.certification_id", "subscriptions.certification_id")
        .join("courses", (join) => join.on("courses.code", "certification_components.course_code").orOn("courses.code", "certification_components.satisfied_by_course_code"))
        .where({ "subscriptions.person_id": personId, "subscriptions.status": "Subscribed", "courses.id": courseId })
        .max({ latest: "subscriptions.subscribed_at" })
        .first();
      return row?.latest ?? null;
    },

    /** One of the person's attempts, with its course's code and its version's manifest. */
    async attemptWithManifest(personId: number, attemptId: number): Promise<AttemptWithManifestRow | undefined> {
      return db("attempts")
        .join("course_versions", "course_versions.id", "attempts.course_version_id")
        .join("courses", "courses.id", "course_versions.course_id")
        .where({ "attempts.id": attemptId, "attempts.person_id": personId })
        .first("attempts.*", "courses.code", "course_versions.manifest");
    },

    async attemptsOf(personId: number, courseId: number): Promise<AttemptSummary[]> {
      const rows = await withCourse().where({ "attempts.person_id": personId, "course_versions.course_id": courseId }).orderBy("attempts.id");
      return rows.map(toAttempt);
    },
  };
}
