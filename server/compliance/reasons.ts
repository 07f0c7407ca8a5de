import { guideDate } from "../format.ts";
import type { ComplianceRow } from "./assignment-compliance.ts";

/**
 * Why a requirement is not Green, in plain words, and what is under way about it: the compliance
 * page answers "why am I Red?" instead of leaving the learner to guess.
 */
export function complianceReason(row: ComplianceRow, progress: { certification: string; done: number; of: number } | undefined, asOf: string): string | null {
  const underWay = progress ? `${progress.certification}: ${progress.done} of ${progress.of} components completed` : null;
  const why =
    row.status === "Amber"
      ? `expires on ${guideDate(row.expiryDate)} - renew now`
      : row.status === "Red"
        ? row.expiryDate
          ? `expired on ${guideDate(row.expiryDate)}`
          : row.dueBy
            ? `not held; ${row.dueBy < asOf ? "was due" : "due"} by ${guideDate(row.dueBy)} (from the assignment's start)`
            : "not held"
        : null;
  if (why === null) return row.status === "Blue" ? null : underWay;
  return underWay ? `${why}; ${underWay}` : why;
}
