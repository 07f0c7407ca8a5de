import { describe, expect, it } from "vitest";
import { addCalendarMonths, complianceStatus, compliancePercentage } from "../../server/compliance/status.ts";

const AS_OF = "2026-03-01";

describe("complianceStatus (rule 5)", () => {
  it.each([
    ["never held", true, null, "Red"],
    ["expired last year", true, { expiresOn: "2025-03-01" }, "Red"],
    ["expiring today (valid to the day before)", true, { expiresOn: "2026-03-01" }, "Red"],
    ["expiring tomorrow", true, { expiresOn: "2026-03-02" }, "Amber"],
    ["expiring on the last day of the 3 calendar months", true, { expiresOn: "2026-06-01" }, "Amber"],
    ["expiring the day after the 3 calendar months", true, { expiresOn: "2026-06-02" }, "Green"],
    ["expiring in two years", true, { expiresOn: "2028-03-01" }, "Green"],
    ["never expiring", true, { expiresOn: null }, "Green"],
    ["held but not required", false, { expiresOn: "2028-03-01" }, "Blue"],
    ["held, expired and not required", false, { expiresOn: "2020-01-01" }, "Blue"],
  ] as const)("%s -> %s", (_why, required, record, status) => {
    expect(complianceStatus(required, record, AS_OF)).toBe(status);
  });
});

describe("compliancePercentage", () => {
  it("counts Green and Amber essential requirements over all essential ones", () => {
    const rows = [
      ...Array.from({ length: 8 }, () => ({ essential: true, status: "Green" as const })),
      { essential: true, status: "Amber" as const },
      { essential: true, status: "Red" as const },
      { essential: false, status: "Red" as const },
      { essential: false, status: "Blue" as const },
    ];
    expect(compliancePercentage(rows)).toBe(90);
  });

  it("is 100 when nothing essential is required", () => {
    expect(compliancePercentage([{ essential: false, status: "Red" }])).toBe(100);
  });

  it("rounds to one decimal place", () => {
    expect(compliancePercentage([{ essential: true, status: "Green" }, { essential: true, status: "Green" }, { essential: true, status: "Red" }])).toBe(66.7);
  });
});

describe("addCalendarMonths", () => {
  it.each([
    ["2026-03-01", 3, "2026-06-01"],
    ["2026-11-30", 3, "2027-02-28"],
    ["2027-11-30", 3, "2028-02-29"],
    ["2026-01-31", 1, "2026-02-28"],
  ] as const)("%s + %i months = %s", (date, months, expected) => {
    expect(addCalendarMonths(date, months)).toBe(expected);
  });
});
