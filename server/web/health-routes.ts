import { Router } from "express";
import type { AppDeps } from "./app.ts";

/** For load balancers: 200 only when the database answers. */
export function healthRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    try {
      await db.raw("select 1");
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "unavailable", reason: "database not answering" });
    }
  });
  return router;
}
