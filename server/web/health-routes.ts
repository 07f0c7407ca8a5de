import fs from "node:fs";
import path from "node:path";
import { Router } from "express";
import type { AppDeps } from "./app.ts";

/** Longer than this and the check answers 503: a hung network file system must not hang the balancer's probe. */
const STORAGE_TIMEOUT_MS = 2000;

/**
 * For load balancers: 200 only when the database answers and the package storage (DATA_DIR/packages,
 * shared by every process) can be read and written, so a process whose share has gone away is
 * taken out of rotation rather than failing every course it launches.
 */
export function healthRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const packages = path.join(config.dataDir, "packages");
  router.get("/healthz", async (_req, res) => {
    try {
      await db.raw("select 1");
    } catch {
      res.status(503).json({ status: "unavailable", reason: "database not answering" });
      return;
    }
    if (!(await storageAnswers(packages))) {
      res.status(503).json({ status: "unavailable", reason: "package storage not readable and writable" });
      return;
    }
    res.json({ status: "ok" });
  });
  return router;
}

async function storageAnswers(folder: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STORAGE_TIMEOUT_MS)));
  const checked = fs.promises.mkdir(folder, { recursive: true }).then(() => fs.promises.access(folder, fs.constants.R_OK | fs.constants.W_OK)).then(() => true, () => false);
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
