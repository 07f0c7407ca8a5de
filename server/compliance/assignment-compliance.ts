import { complianceStatus, compliancePercentage, type ComplianceStatus } from "./status.ts";
import { addDays } from "../clock.ts";

/** The guide's new starters complete core skills "within one month of starting", unless the position says otherwise. */
export const NEW_STARTER_DAYS = 30;

/** When a new starter must hold a requirement: its Due Within days (else NEW_STARTER_DAYS) after the assignment's start. */
export function newStarterDueBy(startDate: string, dueWithinDays: number | null): string {
  return addDays(startDate, dueWithinDays ?? NEW_STARTER_DAYS);
}

export interface Requirement {
  competencyId: number;
  competencyName: string;
  essential: boolean;
  minLevel: string | null;
  /** Days from the assignment's start to hold it by (Due Within on the position); null: NEW_STARTER_DAYS. */
  dueWithinDays: number | null;
}

export interface CompetenceRecordRow {
  competencyId: number;
  competencyName: string;
  level: string;
  expiresOn: string | null;
}

export interface ComplianceRow {
  competencyId: number;
  competency: string;
  competenceLevel: string | null;
  minLevel: string | null;
  essential: boolean;
  required: boolean;
  expiryDate: string | null;
  status: ComplianceStatus;
  /** An essential competency never held, in an assignment with a start date: when it is (or was) due. */
  dueBy: string | null;
}

/**
 * One assignment's compliance as of a date: a row per requirement of its position (with the best
 * approved record the person holds), plus a Blue row per competency held but not required.
 * Pure: the store supplies requirements and approved records.
 */
export function assignmentCompliance(requirements: Requirement[], records: CompetenceRecordRow[], asOf: string, startDate: string | null = null) {
  const best = bestRecords(records);
  const required = new Set(requirements.map((requirement) => requirement.competencyId));
  const rows: ComplianceRow[] = requirements.map((requirement) => {
    const record = best.get(requirement.competencyId) ?? null;
    return {
      competencyId: requirement.competencyId,
      competency: requirement.competencyName,
      competenceLevel: record?.level ?? null,
      minLevel: requirement.minLevel,
      essential: requirement.essential,
      required: true,
      expiryDate: record?.expiresOn ?? null,
      status: complianceStatus(true, record, asOf),
      dueBy: !record && requirement.essential && startDate ? newStarterDueBy(startDate, requirement.dueWithinDays) : null,
    };
  });
  for (const record of best.values()) {
    if (required.has(record.competencyId)) continue;
    rows.push({
      competencyId: record.competencyId,
      competency: record.competencyName,
      competenceLevel: record.level,
      minLevel: null,
      essential: false,
      required: false,
      expiryDate: record.expiresOn,
      status: complianceStatus(false, record, asOf),
      dueBy: null,
    });
  }
  rows.sort((a, b) => a.competency.localeCompare(b.competency));
  return { percentage: compliancePercentage(rows), rows };
}

/** A person may hold several records of one competency (renewals); the one lasting longest counts. */
function bestRecords(records: CompetenceRecordRow[]): Map<number, CompetenceRecordRow> {
  const best = new Map<number, CompetenceRecordRow>();
  for (const record of records) {
    const current = best.get(record.competencyId);
    if (!current || lastsLonger(record, current)) best.set(record.competencyId, record);
  }
  return best;
}

function lastsLonger(a: CompetenceRecordRow, b: CompetenceRecordRow): boolean {
  if (b.expiresOn === null) return false;
  return a.expiresOn === null || a.expiresOn > b.expiresOn;
}
