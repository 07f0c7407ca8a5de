import { isPostgres, type Db } from "../db/connect.ts";
import { searchWords } from "./course-search-index.ts";
import type { SubscriptionStatus } from "./crediting.ts";
import { AWAITING_PLACE_STATES, BOOKED_STATES, HOLDS_PLACE_STATES } from "./booking-states.ts";

export type CourseType = "elearning" | "eassessment" | "classroom";

export const COURSE_TYPES: Record<CourseType, string> = { elearning: "e-Learning", eassessment: "eAssessment", classroom: "Classroom" };

export interface CourseSearchFilters {
  /** What was typed in Search Course (or Advanced Search's words). */
  words: string;
  /** Exact Phrase: the words in this order, side by side, within one field. */
  exact: boolean;
  competencyId?: number | undefined;
  certificationId?: number | undefined;
  type?: CourseType | undefined;
  /** A VPD code prefix: the trust's own ("297") or national ("000"). */
  organisation?: string | undefined;
}

export interface FoundCourse {
  code: string;
  courseId: number | null;
  title: string | null;
  type: CourseKind;
}

/** A course as the results list it: one type, or e-learning with classroom classes beside it. */
export type CourseKind = CourseType | "elearning-classroom";
export const COURSE_KINDS: Record<CourseKind, string> = { elearning: "e-Learning", eassessment: "eAssessment", classroom: "Classroom", "elearning-classroom": "e-Learning and Classroom" };

// Worked out when searching, not stored, so that a classroom class added to a course (or a
// course's kind changed) counts at once: classroom when it has a classroom class or says so,
// eAssessment when its code, title or kind says so, e-learning otherwise; a course of e-learning
// that also has classroom classes is both, and found by either type. The class lookup is not
// correlated, so each database reads the classroom classes once per search, not once per course.
const CLASSROOM_SQL = "(lower(coalesce(courses.kind, '')) = 'classroom' OR coalesce(courses.id, 0) IN (SELECT classes.course_id FROM classes WHERE lower(classes.kind) = 'classroom'))";
const EASSESSMENT_SQL = "(lower(coalesce(courses.kind, '')) = 'eassessment' OR lower(course_search.code) LIKE '%eassessment%' OR lower(coalesce(courses.title, '')) LIKE '%eassessment%')";
// E-learning to play: a package, or an e-learning class (a course not imported yet counts as e-learning).
const PLAYABLE_SQL =
  "(courses.id IS NULL OR courses.id IN (SELECT course_versions.course_id FROM course_versions) OR courses.id IN (SELECT classes.course_id FROM classes WHERE lower(classes.kind) = 'elearning'))";
const BOTH_SQL = `(${CLASSROOM_SQL} AND lower(coalesce(courses.kind, '')) <> 'classroom' AND NOT ${EASSESSMENT_SQL} AND ${PLAYABLE_SQL})`;
const TYPE_SQL = `CASE WHEN ${BOTH_SQL} THEN 'elearning-classroom' WHEN ${CLASSROOM_SQL} THEN 'classroom' WHEN ${EASSESSMENT_SQL} THEN 'eassessment' ELSE 'elearning' END`;
const TYPE_FILTER: Record<CourseType, string> = {
  classroom: CLASSROOM_SQL,
  eassessment: `NOT ${CLASSROOM_SQL} AND ${EASSESSMENT_SQL}`,
  elearning: `((NOT ${CLASSROOM_SQL} AND NOT ${EASSESSMENT_SQL}) OR ${BOTH_SQL})`,
};

/**
 * The courses matching the filters, by code, a page at a time, and how many match in all. The
 * words go through the database's own full-text index: every word as a prefix ("safegu" finds
 * Safeguarding), all of them needed; Exact Phrase as a phrase, then checked to lie within one
 * field of the course's text (its code, title, a certification's or competency's name). Nothing
 * the learner types reaches FTS5 or tsquery syntax: only the plain words of searchWords() do.
 */
export async function searchCourses(db: Db, filters: CourseSearchFilters, page: { limit: number; offset: number }): Promise<{ total: number; courses: FoundCourse[] }> {
  const words = searchWords(filters.words);
  const query = db("course_search").leftJoin("courses", "courses.code", "course_search.code");
  if (words.length) {
    if (isPostgres(db)) {
      const tsquery = filters.exact ? `${words.join(" <-> ")}:*` : words.map((word) => `${word}:*`).join(" & ");
      query.whereRaw("course_search.search_vector @@ to_tsquery('simple', ?)", [tsquery]);
    } else {
      const match = filters.exact ? `"${words.join(" ")}"*` : words.map((word) => `"${word}"*`).join(" ");
      query.whereRaw("course_search.id IN (SELECT rowid FROM course_search_fts WHERE course_search_fts MATCH ?)", [match]);
    }
    // Words are [a-z0-9] only, so they hold no LIKE wildcard.
    if (filters.exact) query.where("course_search.search_text", "like", `% ${words.join(" ")}%`);
  }
  if (filters.organisation) query.where("course_search.organisation", filters.organisation);
  if (filters.certificationId !== undefined) {
    query.whereIn("course_search.code", db("certification_components").where("certification_id", filters.certificationId).select("course_code"));
  }
  if (filters.competencyId !== undefined) {
    query.whereIn(
      "course_search.code",
      db("certification_components").join("certifications", "certifications.id", "certification_components.certification_id").where("certifications.competency_id", filters.competencyId).select("certification_components.course_code"),
    );
  }
  if (filters.type) query.whereRaw(`(${TYPE_FILTER[filters.type]})`);
  // By code, ignoring case, in code-point order on both databases (PostgreSQL's locale collation
  // would otherwise skip the spaces and dashes that SQLite's compares).
  const collate = isPostgres(db) ? ' COLLATE "C"' : "";
  const BY_CODE = `lower(course_search.code)${collate}, course_search.code${collate}`;

  const [counted, rows] = await Promise.all([
    query.clone().count({ n: "*" }).first(),
    query.clone().orderByRaw(BY_CODE).limit(page.limit).offset(page.offset).select("course_search.code", "courses.id as course_id", "courses.title", db.raw(`${TYPE_SQL} as course_type`)),
  ]);
  return {
    total: Number(counted?.n ?? 0),
    courses: rows.map((row) => ({ code: String(row.code), courseId: row.course_id === null ? null : Number(row.course_id), title: row.title ?? null, type: row.course_type as CourseKind })),
  };
}

/** Each course code's certifications (by name) and its component in each. */
export async function certificationsOfCourses(db: Db, codes: string[]): Promise<Map<string, Array<{ certificationId: number; name: string; componentId: number }>>> {
  const rows = codes.length
    ? await db("certification_components")
        .join("certifications", "certifications.id", "certification_components.certification_id")
        .whereIn("certification_components.course_code", codes)
        .orderBy("certifications.name")
        .select("certification_components.course_code", "certification_components.id as component_id", "certifications.id", "certifications.name")
    : [];
  const found = new Map<string, Array<{ certificationId: number; name: string; componentId: number }>>();
  for (const row of rows) {
    const code = String(row.course_code);
    found.set(code, [...(found.get(code) ?? []), { certificationId: Number(row.id), name: String(row.name), componentId: Number(row.component_id) }]);
  }
  return found;
}

/** What Advanced Search offers to choose from. */
export async function advancedSearchChoices(db: Db): Promise<{ competencies: Array<{ id: number; name: string }>; certifications: Array<{ id: number; name: string }>; organisations: Array<{ vpd: string; name: string }> }> {
  const [competencies, certifications, prefixes, organisations] = await Promise.all([
    db("competencies").orderBy("name").select("id", "name"),
    db("certifications").orderBy("name").select("id", "name"),
    db("course_search").whereNotNull("organisation").distinct("organisation").orderBy("organisation"),
    db("organisations").select("vpd", "name"),
  ]);
  const names = new Map(organisations.map((row) => [String(row.vpd), String(row.name)]));
  const vpds = new Set([...prefixes.map((row) => String(row.organisation)), ...names.keys(), "000"]);
  return {
    competencies: competencies.map((row) => ({ id: Number(row.id), name: String(row.name) })),
    certifications: certifications.map((row) => ({ id: Number(row.id), name: String(row.name) })),
    organisations: [...vpds].sort().map((vpd) => ({ vpd, name: names.get(vpd) ?? (vpd === "000" ? "National" : vpd) })),
  };
}

/**
 * A learner's standing in some certifications, in four statements however many there are: the
 * latest subscription to each, what those subscriptions have credited (by course code) and
 * enrolled in (by course id), and the learner's latest attempt at each course (Play's window).
 */
export async function learnerStandings(db: Db, personId: number, certificationIds: number[], courseIds: number[]) {
  const subscriptions = certificationIds.length ? await db("subscriptions").where({ person_id: personId }).whereIn("certification_id", certificationIds).orderBy("id").select("id", "certification_id", "status", "complete_by") : [];
  const latest = new Map<number, { id: number; status: SubscriptionStatus; completeBy: string }>();
  for (const row of subscriptions) latest.set(Number(row.certification_id), { id: Number(row.id), status: row.status as SubscriptionStatus, completeBy: String(row.complete_by) });
  const subscriptionIds = [...latest.values()].map((subscription) => subscription.id);
  const [credits, enrolments, attempts] = await Promise.all([
    subscriptionIds.length ? db("component_credits").whereIn("subscription_id", subscriptionIds).select("subscription_id", "course_code") : [],
    // The bookings the certification page counts (certification-store.ts enrolments): ended ones leave the learner free to choose again.
    subscriptionIds.length
      ? db("enrolments").join("classes", "classes.id", "enrolments.class_id").whereIn("enrolments.subscription_id", subscriptionIds).whereIn("enrolments.status", BOOKED_STATES).select("enrolments.subscription_id", "enrolments.status", "classes.course_id", "classes.kind")
      : [],
    courseIds.length
      ? db("attempts").join("course_versions", "course_versions.id", "attempts.course_version_id").where({ "attempts.person_id": personId, "attempts.preview": false }).whereIn("course_versions.course_id", courseIds).groupBy("course_versions.course_id").select("course_versions.course_id").max("attempts.id as latest")
      : [],
  ]);
  return {
    latest,
    credited: new Set(credits.map((row) => `${row.subscription_id}:${row.course_code}`)),
    enrolled: new Set(enrolments.filter((row) => HOLDS_PLACE_STATES.includes(row.status)).map((row) => `${row.subscription_id}:${row.course_id}`)),
    awaitingPlace: new Set(enrolments.filter((row) => AWAITING_PLACE_STATES.includes(row.status)).map((row) => `${row.subscription_id}:${row.course_id}`)),
    // A booking on a classroom class: attending it, not the e-learning, is the next step.
    classroom: new Set(enrolments.filter((row) => row.kind === "classroom").map((row) => `${row.subscription_id}:${row.course_id}`)),
    latestAttempts: new Map(attempts.map((row) => [Number(row.course_id), Number(row.latest)])),
  };
}
