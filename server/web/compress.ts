import compression from "compression";
import type { Request, RequestHandler, Response } from "express";

/**
 * gzip for what is safe to compress: the static files (stylesheets and scripts, no secret in them)
 * and the pages that ask for it (`compressPage`): the player window, which for the largest course
 * the package limits allow is 10.5 MB of HTML and 153 KB gzipped, on a phone. Not every page: one
 * that shows what its request asked for beside a secret (a search page, its forms carrying the
 * anti-forgery token) would let someone who can see the compressed lengths and make the browser
 * ask many times guess the secret a character at a time (BREACH).
 */
export function compressWhereSafe(): RequestHandler {
  return compression({ filter: (req: Request, res: Response) => (req.path.startsWith("/assets/") || res.locals.compressPage === true) && compression.filter(req, res) });
}

/** Marks this response as safe to compress: nothing in it comes from the request but ids checked against the database. */
export function compressPage(res: Response): void {
  res.locals.compressPage = true;
}
