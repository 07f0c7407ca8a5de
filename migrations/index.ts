import type { Knex } from "knex";
import * as m01 from "./20261128_01_organisations_and_people.ts";
import * as m02 from "./20261128_02_accounts.ts";
import * as m03 from "./20261128_03_sessions.ts";
import * as m04 from "./20261128_04_positions_and_assignments.ts";
import * as m05 from "./20261128_05_competencies.ts";
import * as m06 from "./20261128_06_catalog.ts";
import * as m07 from "./20261128_07_certifications.ts";
import * as m08 from "./20261128_08_competence_records.ts";
import * as m09 from "./20261128_09_learning.ts";
import * as m10 from "./20261128_10_attempts.ts";
import * as m11 from "./20261128_11_audit_and_outbox.ts";
import * as m12 from "./20261128_12_attempt_sco_runtime.ts";
import * as m13 from "./20261128_13_attempt_finished_at.ts";
import * as m14 from "./20261128_14_attempt_sequencing_state.ts";
import * as m15 from "./20261128_15_attempt_sco_session_open.ts";
import * as m16 from "./20261128_16_attempt_sco_session_started_at.ts";
import * as m17 from "./20261128_17_component_credits.ts";
import * as m18 from "./20261128_18_requirement_holdings.ts";
import * as m19 from "./20261128_19_credits_by_course.ts";
import * as m20 from "./20261128_20_mail_delivery.ts";
import * as m21 from "./20261128_21_request_throttle.ts";
import * as m22 from "./20261128_22_reminders.ts";
import * as m23 from "./20261202_23_evidence_files.ts";
import * as m24 from "./20261202_24_people_search.ts";
import * as m25 from "./20261205_25_course_search.ts";
import * as m26 from "./20261205_26_certificates.ts";
import * as m27 from "./20261205_27_classroom_classes.ts";
import * as m28 from "./20261206_28_sco_activity_attempts.ts";
import * as m29 from "./20261206_29_bounded_times.ts";
import * as m30 from "./20261207_30_login_failures.ts";
import * as m31 from "./20261207_31_keyed_login_failures.ts";
import * as m32 from "./20261207_32_forums.ts";
import * as m33 from "./20261207_33_package_content_hash.ts";
import * as m35 from "./20261207_35_line_managers.ts";
import * as m36 from "./20261207_36_largest_trusts.ts";

/**
 * Every migration, in order, by its file name. Listed rather than discovered on disk so that the
 * same list works under tsx, vitest and any bundler; a test checks that no file is left out.
 */
export const migrations: Array<[name: string, migration: Knex.Migration]> = [
  ["20261128_01_organisations_and_people.ts", m01],
  ["20261128_02_accounts.ts", m02],
  ["20261128_03_sessions.ts", m03],
  ["20261128_04_positions_and_assignments.ts", m04],
  ["20261128_05_competencies.ts", m05],
  ["20261128_06_catalog.ts", m06],
  ["20261128_07_certifications.ts", m07],
  ["20261128_08_competence_records.ts", m08],
  ["20261128_09_learning.ts", m09],
  ["20261128_10_attempts.ts", m10],
  ["20261128_11_audit_and_outbox.ts", m11],
  ["20261128_12_attempt_sco_runtime.ts", m12],
  ["20261128_13_attempt_finished_at.ts", m13],
  ["20261128_14_attempt_sequencing_state.ts", m14],
  ["20261128_15_attempt_sco_session_open.ts", m15],
  ["20261128_16_attempt_sco_session_started_at.ts", m16],
  ["20261128_17_component_credits.ts", m17],
  ["20261128_18_requirement_holdings.ts", m18],
  ["20261128_19_credits_by_course.ts", m19],
  ["20261128_20_mail_delivery.ts", m20],
  ["20261128_21_request_throttle.ts", m21],
  ["20261128_22_reminders.ts", m22],
  ["20261202_23_evidence_files.ts", m23],
  ["20261202_24_people_search.ts", m24],
  ["20261205_25_course_search.ts", m25],
  ["20261205_26_certificates.ts", m26],
  ["20261205_27_classroom_classes.ts", m27],
  ["20261206_28_sco_activity_attempts.ts", m28],
  ["20261206_29_bounded_times.ts", m29],
  ["20261207_30_login_failures.ts", m30],
  ["20261207_31_keyed_login_failures.ts", m31],
  ["20261207_32_forums.ts", m32],
  ["20261207_33_package_content_hash.ts", m33],
  ["20261207_35_line_managers.ts", m35],
  ["20261207_36_largest_trusts.ts", m36],
];
