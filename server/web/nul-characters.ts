import fs from "node:fs";
import type { Request, RequestHandler } from "express";
import { AppError } from "../errors.ts";

/**
 * PostgreSQL text cannot hold the NUL character (U+0000): any query carrying one fails whole
 * ("invalid byte sequence for encoding UTF8: 0x00"), so a NUL typed into any form was a 500 there,
 * and SQLite kept it. Nobody types one on purpose, so a request carrying one is refused at the
 * door, with words, before any rule or store sees it (found by test/reliability/fuzz-forms.test.ts).
 */
export function containsNul(value: unknown): boolean {
  // A walk with a stack of its own: a JSON body may nest deeper than the call stack.
  const pending: unknown[] = [value];
  while (pending.length) {
    const item = pending.pop();
    if (typeof item === "string") {
      if (item.includes("\u0000")) return true;
    } else if (item !== null && typeof item === "object") {
      for (const [key, inner] of Object.entries(item)) {
        if (key.includes("\u0000")) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

function nulRefused(): AppError {
  return new AppError("request.nul_character", "What was sent contains a NUL character (\\0), which cannot be saved. Nothing was saved: type it again without it.", 400);
}

/** The request's fields (multipart ones once multer has read them), query and file name. */
function requestContainsNul(req: Request): boolean {
  return containsNul(req.body) || containsNul(req.query) || containsNul(req.file?.originalname);
}

/** Refuses a form, a JSON body or a query with a NUL in it; multipart forms are read later, by multer: see refuseNulInUpload. */
export const refuseNul: RequestHandler = (req, _res, next) => next(requestContainsNul(req) ? nulRefused() : undefined);

/** After multer: a refused upload's temporary file goes too, so nothing of it stays. */
export function refuseNulInUpload(req: Request): AppError | undefined {
  if (!requestContainsNul(req)) return undefined;
  if (req.file?.path) fs.rmSync(req.file.path, { force: true });
  return nulRefused();
}
