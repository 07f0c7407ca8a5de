import fs from "node:fs";
import path from "node:path";
import { Router } from "express";
import { LOGO_TYPES, type Branding } from "../config.ts";

/** Where the page frame finds a logo file that configuration names (TRUST_LOGO). */
export const TRUST_LOGO_PATH = "/assets/trust-logo";

/** What the page frame shows of the trust: its name, its logo's address and words, and the footer line. */
export interface FrameBranding {
  trustName: string;
  logo: { src: string; alt: string } | undefined;
  footer: string;
}

export function frameBranding(branding: Branding): FrameBranding {
  const { logo } = branding;
  return {
    trustName: branding.trustName,
    logo: logo === undefined ? undefined : { src: "url" in logo ? logo.url : TRUST_LOGO_PATH, alt: branding.logoAlt },
    footer: branding.footer,
  };
}

/** The origin a logo address needs in the CSP's img-src: that origin only, never "any https". */
export function logoOrigin(branding: Branding): string[] {
  return branding.logo && "url" in branding.logo ? [new URL(branding.logo.url).origin] : [];
}

/**
 * Serves the logo file, read once at boot (configuration is read once too). An SVG is a document
 * that could hold script: opened on its own, it is sandboxed and may load nothing.
 */
export function trustLogoRoutes(branding: Branding): Router {
  const router = Router();
  const logo = branding.logo;
  if (!logo || !("file" in logo)) return router;
  const bytes = fs.readFileSync(logo.file);
  const type = LOGO_TYPES[path.extname(logo.file).toLowerCase()]!;
  router.get(TRUST_LOGO_PATH, (_req, res) => {
    res
      .type(type)
      .set("Cache-Control", "public, max-age=3600")
      .set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .send(bytes);
  });
  return router;
}
