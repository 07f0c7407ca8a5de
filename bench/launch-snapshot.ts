/**
 * What one launch loaded, response by response, and the baseline's copy of it: the same bytes of
 * HTML, script, styles and course files, in the same windows and frames on two origins, served by
 * a bare static server (launch-baseline.ts). Only what the LMS decides at run time is left out:
 * the player page's configuration (its bytes kept as spaces), the SCO's state (a fetch), the CMI
 * handshake; the baseline's launcher page puts a stub API on its window and loads the SCO at once.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Page, Response } from "playwright-core";

export interface Loaded {
  url: string;
  type: string;
  /** Bytes as the page got them (decoded). */
  bytes: number;
  /** Bytes on the wire: gzipped again here where the server gzipped them (Chromium reports the decoded body). */
  sent: number;
  /** Answered by the browser's cache, from the pages before. */
  cached: boolean;
  body: Buffer;
}

/** Collects every answered GET of the player window and its frames, from now on. */
export function recordLoads(context: BrowserContext, isPlayer: (page: Page) => boolean): () => Promise<Loaded[]> {
  const pending: Array<Promise<Loaded | null>> = [];
  const take = async (response: Response): Promise<Loaded | null> => {
    if (response.request().method() !== "GET" || response.status() !== 200 || !isPlayer(response.frame().page())) return null;
    const body = await response.body();
    const headers = await response.allHeaders();
    // Chromium reports no body size for what its cache answered (the LMS's stylesheets, cached on the pages before).
    const cached = (await response.request().sizes()).responseBodySize <= 0 && body.length > 0;
    // The player's bundles go gzipped as built (level 9), the rest through compression (level 6).
    const sent = cached ? 0 : headers["content-encoding"] === "gzip" ? gzipSync(body, { level: /\.js\b/.test(response.url()) ? 9 : 6 }).length : body.length;
    return { url: response.url(), type: (headers["content-type"] ?? "").split(";")[0]!, bytes: body.length, sent, cached, body };
  };
  const listener = (response: Response) => void pending.push(take(response).catch(() => null));
  context.on("response", listener);
  return async () => {
    context.off("response", listener);
    return (await Promise.all(pending)).filter((loaded): loaded is Loaded => loaded !== null);
  };
}

const STUB_API = `<script>window.API = { LMSInitialize: () => "true", LMSFinish: () => "true", LMSGetValue: () => "", LMSSetValue: () => "true", LMSCommit: () => "true", LMSGetLastError: () => "0", LMSGetErrorString: () => "", LMSGetDiagnostic: () => "" };</script>`;
const LOAD_SCO = `<script>const sco = document.createElement("iframe"); sco.src = document.body.dataset.scoUrl; document.body.append(sco);</script>`;

/**
 * Writes the baseline's copy of a launch into dir (lms/, content/), for a static server whose
 * content side is at contentBase: home.html loads what the LMS's pages had cached before Play
 * (its stylesheets) and has one button that opens player.html in a pop-up, as Play does.
 */
export function writeBaseline(dir: string, loaded: Loaded[], origins: { lms: string; content: string }, contentBase: string): { bytes: number } {
  let bytes = 0;
  const write = (side: "lms" | "content", pathname: string, body: Buffer | string) => {
    const file = path.join(dir, side, decodeURIComponent(pathname));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    bytes += Buffer.byteLength(body);
  };
  for (const { url, body } of loaded) {
    const { origin, pathname } = new URL(url);
    if (origin === origins.lms && pathname.startsWith("/player/attempts/")) write("lms", "/player.html", playerCopy(body.toString("utf8"), contentBase));
    else if (origin === origins.lms) write("lms", pathname, body);
    else if (origin === origins.content && pathname.startsWith("/launch/")) write("content", "/launch.html", body.toString("utf8").replace("<script src=", `${STUB_API}\n<script src=`).replace("</body>", `${LOAD_SCO}\n</body>`));
    else if (origin === origins.content) write("content", pathname, body);
  }
  // What the learner's browser had cached from the LMS's pages before Play, this page loads too.
  const before = loaded
    .filter((item) => item.cached && new URL(item.url).origin === origins.lms)
    .map((item) => (item.type === "text/css" ? `<link rel="stylesheet" href="${new URL(item.url).pathname}">` : `<link rel="icon" href="${new URL(item.url).pathname}">`))
    .join("");
  const home = `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Home</title>${before}</head><body>
<button type="button" data-bench-play onclick="window.open('/player.html', 'bench-player', 'popup=yes,width=1100,height=800')">Play</button>
</body></html>`;
  fs.writeFileSync(path.join(dir, "lms", "home.html"), home);
  return { bytes };
}

/** The player page without its configuration (so its script starts nothing), framing the baseline's launcher. */
function playerCopy(html: string, contentBase: string): string {
  const withoutConfig = html.replace(/(<script type="application\/json" id="player-config">)([^<]*)(<\/script>)/, (_all, open: string, json: string, close: string) => `${open}${" ".repeat(json.length)}${close}`);
  return withoutConfig.replace("data-player-frame", `data-player-frame src="${contentBase}/launch.html"`);
}
