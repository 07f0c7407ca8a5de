import type { Db } from "../db/connect.ts";
import { createCourseStore } from "./store.ts";

// The packages area's public surface: importing, validating and exporting SCORM packages, their
// storage, the author's pages, and the parsed course versions the player and runtime read. Other
// areas import this file, never the modules behind it.

export { type CourseVersionCache, courseVersionCacheOf, type RuntimeCourseVersion } from "./course-versions.ts";
export { exportPackage } from "./export-package.ts";
export { importPackage, type ImportProgress, SamePackage, validatePackage } from "./import-package.ts";
export { packageRoutes } from "./routes.ts";
export { createLocalStorage, type PackageStorage } from "./storage.ts";
export { type ValidationReport } from "./validation-report.ts";
export { zipFolder } from "./zip-folder.ts";

/** Where a course version's files are kept (PackageStorage's key), for the content origin; undefined when there is no such version. */
export function storageKeyOf(db: Db, courseVersionId: number): Promise<string | undefined> {
  return createCourseStore(db).storageKeyOf(courseVersionId);
}
