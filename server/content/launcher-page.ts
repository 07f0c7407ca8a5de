/**
 * The launcher page of the content origin (GET /launch/<token>/<scoId>): the frame between the
 * player window and the SCO. Its script (player/launcher.ts, served as /launcher-12.js or
 * /launcher-2004.js, versioned) puts the SCORM API on this window and then loads the SCO beneath it.
 * Everything it needs is in data attributes: the content origin allows no inline script either.
 */
export interface LauncherPage {
  lmsOrigin: string;
  /** The launcher script of the course's SCORM edition, versioned: /launcher-12.js?v=... (player-assets.ts). */
  script: string;
  scoId: string;
  /** The SCO's launch URL on this origin, /c/<token>/<launch href>. */
  scoUrl: string;
}

export function launcherPage(page: LauncherPage): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Course content</title>
<link rel="stylesheet" href="/launcher.css">
</head>
<body data-lms-origin="${attribute(page.lmsOrigin)}" data-sco-id="${attribute(page.scoId)}" data-sco-url="${attribute(page.scoUrl)}">
<p class="launcher-status" data-launcher-status>Loading the course…</p>
<script src="${attribute(page.script)}"></script>
</body>
</html>
`;
}

/** The launcher's own policy: its script and the SCO frame from this origin, framed by the LMS only. */
export function launcherPolicy(lmsUrl: string): string {
  return ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-src 'self'", `frame-ancestors ${lmsUrl}`, "base-uri 'none'", "form-action 'none'"].join("; ");
}

export const LAUNCHER_CSS = `html, body { height: 100%; margin: 0; overflow: hidden; background: #fff; }
body > iframe { display: block; width: 100%; height: 100%; border: 0; }
.launcher-status { margin: 0; padding: 24px; font-family: Arial, sans-serif; font-size: 1.125rem; color: #212b32; }
`;

/**
 * The SCO's URL on the content origin: the launch href (resource href plus the item's
 * parameters) is a URL relative to the package root, resolved as a browser would. Null when it
 * leads out of the package (an absolute or external href): the content origin serves packages only.
 */
export function scoUrl(contentUrl: string, token: string, launch: string): string | null {
  const root = `${contentUrl}/c/${token}/`;
  let url: URL;
  try {
    url = new URL(launch, root);
  } catch {
    return null;
  }
  const base = new URL(root);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.pathname === base.pathname) return null;
  return url.pathname + url.search + url.hash;
}

function attribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
