import type { Knex } from "knex";

/** A course_search row: a course code, the organisation it comes from, and its searchable text. */
export interface CourseSearchRow {
  code: string;
  organisation: string | null;
  search_text: string;
}

/**
 * The writes of course_search and what its text is made of, for refreshCourseSearch
 * (course-search-index.ts), on the caller's transaction. Searching it is course-search-store.ts's.
 */
export function createCourseSearchIndexStore(db: Knex) {
  return {
    /**
     * The courses' titles and the certifications and competencies their codes are components
     * of, for these codes (every code when none are given).
     */
    async sources(wanted: string[] | undefined): Promise<[Array<{ code: string; title: string }>, Array<{ course_code: string; certification: string; competency: string }>]> {
      const only = <Q extends Knex.QueryBuilder>(query: Q, column: string): Q => (wanted ? (query.whereIn(column, wanted) as Q) : query);
      return Promise.all([
        only(db("courses").select("code", "title"), "code"),
        only(
          db("certification_components")
            .join("certifications", "certifications.id", "certification_components.certification_id")
            .join("competencies", "competencies.id", "certifications.competency_id")
            .select("certification_components.course_code", "certifications.name as certification", "competencies.name as competency")
            .orderBy("certifications.name"),
          "certification_components.course_code",
        ),
      ]);
    },

    async save(rows: CourseSearchRow[]): Promise<void> {
      for (let start = 0; start < rows.length; start += 200) {
        await db("course_search").insert(rows.slice(start, start + 200)).onConflict("code").merge(["organisation", "search_text"]);
      }
    },

    /** Deletes the rows of codes not kept: of these codes, or of any code when none are given. */
    async removeAllBut(kept: string[], wanted: string[] | undefined): Promise<void> {
      const gone = db("course_search").whereNotIn("code", kept);
      await (wanted ? gone.whereIn("code", wanted) : gone).delete();
    },
  };
}

/** The course codes of a competency's certifications: its rename changes their search text. */
export async function courseCodesOfCompetency(db: Knex, competencyId: number): Promise<string[]> {
  const rows = await db("certification_components")
    .join("certifications", "certifications.id", "certification_components.certification_id")
    .where("certifications.competency_id", competencyId)
    .distinct("certification_components.course_code");
  return rows.map((row) => String(row.course_code));
}

/** The course codes of a certification's components. */
export async function courseCodesOfCertification(db: Knex, certificationId: number): Promise<string[]> {
  const rows = await db("certification_components").where({ certification_id: certificationId }).select("course_code");
  return rows.map((row) => String(row.course_code));
}
