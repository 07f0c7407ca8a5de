import { afterEach, describe, expect, it } from "vitest";
import { addDays, createClock, DEFAULT_TIME_ZONE, localDate, localTime, setTrustTimeZone } from "../server/clock.ts";
import { guideDate, guideDateTime } from "../server/format.ts";
import { componentOutcome } from "../server/learning/crediting.ts";
import { loadConfig } from "../server/config.ts";

/** Moments are UTC instants; their dates and times are read in the trust's time zone (Europe/London by default). */
describe("the trust's time zone", () => {
  afterEach(() => setTrustTimeZone(DEFAULT_TIME_ZONE));

  it("reads a summer night's 00:30 in London as that day, and a winter one the same as UTC", () => {
    expect(localDate("2026-06-30T23:30:00.000Z")).toBe("2026-07-01"); // 00:30 BST
    expect(localTime("2026-06-30T23:30:00.000Z")).toBe("00:30");
    expect(guideDateTime("2026-06-30T23:30:00.000Z")).toBe("01-Jul-2026 00:30");
    expect(guideDate("2026-06-30T23:30:00.000Z")).toBe("01-Jul-2026");
    expect(guideDate("2026-06-30")).toBe("30-Jun-2026"); // a date is a date, never shifted
    expect(localDate("2026-12-31T23:30:00.000Z")).toBe("2026-12-31"); // GMT
    expect(createClock("2026-03-29T23:30:00.000Z").today()).toBe("2026-03-30"); // the night the clocks go forward
  });

  it("follows TIME_ZONE, and refuses a zone nobody knows", () => {
    setTrustTimeZone("America/New_York");
    expect(localDate("2026-07-01T02:00:00.000Z")).toBe("2026-06-30");
    expect(() => loadConfig({ TIME_ZONE: "Europe/Atlantis" })).toThrow(/TIME_ZONE must be an IANA time zone/);
    expect(loadConfig({}).timeZone).toBe("Europe/London");
  });

  it("keeps date arithmetic on the calendar, whatever the zone", () => {
    setTrustTimeZone("Pacific/Kiritimati"); // UTC+14
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-10-24", 2)).toBe("2026-10-26");
  });

  it("counts learning finished at 00:30 BST on the complete-by date's next day as late, and at 23:30 BST on it as in time", () => {
    const subscription = { id: 1, status: "Subscribed" as const, subscribedAt: "2026-06-01T09:00:00.000Z", completeBy: "2026-06-30", endedAt: null };
    const component = { id: 1, courseCode: "297 Part 1", requires: "completion" as const, satisfiedByCourseCode: null };
    const finishedAt = (completedAt: string) => ({ id: 7, courseCode: "297 Part 1", preview: false, startedAt: "2026-06-30T20:00:00.000Z", performanceStatus: "Completed" as const, completedAt, scoreScaled: null, passMark: null });
    expect(componentOutcome(component, subscription, [finishedAt("2026-06-30T22:30:00.000Z")])).toMatchObject({ state: "done" });
    expect(componentOutcome(component, subscription, [finishedAt("2026-06-30T23:30:00.000Z")])).toMatchObject({ state: "not done", reason: "completed after the complete-by date (30-Jun-2026) - not counted" });
  });
});
