import type { Db } from "../db/connect.ts";
// A booking's states are also the learning pages' Component Status, so they are defined with learning.
import { AWAITING_PLACE_STATES, BOOKED_STATES, PLACE_STATES, type ClassroomState } from "../learning/index.ts";
import type { ClassFacts } from "./class-rules.ts";

/** A class as stored: what the form sets (ClassFacts), and its course, status and bookings. */
export interface ClassroomClass extends ClassFacts {
  id: number;
  courseId: number;
  courseCode: string;
  status: "open" | "cancelled";
  cancelReason: string | null;
  placesTaken: number;
  waiting: number;
  requested: number;
}

export interface ClassEnrolment {
  id: number;
  personId: number;
  classId: number;
  subscriptionId: number | null;
  state: ClassroomState;
  enrolledAt: string;
  waitingSince: string | null;
  decidedAt: string | null;
  reason: string | null;
  /** 1 for the first on the waiting list; null when not waiting. */
  position: number | null;
}

const toEnrolment = (row: Record<string, unknown>): ClassEnrolment => ({
  id: Number(row.id),
  personId: Number(row.person_id),
  classId: Number(row.class_id),
  subscriptionId: row.subscription_id === null ? null : Number(row.subscription_id),
  state: row.status as ClassroomState,
  enrolledAt: String(row.enrolled_at),
  waitingSince: (row.waiting_since as string | null) ?? null,
  decidedAt: (row.decided_at as string | null) ?? null,
  reason: (row.reason as string | null) ?? null,
  position: row.position === undefined || row.position === null ? null : Number(row.position),
});

/** Classroom classes and their enrolments, on the caller's connection or transaction. */
export function createClassStore(db: Db) {
  const counted = (status: readonly string[]) =>
    db("enrolments").whereRaw("enrolments.class_id = classes.id").whereIn("enrolments.status", [...status]).count("*");
  const classes = () =>
    db("classes")
      .join("courses", "courses.id", "classes.course_id")
      .where("classes.kind", "classroom")
      .select("classes.*", "courses.code as course_code")
      .select(counted(PLACE_STATES).as("places_taken"), counted(["Waiting List"]).as("waiting"), counted(["Requested"]).as("requested"));
  const toClass = (row: Record<string, unknown>): ClassroomClass => ({
    id: Number(row.id),
    courseId: Number(row.course_id),
    courseCode: String(row.course_code),
    title: String(row.title),
    startsAt: String(row.starts_at),
    endsAt: String(row.ends_at),
    venue: String(row.venue ?? ""),
    capacity: Number(row.capacity),
    requiresApproval: Boolean(row.requires_approval),
    status: row.status === "cancelled" ? "cancelled" : "open",
    cancelReason: (row.cancel_reason as string | null) ?? null,
    placesTaken: Number(row.places_taken),
    waiting: Number(row.waiting),
    requested: Number(row.requested),
  });
  // The waiting list's order: first come (waiting_since), then the row's id.
  const position = db.raw(
    `case when enrolments.status = 'Waiting List' then (select count(*) from enrolments w where w.class_id = enrolments.class_id and w.status = 'Waiting List' and (w.waiting_since < enrolments.waiting_since or (w.waiting_since = enrolments.waiting_since and w.id <= enrolments.id))) end as position`,
  );

  return {
    /** The e-learning class learners enrol in, made with the course's first import. */
    async ensureElearningClass(courseId: number, code: string): Promise<void> {
      const existingClass = await db("classes").where({ course_id: courseId, kind: "elearning" }).first("id");
      if (!existingClass) await db("classes").insert({ course_id: courseId, kind: "elearning", title: code, status: "open" });
    },

    /** Every course, by code: what a class may be of. */
    async courseChoices() {
      return db("courses").orderBy("code").select("id", "code");
    },

    async course(id: number): Promise<{ id: number; code: string } | undefined> {
      const row = await db("courses").where({ id }).first("id", "code");
      return row ? { id: Number(row.id), code: String(row.code) } : undefined;
    },

    async courseIdByCode(code: string): Promise<number | undefined> {
      const row = await db("courses").where({ code }).first("id");
      return row ? Number(row.id) : undefined;
    },

    async hasClassroomClasses(courseId: number): Promise<boolean> {
      return Boolean(await db("classes").where({ course_id: courseId, kind: "classroom" }).first("id"));
    },

    async insertClass(row: Record<string, unknown>): Promise<number> {
      const [inserted] = await db("classes").insert(row).returning("id");
      return Number(inserted.id);
    },

    /** Changes a class's own columns; its places change only through its enrolments. */
    async updateClass(classId: number, changes: Record<string, unknown>): Promise<void> {
      await db("classes").where({ id: classId }).update(changes);
    },

    async classById(id: number): Promise<ClassroomClass | undefined> {
      const row = await classes().where("classes.id", id).first();
      return row ? toClass(row) : undefined;
    },

    /** Every classroom class, soonest first; only those of one course when asked. */
    async list(filter: { courseId?: number; courseCode?: string; openFrom?: string } = {}): Promise<ClassroomClass[]> {
      const query = classes().orderBy([{ column: "classes.starts_at" }, { column: "classes.id" }]);
      if (filter.courseId !== undefined) query.where("classes.course_id", filter.courseId);
      if (filter.courseCode !== undefined) query.where("courses.code", filter.courseCode);
      if (filter.openFrom !== undefined) query.where("classes.status", "open").andWhere("classes.starts_at", ">", filter.openFrom);
      return (await query).map(toClass);
    },

    /**
     * Takes the class row's write lock for the rest of the transaction: every change to a class's
     * places goes through here first, so two learners applying for the last place at once queue
     * (a row lock on PostgreSQL; SQLite's one writer, taken now rather than upgraded later).
     */
    async lock(classId: number): Promise<boolean> {
      return (await db("classes").where({ id: classId, kind: "classroom" }).update({ id: db.ref("id") })) > 0;
    },

    async enrolment(id: number): Promise<ClassEnrolment | undefined> {
      const row = await db("enrolments").join("classes", "classes.id", "enrolments.class_id").where({ "enrolments.id": id, "classes.kind": "classroom" }).first("enrolments.*", position);
      return row ? toEnrolment(row) : undefined;
    },

    /** The class's people in the order they applied, each with name, employee number and waiting-list position. */
    async people(classId: number) {
      const rows = await db("enrolments")
        .join("people", "people.id", "enrolments.person_id")
        .where("enrolments.class_id", classId)
        .orderBy("enrolments.id")
        .select("enrolments.*", "people.first_name", "people.last_name", "people.employee_number", position);
      return rows.map((row) => ({ ...toEnrolment(row), name: `${row.last_name}, ${row.first_name}`, employeeNumber: String(row.employee_number) }));
    },

    /** The person's live enrolments in classroom classes of a course under a subscription. */
    async liveEnrolmentsFor(personId: number, courseId: number, subscriptionId: number): Promise<ClassEnrolment[]> {
      const rows = await db("enrolments")
        .join("classes", "classes.id", "enrolments.class_id")
        .where({ "enrolments.person_id": personId, "classes.course_id": courseId, "classes.kind": "classroom", "enrolments.subscription_id": subscriptionId })
        .whereIn("enrolments.status", BOOKED_STATES)
        .select("enrolments.*", position);
      return rows.map(toEnrolment);
    },

    /** The first on the class's waiting list, if anyone. */
    async firstWaiting(classId: number): Promise<ClassEnrolment | undefined> {
      const row = await db("enrolments").where({ class_id: classId, status: "Waiting List" }).orderBy([{ column: "waiting_since" }, { column: "id" }]).first();
      return row ? toEnrolment(row) : undefined;
    },

    /** The person's newest subscription to the certification still marked Subscribed (it may have lapsed since). */
    async subscribedTo(personId: number, certificationId: number): Promise<{ id: number; completeBy: string } | undefined> {
      const row = await db("subscriptions").where({ person_id: personId, certification_id: certificationId, status: "Subscribed" }).orderBy("id", "desc").first("id", "complete_by");
      return row ? { id: Number(row.id), completeBy: String(row.complete_by) } : undefined;
    },

    /** The course a component of the certification names, if the component is the certification's. */
    async componentCourseCode(componentId: number, certificationId: number): Promise<string | undefined> {
      const row = await db("certification_components").where({ id: componentId, certification_id: certificationId }).first("course_code");
      return row ? String(row.course_code) : undefined;
    },

    async insertEnrolment(row: Record<string, unknown>): Promise<number> {
      const [inserted] = await db("enrolments").insert(row).returning("id");
      return Number(inserted.id);
    },

    /** Moves an enrolment on from the state it was read in; false when something moved it first. */
    async move(id: number, from: ClassroomState, changes: Record<string, unknown>): Promise<boolean> {
      return (await db("enrolments").where({ id, status: from }).update(changes)) > 0;
    },

    /** Who to write to about an enrolment: the person's email and trust code. */
    async addressOf(personId: number): Promise<{ email: string; vpd: string; name: string }> {
      const row = await db("people").join("organisations", "organisations.id", "people.organisation_id").where("people.id", personId).first("people.email", "organisations.vpd", "people.first_name");
      return { email: String(row.email), vpd: String(row.vpd), name: String(row.first_name) };
    },

    /** The learner's Requested Learning: requests awaiting approval and waiting-list places, with their class. */
    async requestedLearning(personId: number) {
      const rows = await db("enrolments")
        .join("classes", "classes.id", "enrolments.class_id")
        .join("courses", "courses.id", "classes.course_id")
        .leftJoin("subscriptions", "subscriptions.id", "enrolments.subscription_id")
        .leftJoin("certifications", "certifications.id", "subscriptions.certification_id")
        .where({ "enrolments.person_id": personId, "classes.kind": "classroom" })
        .whereIn("enrolments.status", AWAITING_PLACE_STATES)
        .orderBy([{ column: "classes.starts_at" }, { column: "enrolments.id" }])
        .select("enrolments.*", position, "classes.title", "classes.starts_at", "classes.ends_at", "classes.venue", "courses.code as course_code", "certifications.id as certification_id", "certifications.name as certification_name");
      return rows.map((row) => ({
        ...toEnrolment(row),
        classTitle: String(row.title),
        startsAt: String(row.starts_at),
        endsAt: String(row.ends_at),
        venue: String(row.venue ?? ""),
        courseCode: String(row.course_code),
        certificationId: row.certification_id === null ? null : Number(row.certification_id),
        certificationName: row.certification_name === null ? null : String(row.certification_name),
      }));
    },
  };
}
