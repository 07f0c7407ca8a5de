import multer from "multer";
import fs from "node:fs";
import type { Request, RequestHandler } from "express";
import { AppError, isOutOfSpace, OUT_OF_SPACE } from "../errors.ts";
import { refuseNulInUpload } from "./nul-characters.ts";
import { CSRF_REFUSAL, uploadFormTokenValid } from "./session.ts";
import { refuseWhenDiskLow } from "./free-space.ts";
import { throttle, uploadThrottle } from "./throttle.ts";
import type { AppDeps } from "../deps.ts";

/**
 * What every upload passes before its body is read, after its route's role check: the account's
 * upload limit (counted in the database, like the log-in limits) and the disk's free space, where
 * an upload that declares no length counts as the most its route takes (`maxBytes`).
 */
export function uploadGuards({ db, clock, config }: Pick<AppDeps, "db" | "clock" | "config">, maxBytes: number): RequestHandler[] {
  return [throttle(db, clock, uploadThrottle(config.quotas.uploadsPerQuarterHour)), refuseWhenDiskLow(config.dataDir, config.diskFreeFloorBytes, maxBytes)];
}

/**
 * One file from a multipart form, in the field named `file`. File names are read as UTF-8 (what
 * browsers send; multer's default, latin1, turns "Zoë" into "ZoÃ«"), and the limits' refusals
 * become messages for the person who chose the file. A form sent without a file passes through.
 */
export function uploadOne(options: Omit<multer.Options, "defParamCharset">, maxBytes: number, before: () => void = () => undefined): RequestHandler {
  const single = multer({ ...options, defParamCharset: "utf8" }).single("file");
  return (req, res, next) => {
    before();
    single(req, res, (error: unknown) => (error ? next(uploadError(error, maxBytes)) : next(formRefusal(req))));
  };
}

/**
 * What an upload form, now read, is refused for: a token that does not match the session's (the
 * check session.ts left until now), or a NUL. The file multer stored is removed with it.
 */
export function formRefusal(req: Request): AppError | undefined {
  const refusal = uploadFormTokenValid(req) ? refuseNulInUpload(req) : new AppError("csrf.invalid", CSRF_REFUSAL, 403);
  if (refusal && req.file?.path) fs.rmSync(req.file.path, { force: true });
  return refusal;
}

function uploadError(error: unknown, maxBytes: number): AppError {
  if (isOutOfSpace(error)) return new AppError("storage.full", OUT_OF_SPACE, 507);
  if (error instanceof multer.MulterError) {
    if (error.code === "LIMIT_FILE_SIZE") return new AppError("upload.too_large", `The file is too large: it must be ${maxBytes / 1024 / 1024} MB or smaller. Nothing was saved`, 400);
    if (error.code === "LIMIT_UNEXPECTED_FILE") return new AppError("upload.unexpected_file", "Send one file, in the field named file", 400);
    return new AppError(`upload.${error.code.toLowerCase()}`, `The upload was refused: ${error.message}`, 400);
  }
  return new AppError("upload.failed", `The upload did not arrive whole: ${(error as Error).message}`, 400);
}
