import type { RequestHandler } from "express";

/** Which of the header's menu links a path belongs to: the first whose pattern matches. */
const SECTIONS: Array<[section: string, pattern: RegExp]> = [
  ["Courses", /^\/author(?:\/|$)/],
  ["Catalog", /^\/catalog(?:\/|$)/],
  ["Administration", /^\/admin(?:\/|$)|^\/learning\/forums\/reported$/],
  ["Help", /^\/help$/],
  ["Portal", /^\/(?:$|learning(?:\/|$)|compliance(?:\/|$))/],
];

/**
 * The NHS header marks the section a page is in (the menu link's aria-current and its bold
 * fallback), so that on a phone, where the page title may be below the fold, the learner still
 * knows where they are. Set by path, like the learning bar, so that a new page gets it unasked.
 */
export const headerSection: RequestHandler = (req, res, next) => {
  res.locals.headerSection = SECTIONS.find(([, pattern]) => pattern.test(req.path))?.[0];
  next();
};
