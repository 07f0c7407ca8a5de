import { ProblemList } from "../problems.ts";

/** A discussion belongs to one course or one certification of the catalog. */
export type DiscussionKind = "course" | "certification";
export const DISCUSSION_KINDS: readonly DiscussionKind[] = ["course", "certification"];

/** Who answers for the trust in a thread: L&D anywhere, a course's author in its discussions. */
export type StaffRole = "admin" | "author";
export const STAFF_LABELS: Record<StaffRole, string> = { admin: "L&D", author: "Course author" };

/** What a person has to do with one discussion, as the read model found it. */
export interface Access {
  /** An L&D administrator. */
  lnd: boolean;
  /** Holds the course author's role. */
  authorRole: boolean;
  /** Subscribed (now or before) to the certification, or to one that has the course as a component, or booked on one of the course's classes. */
  learns: boolean;
  /** Imported a version of the course, or of a course that is a component of the certification. */
  authors: boolean;
}

// Rules of Forums and Chats, pure. A discussion is for the people doing that learning: what is asked
// there can name their progress, and a question seen by a whole trust is one fewer people dare ask.
// L&D moderates every discussion, so sees all of the catalog's; an author sees those of their courses.

export function mayRead(access: Access): boolean {
  return access.lnd || access.learns || (access.authors && access.authorRole);
}

/** The role a post is marked with, kept on the post as it was when written. */
export function staffRoleOf(access: Access): StaffRole | null {
  if (access.lnd) return "admin";
  if (access.authorRole && access.authors) return "author";
  return null;
}

export const TITLE_MAX = 120;
export const BODY_MAX = 5000;

/** Line ends as one kind, and no blank edges: what is stored is what is shown (as plain text). */
export function tidyText(text: unknown): string {
  return typeof text === "string" ? text.replace(/\r\n?/g, "\n").trim() : "";
}

const length = (text: string) => [...text].length;

export function postProblems(body: string, problems = new ProblemList()): ProblemList {
  if (!body) problems.add("body", "Enter your message");
  else if (length(body) > BODY_MAX) problems.add("body", `Your message must be ${BODY_MAX} characters or fewer (it has ${length(body)})`);
  return problems;
}

export function topicProblems(title: string, body: string): ProblemList {
  const problems = new ProblemList();
  if (!title) problems.add("title", "Enter a title for your topic");
  else if (title.includes("\n")) problems.add("title", "The title must be one line");
  else if (length(title) > TITLE_MAX) problems.add("title", `The title must be ${TITLE_MAX} characters or fewer (it has ${length(title)})`);
  return postProblems(body, problems);
}
