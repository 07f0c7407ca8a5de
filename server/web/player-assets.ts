import { Router, type Request, type Response } from "express";
import { playerBundles, type BundleName } from "./player-build.ts";

// A year, the most a cache keeps anything: a versioned URL's bytes never change.
const VERSIONED_CACHE = "public, max-age=31536000, immutable";

/**
 * The LMS origin's bundles: /assets/player-12.js and /assets/player-2004.js (the player window of
 * each SCORM edition) and /assets/play.js (Play buttons), with their source maps. Mounted before
 * sessions: no cookie, no database.
 */
export function playerAssetRoutes(): Router {
  const router = Router();
  router.get(/^\/assets\/(player-12|player-2004|play)\.js(\.map)?$/, async (req, res) => {
    const params = req.params as unknown as { 0: BundleName; 1?: string };
    await sendBundle(req, res, params[0], Boolean(params[1]));
  });
  return router;
}

/**
 * The URL a page gives a bundle, versioned by its hash (`/assets/player-12.js?v=...`): kept a year
 * without asking again, so a learner's second Play loads no script at all. A new build is a new
 * URL; a page rendered before it (another process, a restart) still gets the bundle, revalidated.
 */
export async function bundleUrl(path: string, name: BundleName): Promise<string> {
  return `${path}?v=${(await playerBundles())[name].hash}`;
}

/**
 * Sends a bundle (or its map). Gzipped once at build for the browsers that take gzip (all of
 * them), so the content origin, which compresses nothing else, sends it small too. At its
 * versioned URL it is cached for a year; anywhere else browsers revalidate by ETag, so a restart
 * with new code is picked up at once.
 */
export async function sendBundle(req: Request, res: Response, name: BundleName, map: boolean): Promise<void> {
  const bundle = (await playerBundles())[name];
  if (map) {
    res.set("Cache-Control", "no-cache").type("application/json").send(bundle.map);
    return;
  }
  res.set("Cache-Control", req.query.v === bundle.hash ? VERSIONED_CACHE : "no-cache");
  res.vary("Accept-Encoding").type("text/javascript");
  // One ETag per representation: a cache must not answer a gzip request with the plain bytes.
  if (req.acceptsEncodings("gzip") === "gzip") res.set({ "Content-Encoding": "gzip", ETag: `"${bundle.hash}-gz"` }).send(bundle.gzip);
  else res.set("ETag", `"${bundle.hash}"`).send(bundle.js);
}
