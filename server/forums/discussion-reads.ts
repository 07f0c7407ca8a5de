import type { Knex } from "knex";
import type { Db } from "../db/connect.ts";
import type { Access, DiscussionKind } from "./forum-rules.ts";
import type { Role } from "../web/roles.ts";

/** Who is asking: enough to tell what they learn, what they author, and their role. */
export interface Viewer {
  accountId: number;
  personId: number;
  role: Role;
}

export interface Discussion {
  kind: DiscussionKind;
  id: number;
  name: string;
}

export interface DiscussionRow extends Discussion {
  topics: number;
  lastPostAt: string | null;
}

// Read model for Forums and Chats: which discussions exist (one per course and per certification
// of the catalog) and what a person has to do with each, read across the catalog, subscriptions,
// classes and course versions. Nothing here writes.

const subscribedCertifications = (db: Db, personId: number) => db("subscriptions").where({ person_id: personId }).select("certification_id");
const componentCodesOf = (db: Db, personId: number, column: "course_code" | "satisfied_by_course_code") =>
  db("certification_components").whereIn("certification_id", subscribedCertifications(db, personId)).whereNotNull(column).select(column);
const authoredCourses = (db: Db, accountId: number) => db("course_versions").where({ imported_by: accountId }).select("course_id");
const authoredCodes = (db: Db, accountId: number) => db("courses").whereIn("id", authoredCourses(db, accountId)).select("code");
const bookedCourses = (db: Db, personId: number) => db("enrolments").join("classes", "classes.id", "enrolments.class_id").where("enrolments.person_id", personId).select("classes.course_id");

export async function discussionOf(db: Db, kind: DiscussionKind, id: number): Promise<Discussion | undefined> {
  if (kind === "course") {
    const row = await db("courses").where({ id }).first("code");
    return row ? { kind, id, name: String(row.code) } : undefined;
  }
  const row = await db("certifications").where({ id }).first("name");
  return row ? { kind, id, name: String(row.name) } : undefined;
}

export async function accessOf(db: Db, viewer: Viewer, discussion: Pick<Discussion, "kind" | "id">): Promise<Access> {
  const exists = async (query: Knex.QueryBuilder) => (await query.first("id")) !== undefined;
  if (discussion.kind === "certification") {
    const learns = await exists(db("subscriptions").where({ person_id: viewer.personId, certification_id: discussion.id }));
    const authors = await exists(db("certification_components").where({ certification_id: discussion.id }).whereIn("course_code", authoredCodes(db, viewer.accountId)));
    return { lnd: viewer.role === "admin", authorRole: viewer.role === "author", learns, authors };
  }
  const course = await db("courses").where({ id: discussion.id }).first("code");
  const code = course ? String(course.code) : "";
  const learns =
    (await exists(db("classes").where({ course_id: discussion.id }).whereIn("id", db("enrolments").where({ person_id: viewer.personId }).select("class_id")))) ||
    (await exists(db("certification_components").whereIn("certification_id", subscribedCertifications(db, viewer.personId)).andWhere((where) => where.where({ course_code: code }).orWhere({ satisfied_by_course_code: code }))));
  const authors = await exists(db("course_versions").where({ course_id: discussion.id, imported_by: viewer.accountId }));
  return { lnd: viewer.role === "admin", authorRole: viewer.role === "author", learns, authors };
}

/** The Forums and Chats page: the discussions a person may read, certifications first, by name. */
export async function discussionsFor(db: Db, viewer: Viewer): Promise<DiscussionRow[]> {
  const all = viewer.role === "admin";
  const certifications = db("certifications").select("id", "name");
  if (!all) {
    certifications.where((where) => {
      where.whereIn("id", subscribedCertifications(db, viewer.personId));
      if (viewer.role === "author") where.orWhereIn("id", db("certification_components").whereIn("course_code", authoredCodes(db, viewer.accountId)).select("certification_id"));
    });
  }
  const courses = db("courses").select("id", "code");
  if (!all) {
    courses.where((where) => {
      where
        .whereIn("id", bookedCourses(db, viewer.personId))
        .orWhereIn("code", componentCodesOf(db, viewer.personId, "course_code"))
        .orWhereIn("code", componentCodesOf(db, viewer.personId, "satisfied_by_course_code"));
      if (viewer.role === "author") where.orWhereIn("id", authoredCourses(db, viewer.accountId));
    });
  }
  const counts: Array<Record<string, unknown>> = await db("forum_topics").groupBy("discussion_kind", "discussion_id").select("discussion_kind", "discussion_id").count({ topics: "*" }).max({ last: "last_post_at" });
  const countOf = (kind: DiscussionKind, id: number) => counts.find((row) => row.discussion_kind === kind && Number(row.discussion_id) === id);
  const row = (kind: DiscussionKind, id: number, name: string): DiscussionRow => {
    const count = countOf(kind, id);
    return { kind, id, name, topics: Number(count?.topics ?? 0), lastPostAt: count?.last ? String(count.last) : null };
  };
  const byName = (a: DiscussionRow, b: DiscussionRow) => a.name.localeCompare(b.name);
  return [
    ...(await certifications).map((cert) => row("certification", Number(cert.id), String(cert.name))).sort(byName),
    ...(await courses).map((course) => row("course", Number(course.id), String(course.code))).sort(byName),
  ];
}
