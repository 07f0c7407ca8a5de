import type { Context } from "../server/deps.ts";
import { seedDemo } from "../server/demo/seed.ts";
import { hashPassword } from "../server/accounts/passwords.ts";
import { createAccountStore } from "../server/accounts/store.ts";
import { createPeopleStore } from "../server/people/store.ts";
import { enrol, subscribe } from "../server/learning/subscriptions.ts";

export const BENCH_PASSWORD = "benchmark password";
/** A SCORM 1.2 course of one SCO, the first component of its certification. */
const COURSE = "297 NHS Conflict Resolution - Part 1";

export interface Trust {
  learners: Array<{ username: string; password: string }>;
  courseId: number;
  scoId: string;
}

/**
 * The demo trust, and `count` staff who have each subscribed to the Conflict Resolution
 * certification and enrolled in its Part 1, so each finishing commit goes through crediting.
 * They share one password hash: hashing 500 passwords would only slow the setup.
 */
export async function prepareTrust(context: Context, count: number): Promise<Trust> {
  const { db, clock } = context;
  await seedDemo(context);
  const course = await db("courses").where({ code: COURSE }).first("id");
  const version = await db("course_versions").where({ course_id: course.id }).orderBy("id", "desc").first("manifest");
  const scoId = JSON.parse(version.manifest).launchables[0].identifier as string;
  const component = await db("certification_components").where({ course_code: COURSE }).first("id", "certification_id");
  const organisation = await db("organisations").first("id");
  const people = createPeopleStore(db);
  const accounts = createAccountStore(db);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const now = clock.now().toISOString();
  const learners = [];
  for (let index = 0; index < count; index++) {
    const personId = await people.insertPerson(
      { organisationId: organisation.id, employeeNumber: String(40000000 + index), lastName: `Learner${index}`, firstName: "Load", email: `load${index}@example.org`, dateOfBirth: "1990-01-01" },
      now,
    );
    const username = `297LOAD${String(index).padStart(4, "0")}`;
    await accounts.insert({ personId, username, passwordHash, role: "learner", now });
    await subscribe(db, clock, { personId }, component.certification_id);
    await enrol(db, clock, { personId }, component.certification_id, component.id);
    learners.push({ username, password: BENCH_PASSWORD });
  }
  return { learners, courseId: Number(course.id), scoId };
}
