import fs from "node:fs";
import path from "node:path";
import { Router } from "express";
import { databaseAnswers } from "../db/connect.ts";
import type { AppDeps } from "../deps.ts";
import { watchEventLoop } from "./event-loop.ts";

/** Longer than this and the check answers 503: a hung network file system must not hang the balancer's probe. */
const STORAGE_TIMEOUT_MS = 2000;
/**
 * Written into DATA_DIR/packages when the storage is first used. A share that is not mounted leaves
 * an empty folder (its mount point) in its place: without this file, that would look healthy.
 */
export const STORAGE_MARKER = ".lms-package-storage";

/**
 * For load balancers: 200 only when the database answers and the package storage (DATA_DIR/packages,
 * shared by every process) is there and takes a write, so a process whose share has gone away is
 * taken out of rotation rather than failing every course it launches.
 */
export function healthRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const packages = path.join(config.dataDir, "packages");
  fs.mkdirSync(packages, { recursive: true });
  if (!fs.existsSync(path.join(packages, STORAGE_MARKER))) fs.writeFileSync(path.join(packages, STORAGE_MARKER), "The LMS's package storage: every app process must see this file.\n");
  const eventLoop = watchEventLoop();
  router.get("/healthz", async (_req, res) => {
    try {
      await databaseAnswers(db);
    } catch {
      res.status(503).json({ status: "unavailable", reason: "database not answering" });
      return;
    }
    if (!(await storageAnswers(packages))) {
      res.status(503).json({ status: "unavailable", reason: "package storage missing or not writable" });
      return;
    }
    res.json({ status: "ok", eventLoopDelayMs: eventLoop.longestMs() });
  });
  return router;
}

/** The marker is there, and a file can be written and removed beside it, within the time allowed. */
async function storageAnswers(folder: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STORAGE_TIMEOUT_MS)));
  const probe = path.join(folder, `.healthz-${process.pid}`);
  const checked = fs.promises
    .access(path.join(folder, STORAGE_MARKER))
    .then(() => fs.promises.writeFile(probe, "ok"))
    .then(() => fs.promises.rm(probe))
    .then(() => true, () => false);
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
