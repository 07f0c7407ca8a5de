import fs from "node:fs";
import type { RequestHandler } from "express";
import { AppError } from "../errors.ts";

/**
 * Refuses an upload, before a byte of it is read, when the disk under DATA_DIR would be left with
 * less than the floor (DISK_FREE_FLOOR_MB): a full disk stops every learner's commits, not only
 * the upload. The request's declared length counts as already written; a chunked upload declares
 * none, and its file limits bound it.
 */
export function refuseWhenDiskLow(dataDir: string, floorBytes: number): RequestHandler {
  return async (req, _res, next) => {
    await fs.promises.mkdir(dataDir, { recursive: true });
    const stats = await fs.promises.statfs(dataDir);
    const free = stats.bavail * stats.bsize;
    const coming = Number(req.headers["content-length"] ?? 0) || 0;
    if (free - coming >= floorBytes) return next();
    next(new AppError("storage.disk_low", "The server is short of disk space, so uploads are paused and nothing was saved. Try again later, and tell the service desk if it lasts.", 507));
  };
}
