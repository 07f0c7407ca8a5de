import { Router, type Response } from "express";
import { playerBundles, type BundleName } from "./player-build.ts";

/**
 * The LMS origin's bundles: /assets/player.js (the player window) and /assets/play.js (Play
 * buttons), with their source maps. Mounted before sessions: no cookie, no database.
 */
export function playerAssetRoutes(): Router {
  const router = Router();
  router.get(/^\/assets\/(player|play)\.js(\.map)?$/, async (req, res) => {
    const params = req.params as unknown as { 0: BundleName; 1?: string };
    await sendBundle(res, params[0], Boolean(params[1]));
  });
  return router;
}

/** Sends a bundle (or its map); browsers revalidate by ETag, so a restart with new code is picked up at once. */
export async function sendBundle(res: Response, name: BundleName, map: boolean): Promise<void> {
  const bundle = (await playerBundles())[name];
  res.set("Cache-Control", "no-cache");
  res.type(map ? "application/json" : "text/javascript").send(map ? bundle.map : bundle.js);
}
