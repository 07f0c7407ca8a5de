import { isRowId, readsOf } from "../db/connect.ts";
import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { compressPage } from "../web/compress.ts";
import { bundleUrl } from "../web/player-assets.ts";
import { notFound } from "../errors.ts";
import { contentTokenExpiry, signContentToken } from "../content/index.ts";
import { createPlayerStore, type PlayerAttempt } from "./player-store.ts";
import { playerConfig, playerConfigJson } from "./player-page.ts";

/**
 * The player window: GET /player/attempts/:attemptId, for the attempt's own learner (an author's
 * preview attempt is the author's own). The page carries its configuration as JSON, the CSRF
 * token for commits, and a signed content token for the launcher on the content origin.
 */
export function playerRoutes({ db, config, sessionSecret }: AppDeps): Router {
  const router = Router();
  // The window's page reads beside the commits, not behind them (db/connect.ts's readsOf): Play
  // has committed the attempt before it redirects here, so the reads see it.
  const store = createPlayerStore(db, readsOf(db));

  router.get("/player/attempts/:attemptId", requireLogin, async (req, res) => {
    const attemptId = Number(req.params.attemptId);
    const attempt = isRowId(attemptId) ? await store.attempt(attemptId) : undefined;
    const user = res.locals.user as { personId: number };
    // Someone else's attempt is "not found", so attempt numbers tell a guesser nothing.
    if (!attempt || attempt.personId !== user.personId) throw notFound("That attempt");
    const contentToken = signContentToken(sessionSecret, { courseVersionId: attempt.courseVersionId, attemptId: attempt.id, expiresAt: contentTokenExpiry() });
    const page = playerConfig(attempt, await store.scoProgress(attempt.id), { csrfToken: generateCsrfToken(req), contentUrl: config.contentUrl, contentToken, exitUrl: exitUrlOf(attempt) });
    res.set("Cache-Control", "no-store");
    // Its secrets (the anti-forgery and content tokens) sit beside nothing the request chose.
    compressPage(res);
    // The player window of the course's edition alone (player/player-12.ts, player-2004.ts).
    const bundle = page.scormVersion === "1.2" ? "player-12" : "player-2004";
    const script = await bundleUrl(`/assets/${bundle}.js`, bundle);
    res.render("player/player", { config: page, configJson: playerConfigJson(page, attempt.manifest), contents: page.scos.filter((sco) => sco.visible), script });
  });

  return router;
}

/** Where Home goes when the player is not a window of its own: back to where Play was pressed. */
function exitUrlOf(attempt: PlayerAttempt): string {
  return attempt.preview ? `/author/courses/${attempt.courseId}` : "/";
}
