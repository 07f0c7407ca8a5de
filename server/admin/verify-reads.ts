import type { Knex } from "knex";
import type { Db } from "../db/connect.ts";
import { searchKey } from "../format.ts";

// What Verify a learner reads (verify.ts, verify-routes.ts): finding a person, and their
// subscriptions, attempts and each attempt's SCOs as L&D see them. Read only.

/**
 * People whose name, username or employee number matches, for L&D to find the one asking for
 * help: every word must match somewhere, in any order ("Conroy, Emma", "emma conroy", "2000" for
 * part of an employee number), accents and case aside ("orsted" finds Ørsted).
 */
export async function findPeople(db: Db, search: string) {
  if (!searchKey(search).trim()) return [];
  return matchingPeople(db("people").leftJoin("accounts", "accounts.person_id", "people.id"), search)
    .orderBy(["people.last_name", "people.first_name"])
    .limit(50)
    .select("people.id", "people.first_name", "people.last_name", "people.employee_number", "accounts.username");
}

/** Narrows a query joining people and accounts to those every word of the search matches. */
export function matchingPeople<T extends Knex.QueryBuilder>(query: T, search: string): T {
  for (const word of searchKey(search.slice(0, 100)).split(" ").filter(Boolean).slice(0, 6)) {
    const like = `%${word}%`; // searchKey leaves no % or _ to escape
    query.where((any) => any.whereRaw("people.search_text like ?", [like]).orWhereRaw("lower(accounts.username) like ?", [like]));
  }
  return query;
}

/** The person L&D are verifying, with their username if they have an account. */
export async function personToVerify(db: Db, personId: number) {
  return db("people").leftJoin("accounts", "accounts.person_id", "people.id").where("people.id", personId).first("people.id", "people.first_name", "people.last_name", "people.employee_number", "people.email", "accounts.username");
}

/** Every certification the person has subscribed to, in any status. */
export async function subscribedCertificationIds(db: Db, personId: number): Promise<number[]> {
  return (await db("subscriptions").where({ person_id: personId }).distinct("certification_id")).map((row) => Number(row.certification_id));
}

/** Every attempt of the person, newest first, with its course and the time spent across its SCOs. */
export async function attemptsOf(db: Db, personId: number) {
  return db("attempts")
    .join("course_versions", "course_versions.id", "attempts.course_version_id")
    .join("courses", "courses.id", "course_versions.course_id")
    .where("attempts.person_id", personId)
    .orderBy("attempts.id", "desc")
    .select("attempts.id", "courses.code", "attempts.started_at", "attempts.finished_at", "attempts.performance_status", "attempts.score_scaled", "attempts.preview")
    .select(db.raw("(select coalesce(sum(total_time_ms), 0) from attempt_scos where attempt_scos.attempt_id = attempts.id) as time_spent_ms"));
}

/** Whose attempt it is, the SCORM version of its course, and its manifest (the titles of its parts). */
export async function attemptOwner(db: Db, attemptId: number) {
  return db("attempts").join("course_versions", "course_versions.id", "attempts.course_version_id").where("attempts.id", attemptId).first("attempts.person_id", "course_versions.scorm_version", "course_versions.manifest");
}

/** The attempt's SCOs, each with its CMI as last committed. */
export async function attemptScos(db: Db, attemptId: number) {
  return db("attempt_scos").where({ attempt_id: attemptId }).orderBy("id");
}

/** The earlier tries at the attempt's SCORM 2004 SCOs, archived when a new one began. */
export async function earlierTriesOf(db: Db, attemptId: number) {
  return db("attempt_sco_archive").where({ attempt_id: attemptId }).orderBy("id");
}

/** The competencies to choose from when recording one for a person. */
export async function competencyChoices(db: Db): Promise<Array<{ id: number; name: string }>> {
  return (await db("competencies").orderBy("name").select("id", "name")).map((row) => ({ id: Number(row.id), name: String(row.name) }));
}
