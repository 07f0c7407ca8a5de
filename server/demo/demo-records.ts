import { addDays } from "../clock.ts";

/**
 * The demo learner's competence records, dated relative to today so that the first screen always
 * looks like the guide's: mostly Green, one Amber (expiring within 3 months), one Red (expired)
 * and one Blue (held but not required by the primary assignment), which gives 90%.
 */
export function demoRecords(today: string): Array<{ competency: string; achievedOn: string; expiresOn: string }> {
  const held = (competency: string, expiresInDays: number, validDays: number) => ({
    competency,
    achievedOn: addDays(today, expiresInDays - validDays),
    expiresOn: addDays(today, expiresInDays),
  });
  return [
    held("NHS|CSTF|Equality, Diversity and Human Rights - 3 Years|", 700, 1095),
    held("NHS|CSTF|Fire Safety - 1 Year|", 240, 365),
    held("NHS|CSTF|Health, Safety and Welfare - 3 Years|", 410, 1095),
    held("NHS|CSTF|Infection Prevention and Control - Level 1 - 3 Years|", 410, 1095),
    held("NHS|CSTF|Information Governance - 1 Year|", 45, 365), // Amber
    held("NHS|CSTF|Moving and Handling - Level 1 - 3 Years|", 900, 1095),
    held("NHS|CSTF|NHS Conflict Resolution (England) - 3 Years|", -120, 1095), // Red
    held("NHS|CSTF|Preventing Radicalisation - Levels 1 & 2 (Basic Prevent Awareness) - 3 Years|", 410, 1095),
    held("NHS|CSTF|Safeguarding Adults - Level 2 - 3 Years|", 520, 1095),
    held("NHS|CSTF|Safeguarding Children (Version 2) - Level 1 - 3 Years|", 410, 1095),
    held("NHS|CSTF|Safeguarding Adults - Level 1 - 3 Years|", 300, 1095), // Blue on the primary assignment
  ];
}

export const DEMO_LEARNER = "297ECONROY01";
