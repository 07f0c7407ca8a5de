import type { RequestHandler } from "express";
import { claimDiskSpace, diskLow } from "../disk-space.ts";

/**
 * Refuses an upload, before a byte of it is read, when the disk under DATA_DIR would be left with
 * less than the floor (DISK_FREE_FLOOR_MB): a full disk stops every learner's commits, not only
 * the upload. The request claims its declared length (disk-space.ts), counted against what other
 * uploads and imports in flight have claimed; a chunked upload declares none, so it claims the
 * most its route takes (`maxBytes`). The claim is given back once the body has arrived, when it is
 * on the disk for statfs to count (multer's last write may trail by a buffer), or when the
 * request ends without it.
 */
export function refuseWhenDiskLow(dataDir: string, floorBytes: number, maxBytes: number): RequestHandler {
  return async (req, res, next) => {
    const length = req.headers["content-length"];
    const coming = length !== undefined && /^\d+$/.test(length) ? Number(length) : maxBytes;
    try {
      const claim = await claimDiskSpace(dataDir, { bytes: coming, files: 1 }, floorBytes, () => diskLow());
      req.once("end", claim.release);
      res.once("close", claim.release);
      next();
    } catch (error) {
      next(error);
    }
  };
}
