import fs from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";

/**
 * nhsuk-frontend's stylesheet, fitted to a self-hosted LMS: its @font-face rules fetch Frutiger
 * from assets.nhs.uk (blocked by our CSP, and unreachable offline), so they are dropped and the
 * stylesheet's own sans-serif fallback applies; its icons are referenced at /assets/images/,
 * which is where we serve nhsuk-frontend's assets folder instead.
 */
export function nhsukStylesheet(nhsukDir: string): RequestHandler {
  const css = fs
    .readFileSync(path.join(nhsukDir, "nhsuk-frontend.min.css"), "utf8")
    .replace(/@font-face\{[^}]*\}/g, "")
    .replace(/url\(\/assets\/images\//g, "url(/assets/nhsuk/assets/images/");
  return (_req, res) => {
    res.type("text/css").set("Cache-Control", "public, max-age=86400").send(css);
  };
}
