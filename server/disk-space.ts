import fs from "node:fs";
import { AppError } from "./errors.ts";

/**
 * The free-space floor (DISK_FREE_FLOOR_MB) kept across everything this process writes at once.
 * statfs tells what is free now, not what an upload still arriving or a package still unpacking
 * is about to take: checked one at a time, eight uploads that each fit fill the disk together. So
 * each writer claims its bytes here before it writes one, a claim that would take free space less
 * every claim in flight below the floor is refused, and the writer releases its claim (in a
 * finally) once what it wrote is on the disk, where statfs counts it. While it writes, its bytes
 * count twice, written and still claimed: that errs on the side of refusing, for seconds. Other
 * app processes' writes (DESIGN.md, "Running at scale") are seen once they land, not before.
 */
export interface SpaceClaim {
  /** Gives the claim back; a second call does nothing. */
  release(): void;
}

export interface Shortfall {
  /** What the claim asked for, whole blocks counted. */
  wanted: number;
  /** The free space the claim had to leave. */
  floor: number;
}

// Claimed bytes by device: DATA_DIR's folders (packages, evidence, uploads) share one disk's space.
const claimedOn = new Map<number, number>();

/** What a writer is about to put on the disk. */
export interface SpaceNeeded {
  bytes: number;
  /** Files it makes: each takes whole blocks, so 10,000 files of ten bytes take 40 MB, not 100 KB. */
  files?: number;
}

/**
 * Claims room for `needed` on the disk under `dir` (made if missing), or throws what `refusal`
 * makes of the shortfall. The check and the claim happen in one turn of the event loop, so two
 * claims never both see the same room.
 */
export async function claimDiskSpace(dir: string, needed: SpaceNeeded, floorBytes: number, refusal: (shortfall: Shortfall) => AppError): Promise<SpaceClaim> {
  await fs.promises.mkdir(dir, { recursive: true });
  const [{ dev }, stats] = await Promise.all([fs.promises.stat(dir), fs.promises.statfs(dir)]);
  const bytes = needed.bytes + (needed.files ?? 0) * stats.bsize;
  const claimed = claimedOn.get(dev) ?? 0;
  if (stats.bavail * stats.bsize - claimed - bytes < floorBytes) throw refusal({ wanted: bytes, floor: floorBytes });
  claimedOn.set(dev, claimed + bytes);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      const left = (claimedOn.get(dev) ?? 0) - bytes;
      if (left > 0) claimedOn.set(dev, left);
      else claimedOn.delete(dev);
    },
  };
}

/** The refusal of an upload the disk cannot take above the floor (storage.disk_low, 507). */
export const DISK_LOW = "The server is short of disk space, so uploads are paused and nothing was saved. Try again later, and tell the service desk if it lasts.";

export function diskLow(message = DISK_LOW): AppError {
  return new AppError("storage.disk_low", message, 507);
}
