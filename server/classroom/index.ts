import type { Db } from "../db/connect.ts";
import { createClassStore } from "./class-store.ts";

// The classroom area's public surface: L&D's class pages, the learner's Choose and Enrol class
// pages, the demo trust's classes, and each course's e-learning class (the classes table is this
// area's; a package import asks for the class here). Other areas import this file, never the
// modules behind it.

export { classAdminRoutes } from "./admin-routes.ts";
export { addDemoClasses } from "./demo-classes.ts";
export { classLearnerRoutes } from "./learner-routes.ts";

/** Makes the course's e-learning class, which learners enrol in, unless it has one: in the caller's transaction (a package's first import). */
export function ensureElearningClass(trx: Db, courseId: number, code: string): Promise<void> {
  return createClassStore(trx).ensureElearningClass(courseId, code);
}
