import type { RequestHandler } from "express";

/** The learner's pages: the portal, Compliance and Competency, and everything under /learning. */
const LEARNER_PAGES = /^\/(?:$|learning(?:\/|$)|compliance(?:\/|$))/;

/**
 * The guide shows `Current Learning | Requested Learning` and the Search Course box above every
 * learner page; head.ejs draws them when this is set. Set by path, so that a learner page added
 * later under /learning gets the bar without asking; Search Course fills in what was searched for.
 */
export const learningBar: RequestHandler = (req, res, next) => {
  if (res.locals.user && req.method === "GET" && LEARNER_PAGES.test(req.path)) {
    const tab = req.path.startsWith("/learning/current") ? "current" : req.path.startsWith("/learning/requested") ? "requested" : null;
    res.locals.learningBar = { q: "", exact: false, tab };
  }
  next();
};
