import { describe, expect, it } from "vitest";
import { checkClassForm, localInstant, placeFor, placesLeftLabel } from "../../server/classroom/class-rules.ts";

const NOW = "2026-03-01T09:00:00.000Z";
const FORM = { title: "Practical Session", date: "2026-03-10", startTime: "09:30", endTime: "12:30", venue: "Room 2", capacity: "8", requiresApproval: false };

describe("classroom class rules", () => {
  it("reads the form's wall-clock times in the trust's time zone, across a clock change", () => {
    expect(localInstant("2026-03-10", "09:30")).toBe("2026-03-10T09:30:00.000Z"); // GMT
    expect(localInstant("2026-07-01", "09:30")).toBe("2026-07-01T08:30:00.000Z"); // BST
    expect(localInstant("2026-03-29", "12:00")).toBe("2026-03-29T11:00:00.000Z"); // the day the clocks go forward
  });

  it("checks a class form, naming every problem", () => {
    expect(checkClassForm(FORM, NOW)).toEqual({ problems: [], facts: { title: "Practical Session", startsAt: "2026-03-10T09:30:00.000Z", endsAt: "2026-03-10T12:30:00.000Z", venue: "Room 2", capacity: 8, requiresApproval: false } });
    expect(checkClassForm({ ...FORM, title: "", venue: "", capacity: "0", date: "10/03/2026" }, NOW).problems).toEqual([
      { field: "title", message: "Enter the class title" },
      { field: "date", message: "The date must be a date written like 2027-03-31" },
      { field: "venue", message: "Enter the venue" },
      { field: "capacity", message: "Capacity must be a whole number of places, 1 or more" },
    ]);
    expect(checkClassForm({ ...FORM, endTime: "09:30" }, NOW).problems).toEqual([{ field: "endTime", message: "The end time must be after the start time" }]);
    expect(checkClassForm({ ...FORM, date: "2026-03-01", startTime: "08:00" }, NOW).problems).toEqual([{ field: "date", message: "The class must start in the future" }]);
    // Every problem at once: a past date, an end before the start and no places.
    expect(checkClassForm({ ...FORM, date: "2026-02-27", startTime: "14:00", endTime: "13:00", capacity: "0" }, NOW).problems).toEqual([
      { field: "date", message: "The class must start in the future" },
      { field: "endTime", message: "The end time must be after the start time" },
      { field: "capacity", message: "Capacity must be a whole number of places, 1 or more" },
    ]);
    expect(checkClassForm({ ...FORM, date: "2026-02-30" }, NOW).problems).toEqual([{ field: "date", message: "The date must be a real date (2026-02-30 does not exist)" }]);
    // A class already under way may still be changed (say, its capacity) as long as its start stays.
    expect(checkClassForm({ ...FORM, date: "2026-03-01", startTime: "08:00" }, NOW, "2026-03-01T08:00:00.000Z").problems).toEqual([]);
  });

  it("gives a place while one is left, then the waiting list; a request first when the class needs approval", () => {
    expect(placeFor({ capacity: 2, requiresApproval: false }, 1, false)).toBe("Enrolled");
    expect(placeFor({ capacity: 2, requiresApproval: false }, 2, false)).toBe("Waiting List");
    expect(placeFor({ capacity: 2, requiresApproval: true }, 0, false)).toBe("Requested");
    expect(placeFor({ capacity: 2, requiresApproval: true }, 2, true)).toBe("Waiting List");
    expect([placesLeftLabel(3, 1), placesLeftLabel(3, 2), placesLeftLabel(3, 3)]).toEqual(["2 places left", "1 place left", "Full - join the waiting list"]);
  });
});
