import fs from "node:fs";
import type { Request, RequestHandler } from "express";
import { AppError } from "../errors.ts";
import { containsNul } from "../format.ts";

// Refused at the door: see containsNul (format.ts) for why a NUL can never be saved.
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
