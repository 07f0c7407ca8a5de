import { isPostgres, type Db } from "../server/db/connect.ts";
import { parseManifest } from "../server/scorm/manifest/parse-manifest.ts";
import { hashPassword } from "../server/accounts/passwords.ts";
import { createAccountStore } from "../server/accounts/store.ts";

// A generated trust for bench/trust-scale.ts, made set-based: each table is one INSERT ... SELECT
// over a recursive series of numbers (the same SQL on SQLite and PostgreSQL) or over the rows
// made before it, so 200,000 staff take seconds of SQL rather than a million round trips. The
// requirement_holdings triggers (migration 18) still run for every row, as they do in production:
// records go in before assignments, so each assignment's holdings are computed once.

export const COMPETENCIES = 11;
export const POSITIONS = 20;
export const CERTIFICATIONS = 100;
export const BENCH_PASSWORD = "benchmark password";

export interface GeneratedTrust {
  learner: { username: string; personId: number; positionId: number };
  admin: { username: string };
  counts: Record<string, number>;
}

export async function generateTrust(db: Db, staff: number, now: string): Promise<GeneratedTrust> {
  const today = now.slice(0, 10);
  const pg = isPostgres(db);
  // today + n days, as 'YYYY-MM-DD' text, in each dialect.
  const plusDays = (days: string) => (pg ? `to_char(date '${today}' + (${days}), 'YYYY-MM-DD')` : `date('${today}', (${days}) || ' days')`);
  const series = (count: number) => `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${count - 1})`;

  const [organisation] = await db("organisations").insert({ vpd: "297", name: "Benchmark Trust" }).returning("id");
  const organisationId = Number(organisation.id);
  const competencyIds = (await db("competencies").insert(Array.from({ length: COMPETENCIES }, (_, n) => ({ name: `NHS|CSTF|Benchmark ${n + 1} - 3 Years|` }))).returning("id")).map((row: { id: number }) => Number(row.id));
  const positionIds = (await db("positions").insert(Array.from({ length: POSITIONS }, (_, n) => ({ organisation_id: organisationId, name: `Position ${n + 1}` }))).returning("id")).map((row: { id: number }) => Number(row.id));
  await db("competence_requirements").insert(positionIds.flatMap((positionId) => competencyIds.map((competencyId) => ({ position_id: positionId, competency_id: competencyId, essential: true }))));

  // Staff: 4,999 surnames and 211 first names, so that names tie as real ones do.
  await db.raw(`${series(staff)}
    insert into people (organisation_id, employee_number, last_name, first_name, email, date_of_birth, created_at, search_text)
    select ${organisationId}, '' || (40000000 + i), 'Surname' || ((i * 7919) % 4999), 'Given' || (i % 211), 'staff' || i || '@example.org', '1985-01-01', '${now}', 'surname' || ((i * 7919) % 4999) || ' given' || (i % 211) || ' ' || (40000000 + i)
    from n`);
  // Most competencies held: a thirteenth never (Red); expiries spread from 200 days ago to 1,000 days ahead (Red, Amber, Green).
  await db.raw(`insert into competence_records (person_id, competency_id, level, achieved_on, expires_on, source, status, created_at)
    select people.id, competencies.id, '1 - Assessed', ${plusDays("((people.id * 11 + competencies.id) % 1200) - 200 - 1095")}, ${plusDays("((people.id * 11 + competencies.id) % 1200) - 200")}, 'certification', 'approved', '${now}'
    from people cross join competencies
    where (people.id * 11 + competencies.id) % 13 <> 0`);
  await db.raw(`insert into assignments (number, person_id, position_id, is_primary)
    select '' || (50000000 + people.id), people.id, ${positionIds[0]} + (people.id % ${POSITIONS}), ${pg ? "true" : "1"} from people`);

  // The catalogue: 100 certifications of two e-learning courses each (SCORM 1.2, one SCO with a mastery score).
  const manifest = JSON.stringify(parseManifest(MANIFEST));
  await db.raw(`${series(CERTIFICATIONS * 2)} insert into courses (code, title, created_at) select '297 Bench Course ' || (1000 + i), 'Bench Course ' || (1000 + i), '${now}' from n`);
  await db.raw(`insert into classes (course_id, kind, title) select id, 'elearning', code || ' (e-learning)' from courses`);
  await db.raw(`insert into course_versions (course_id, version, scorm_version, title, storage_key, manifest, file_count, total_bytes, imported_at) select id, 1, '1.2', title, 'bench-' || id, ?, 2, 1000, '${now}' from courses`, [manifest]);
  await db.raw(`${series(CERTIFICATIONS)} insert into certifications (name, competency_id, competence_level, valid_days, complete_within_days, renewable, description)
    select '297 Bench Certification ' || (1000 + i), ${competencyIds[0]} + (i % ${COMPETENCIES}), '1 - Assessed', 1095, 1095, ${pg ? "true" : "1"}, '' from n`);
  await db.raw(`insert into certification_components (certification_id, position, course_code, requires)
    select certifications.id, part.p, '297 Bench Course ' || (1000 + 2 * (certifications.id - first.id) + part.p - 1), 'completion'
    from certifications cross join (select min(id) as id from certifications) first cross join (select 1 as p union all select 2) part`);
  const firstCertification = Number((await db("certifications").min({ id: "id" }).first())!.id);

  // Mandatory learning across the trust: everyone subscribed to the first certification, half
  // enrolled in its first course, a third of those who enrolled having played it.
  await db.raw(`insert into subscriptions (person_id, certification_id, status, subscribed_at, complete_by)
    select id, ${firstCertification}, 'Subscribed', '2026-01-10T09:00:00.000Z', '2029-01-09' from people`);
  const firstClass = await db("classes").join("courses", "courses.id", "classes.course_id").where("courses.code", "297 Bench Course 1000").first("classes.id", "courses.id as course_id");
  const firstVersion = await db("course_versions").where({ course_id: firstClass.course_id }).first("id");
  await db.raw(`insert into enrolments (person_id, class_id, subscription_id, status, enrolled_at)
    select person_id, ${firstClass.id}, id, 'Enrolled', '2026-01-10T09:05:00.000Z' from subscriptions where certification_id = ${firstCertification} and person_id % 2 = 0`);
  await db.raw(`insert into attempts (person_id, course_version_id, performance_status, preview, started_at, last_commit_at, completed_at)
    select person_id, ${firstVersion.id}, case when person_id % 4 = 0 then 'Completed' else 'Incomplete' end, ${pg ? "false" : "0"}, '2026-01-15T10:00:00.000Z', '2026-01-15T10:20:00.000Z', case when person_id % 4 = 0 then '2026-01-15T10:20:00.000Z' end
    from enrolments where person_id % 3 = 0`);

  // The learner of Current Learning: the first member of staff, in all 100 certifications.
  const person = await db("people").orderBy("id").first("id");
  const personId = Number(person.id);
  await db.raw(`insert into subscriptions (person_id, certification_id, status, subscribed_at, complete_by)
    select ${personId}, id, 'Subscribed', '2026-02-01T09:00:00.000Z', '2029-01-31' from certifications where id <> ${firstCertification}`);
  await db.raw(`insert into enrolments (person_id, class_id, subscription_id, status, enrolled_at)
    select subscriptions.person_id, classes.id, subscriptions.id, 'Enrolled', '2026-02-01T09:05:00.000Z'
    from subscriptions join certification_components on certification_components.certification_id = subscriptions.certification_id
    join courses on courses.code = certification_components.course_code join classes on classes.course_id = courses.id
    where subscriptions.person_id = ${personId} and not exists (select 1 from enrolments e where e.subscription_id = subscriptions.id and e.class_id = classes.id)`);
  // Part 1 of every certification played: half completed (and credited), a fifth of them before subscribing (not counted), the rest under way.
  await db.raw(`insert into attempts (person_id, course_version_id, performance_status, preview, started_at, last_commit_at, completed_at)
    select ${personId}, course_versions.id, case when courses.id % 2 = 0 then 'Completed' else 'Incomplete' end, ${pg ? "false" : "0"},
      case when courses.id % 5 = 0 then '2026-01-20T10:00:00.000Z' else '2026-02-10T10:00:00.000Z' end, '2026-02-10T10:30:00.000Z', case when courses.id % 2 = 0 then '2026-02-10T10:30:00.000Z' end
    from certification_components join courses on courses.code = certification_components.course_code join course_versions on course_versions.course_id = courses.id
    where certification_components.position = 1`);
  await db.raw(`insert into component_credits (subscription_id, course_code, attempt_id, how, credited_at)
    select subscriptions.id, courses.code, attempts.id, 'done', attempts.completed_at
    from attempts join course_versions on course_versions.id = attempts.course_version_id join courses on courses.id = course_versions.course_id
    join certification_components on certification_components.course_code = courses.code
    join subscriptions on subscriptions.certification_id = certification_components.certification_id and subscriptions.person_id = attempts.person_id
    where attempts.person_id = ${personId} and attempts.performance_status = 'Completed' and attempts.started_at > subscriptions.subscribed_at`);

  // Two accounts: the learner, and L&D's administrator who downloads the reports.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const accounts = createAccountStore(db);
  await accounts.insert({ personId, username: "297BENCH00001", passwordHash, role: "learner", now });
  const adminPerson = await db("people").orderBy("id", "desc").first("id");
  await accounts.insert({ personId: Number(adminPerson.id), username: "297BENCHADMIN", passwordHash, role: "admin", now });
  const assignment = await db("assignments").where({ person_id: personId }).first("position_id");

  const counts: Record<string, number> = {};
  for (const table of ["people", "competence_records", "requirement_holdings", "subscriptions", "enrolments", "attempts"]) counts[table] = Number((await db(table).count({ n: "*" }).first())!.n);
  return { learner: { username: "297BENCH00001", personId, positionId: Number(assignment.position_id) }, admin: { username: "297BENCHADMIN" }, counts };
}

const MANIFEST = `<?xml version="1.0"?><manifest identifier="bench12" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>Bench Course</title>
<item identifier="I1" identifierref="R1"><title>Lesson</title><adlcp:masteryscore>80</adlcp:masteryscore></item></organization></organizations>
<resources><resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources></manifest>`;
