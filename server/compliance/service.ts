import type { Db } from "../db/connect.ts";
import { peopleDirectory, type AssignmentView } from "../people/index.ts";
import { assignmentCompliance, type ComplianceRow } from "./assignment-compliance.ts";
import { createComplianceStore } from "./store.ts";

export interface AssignmentComplianceView {
  assignment: AssignmentView;
  percentage: number;
  rows: ComplianceRow[];
}

/** Every assignment of a person with its compliance as of the date, primary first. */
export async function personCompliance(db: Db, personId: number, asOf: string): Promise<AssignmentComplianceView[]> {
  const store = createComplianceStore(db);
  const [assignments, records] = await Promise.all([peopleDirectory(db).assignmentsOf(personId), store.approvedRecordsOf(personId, asOf)]);
  const views: AssignmentComplianceView[] = [];
  for (const assignment of assignments) {
    const requirements = await store.requirementsOfPosition(assignment.positionId);
    views.push({ assignment, ...assignmentCompliance(requirements, records, asOf, assignment.startDate) });
  }
  return views;
}
