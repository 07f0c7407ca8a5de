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

/**
 * Courses and their imported versions: what the authors' pages list, what an import writes (on
 * its transaction), what an export, the version cache and the content origin look up.
 */
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

    /** A course's versions as an export chooses among them, oldest first. */
    async versionsToExport(courseId: number): Promise<Array<{ version: number | string; storage_key: string; file_count: number | string; imported_at: string }>> {
      return db("course_versions").where({ course_id: courseId }).orderBy("version", "asc").select("version", "storage_key", "file_count", "imported_at");
    },

    /** The stored manifest JSON of these versions (the version cache parses them). */
    async manifestsOf(ids: number[]): Promise<Array<{ id: number; manifest: string }>> {
      return db("course_versions").whereIn("id", ids).select("id", "manifest");
    },

    /** Where a version's files are kept (storage.ts), or undefined when there is no such version. */
    async storageKeyOf(id: number): Promise<string | undefined> {
      const version = await db("course_versions").where({ id }).first("storage_key");
      return version ? String(version.storage_key) : undefined;
    },

    /**
     * The course an import adds a version to, made when it is new (its title follows the
     * newest import); its id. ON CONFLICT ... DO UPDATE also locks the course row on PostgreSQL,
     * so two imports of one course take version numbers one after the other.
     */
    async upsertCourse(course: { code: string; title: string; at: string }): Promise<number> {
      const [courseRow] = await db("courses")
        .insert({ code: course.code, title: course.title, kind: "elearning", created_at: course.at })
        .onConflict("code")
        .merge(["title"])
        .returning("id");
      return Number(courseRow.id);
    },

    /** The course's newest version of exactly this content (content-hash.ts), if any. */
    async versionWithContent(courseId: number, contentHash: string): Promise<{ version: number; importedAt: string } | undefined> {
      const row = await db("course_versions").where({ course_id: courseId, content_hash: contentHash }).orderBy("version", "desc").first("version", "imported_at");
      return row ? { version: Number(row.version), importedAt: String(row.imported_at) } : undefined;
    },

    /** The course's highest version number, 0 before its first import. */
    async lastVersion(courseId: number): Promise<number> {
      const previous = await db("course_versions").where({ course_id: courseId }).max("version as version").first();
      return Number(previous?.version ?? 0);
    },

    async insertVersion(version: {
      courseId: number;
      version: number;
      scormVersion: string;
      title: string;
      storageKey: string;
      manifestJson: string;
      fileCount: number;
      totalBytes: number;
      at: string;
      importedBy: number | null;
      contentHash: string;
    }): Promise<number> {
      const [versionRow] = await db("course_versions")
        .insert({
          course_id: version.courseId,
          version: version.version,
          scorm_version: version.scormVersion,
          title: version.title,
          storage_key: version.storageKey,
          manifest: version.manifestJson,
          file_count: version.fileCount,
          total_bytes: version.totalBytes,
          imported_at: version.at,
          imported_by: version.importedBy,
          content_hash: version.contentHash,
        })
        .returning("id");
      return Number(versionRow.id);
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
