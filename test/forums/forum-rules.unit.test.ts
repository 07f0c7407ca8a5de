import { describe, expect, it } from "vitest";
import { mayRead, postProblems, staffRoleOf, tidyText, topicProblems, type Access } from "../../server/forums/forum-rules.ts";

const access = (overrides: Partial<Access>): Access => ({ lnd: false, authorRole: false, learns: false, authors: false, ...overrides });

describe("Forums and Chats' rules", () => {
  it("lets a discussion be read by those doing its learning, its course's author, and L&D; no one else", () => {
    expect(mayRead(access({}))).toBe(false);
    expect(mayRead(access({ learns: true }))).toBe(true);
    expect(mayRead(access({ lnd: true }))).toBe(true);
    expect(mayRead(access({ authorRole: true, authors: true }))).toBe(true);
    // An author's course, but they are no longer an author: only as a learner would they read it.
    expect(mayRead(access({ authors: true }))).toBe(false);
    expect(mayRead(access({ authorRole: true }))).toBe(false);
  });

  it("marks L&D's posts everywhere, and an author's only in their own course's discussions", () => {
    expect(staffRoleOf(access({ lnd: true }))).toBe("admin");
    expect(staffRoleOf(access({ lnd: true, authors: true }))).toBe("admin");
    expect(staffRoleOf(access({ authorRole: true, authors: true, learns: true }))).toBe("author");
    expect(staffRoleOf(access({ authorRole: true, learns: true }))).toBeNull();
    expect(staffRoleOf(access({ learns: true, authors: true }))).toBeNull();
  });

  it("keeps text as written, with one kind of line end and no blank edges", () => {
    expect(tidyText("  one\r\ntwo\rthree\n\n ")).toBe("one\ntwo\nthree");
    expect(tidyText(["not", "text"])).toBe("");
    expect(tidyText(undefined)).toBe("");
  });

  it("names every problem of a topic at once, counting characters rather than bytes", () => {
    expect(topicProblems("", "").problems).toEqual([{ field: "title", message: "Enter a title for your topic" }, { field: "body", message: "Enter your message" }]);
    expect(topicProblems("a\nb", "ok").problems).toEqual([{ field: "title", message: "The title must be one line" }]);
    expect(topicProblems("é".repeat(120), "😀".repeat(5000)).empty).toBe(true);
    expect(topicProblems("é".repeat(121), "😀".repeat(5001)).problems.map((problem) => problem.message)).toEqual(["The title must be 120 characters or fewer (it has 121)", "Your message must be 5000 characters or fewer (it has 5001)"]);
    expect(postProblems("x").empty).toBe(true);
  });
});
