import type { Db } from "../db/connect.ts";
import { addDays } from "../clock.ts";
import { recordAudit } from "../audit/index.ts";
import { localInstant } from "./class-rules.ts";
import { createClassStore } from "./class-store.ts";

/** The demo course that also runs as a practical session in a classroom. */
export const DEMO_CLASSROOM_COURSE = "297 Moving and Handling - Level 1 - Part 1";

/**
 * Two classroom classes for the demo trust, beside the course's e-learning: one with places, one
 * that needs approval, a week and a fortnight from the day the demo is seeded. Added once: a
 * course that has classroom classes already is left alone, so nothing booked is undone.
 */
export async function addDemoClasses(db: Db, today: string, now: string): Promise<number> {
  const store = createClassStore(db);
  const courseId = await store.courseIdByCode(DEMO_CLASSROOM_COURSE);
  if (courseId === undefined || (await store.hasClassroomClasses(courseId))) return 0;
  const classes = [
    { title: "Moving and Handling - Practical Session", date: addDays(today, 7), start: "09:30", end: "12:30", venue: "Education Centre, Training Room 2", capacity: 8, requiresApproval: false },
    { title: "Moving and Handling - Practical Session (Community Staff)", date: addDays(today, 14), start: "13:30", end: "16:30", venue: "Riverside Clinic, Meeting Room 1", capacity: 2, requiresApproval: true },
  ];
  await db.transaction(async (trx) => {
    for (const demo of classes) {
      const classId = await createClassStore(trx).insertClass({ course_id: courseId, kind: "classroom", status: "open", title: demo.title, starts_at: localInstant(demo.date, demo.start), ends_at: localInstant(demo.date, demo.end), venue: demo.venue, capacity: demo.capacity, requires_approval: demo.requiresApproval, created_at: now });
      await recordAudit(trx, { kind: "class.created", at: now, detail: { classId, course: DEMO_CLASSROOM_COURSE, cause: "demo trust" } });
    }
  });
  return classes.length;
}
