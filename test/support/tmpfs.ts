import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A real file system of a fixed size, for what a disk does when it fills: a tmpfs. Mounting needs
 * root on a machine that lets it mount (CI runs as root, as this machine does; a container without
 * the privilege does not), so it is tried once with a tiny one: false, the test file says it skips.
 */
export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "lms-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

export interface Tmpfs {
  dir: string;
  /** Fills the disk with a filler file, then gives back `room` bytes. */
  leaveRoom(room: number): void;
  /** Removes the filler. */
  empty(): void;
  /** Bytes free now, as statfs (and so the LMS) sees them. */
  free(): number;
  unmount(): void;
}

export function mountTmpfs(sizeMb: number): Tmpfs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-tmpfs-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir]);
  const filler = path.join(dir, "filler");
  return {
    dir,
    leaveRoom(room) {
      fs.rmSync(filler, { force: true });
      const handle = fs.openSync(filler, "w");
      const chunk = Buffer.alloc(1024 * 1024, 1);
      try {
        for (;;) fs.writeSync(handle, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      } finally {
        fs.closeSync(handle);
      }
      fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - room));
    },
    empty: () => fs.rmSync(filler, { force: true }),
    free() {
      const stats = fs.statfsSync(dir);
      return stats.bavail * stats.bsize;
    },
    unmount() {
      execFileSync("umount", [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
