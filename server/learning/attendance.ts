import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { createAttemptStore } from "./attempt-store.ts";

/**
 * A learner marked Attended at a class: an attempt of the course's newest version, completed at
 * the class's end, in the caller's transaction. The caller credits it with creditEarnedAttempts,
 * as of that end, after recording the marking.
 */
export async function attendanceAttempt(
  trx: Db,
  attendance: { personId: number; courseId: number; enrolmentId: number; startedAt: string; completedAt: string; now: string },
): Promise<number> {
  const attempts = createAttemptStore(trx);
  const courseVersionId = await attempts.newestVersionId(attendance.courseId);
  if (courseVersionId === undefined) throw new AppError("learning.course_not_available", "This course has no package, so attendance cannot be recorded against it.", 409);
  return attempts.insertClassroomAttempt({ ...attendance, courseVersionId });
}
