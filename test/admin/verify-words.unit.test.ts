import { describe, expect, it } from "vitest";
import { forLearningAndDevelopment, notCountedBecause } from "../../server/admin/verify.ts";

/** Verify a learner speaks to L&D: what happened and what the learner needs to do, never "press Play". */
describe("why not credited, in L&D's words", () => {
  it.each([
    ["played before subscribing - not counted; press Play to start again", "Not counted: played before subscribing. Learning counts only when played after subscribing; Emma needs to play it again"],
    ["played before subscribing - not counted; choose or enrol in class, then press Play to start again", "Not counted: played before subscribing. Learning counts only when played after subscribing; Emma needs to enrol in its class, then play it again"],
    ["failed: 50%, pass mark 80%; press Play to try again", "Failed: 50%, pass mark 80%; Emma needs to try again"],
    ["completed but not passed: 60%, pass mark 80%", "Completed but not passed: 60%, pass mark 80%: an assessment counts only when passed"],
    ["completed after the complete-by date (31-Mar-2026) - not counted", "Not counted: completed after the complete-by date (31-Mar-2026)"],
    ["played after the subscription ended - not counted", "Not counted: played after the subscription ended"],
    ["not subscribed - learning played now will not count", "Not subscribed: learning played now would not count"],
    ["subscription expired after 31-Mar-2026 - subscribe again", "Subscription expired after 31-Mar-2026: Emma needs to subscribe again"],
    ["in progress", "In progress: started, not finished"],
  ])("%s", (learnerWords, ldWords) => {
    expect(forLearningAndDevelopment(learnerWords, "Emma")).toBe(ldWords);
    expect(forLearningAndDevelopment(learnerWords, "Emma")).not.toMatch(/press Play|\byou\b/);
  });

  it("says an attempt played before subscribing was not counted, and one played after could count", () => {
    const certifications = [{ certification: { name: "297 Core Skills - Fire Safety" }, subscription: { subscribedAt: "2026-03-12T10:00:00.000Z" }, components: [{ course: "297 Fire Safety" }] }];
    expect(notCountedBecause({ code: "297 Fire Safety", started_at: "2026-03-12T09:30:00.000Z", preview: 0 }, certifications)).toBe("Not counted: played 12-Mar-2026 09:30, before subscribing to 297 Core Skills - Fire Safety on 12-Mar-2026 10:00. Learning counts only when played after subscribing");
    expect(notCountedBecause({ code: "297 Fire Safety", started_at: "2026-03-12T10:30:00.000Z", preview: 0 }, certifications)).toBeUndefined();
    expect(notCountedBecause({ code: "297 Other", started_at: "2026-03-12T10:30:00.000Z", preview: 0 }, certifications)).toBe("Not counted: played without a subscription to a certification that includes this course");
    expect(notCountedBecause({ code: "297 Fire Safety", started_at: "2026-03-12T10:30:00.000Z", preview: 1 }, certifications)).toBe("Not counted: an author's preview");
  });
});
