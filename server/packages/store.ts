import { isRowId, type Db } from "../db/connect.ts";
import type { Manifest } from "../scorm/manifest/parse-manifest.ts";

export interface CourseSummary {
  id: number;
  code: string;
  title: string;
  latestVersion: number | null;
  scormVersion: string | null;
  importedAt: string | null;
}

export interface CourseVersionView {
  id: number;
  version: number;
  scormVersion: string;
  title: string;
  storageKey: string;
  fileCount: number;
  totalBytes: number;
  importedAt: string;
  importedBy: string | null;
  manifest: Manifest;
}

/** Courses and their imported versions, for the authors' pages. */
export function createCourseStore(db: Db) {
  return {
    /** How many packages this account has imported since then (AUTHOR_UPLOADS_PER_DAY). */
    async importsBy(accountId: number, since: string): Promise<number> {
      const row = await db("course_versions").where({ imported_by: accountId }).andWhere("imported_at", ">", since).count({ count: "*" }).first();
      return Number(row?.count ?? 0);
    },

    async listCourses(): Promise<CourseSummary[]> {
      const latest = db("course_versions").select("course_id").max("version as version").groupBy("course_id").as("latest");
      const rows = await db("courses")
        .leftJoin(latest, "latest.course_id", "courses.id")
        .leftJoin("course_versions", (join) => join.on("course_versions.course_id", "courses.id").andOn("course_versions.version", "latest.version"))
        .orderBy("courses.code")
        .select("courses.id", "courses.code", "courses.title", "latest.version", "course_versions.scorm_version", "course_versions.imported_at");
      return rows.map((row) => ({
        id: Number(row.id),
        code: String(row.code),
        title: String(row.title),
        latestVersion: row.version === null ? null : Number(row.version),
        scormVersion: row.scorm_version ?? null,
        importedAt: row.imported_at ?? null,
      }));
    },

    async courseById(id: number): Promise<{ id: number; code: string; title: string } | undefined> {
      if (!isRowId(id)) return undefined;
      const row = await db("courses").where({ id }).first("id", "code", "title");
      return row ? { id: Number(row.id), code: String(row.code), title: String(row.title) } : undefined;
    },

    async courseIdByCode(code: string): Promise<number | undefined> {
      const row = await db("courses").where({ code }).first("id");
      return row ? Number(row.id) : undefined;
    },

    /** Newest first. */
    async versionsOf(courseId: number): Promise<CourseVersionView[]> {
      const rows = await versionRows().where("course_versions.course_id", courseId).orderBy("course_versions.version", "desc");
      return rows.map(toVersionView);
    },

    async versionById(id: number): Promise<CourseVersionView | undefined> {
      const row = await versionRows().where("course_versions.id", id).first();
      return row ? toVersionView(row) : undefined;
    },
  };

  function versionRows() {
    return db("course_versions").leftJoin("accounts", "accounts.id", "course_versions.imported_by").select("course_versions.*", "accounts.username");
  }
}

function toVersionView(row: Record<string, unknown>): CourseVersionView {
  return {
    id: Number(row.id),
    version: Number(row.version),
    scormVersion: String(row.scorm_version),
    title: String(row.title),
    storageKey: String(row.storage_key),
    fileCount: Number(row.file_count),
    totalBytes: Number(row.total_bytes),
    importedAt: String(row.imported_at),
    importedBy: (row.username as string | null) ?? null,
    manifest: JSON.parse(String(row.manifest)) as Manifest,
  };
}
