import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * SESSION_SECRET when given; otherwise one generated on first start and kept in DATA_DIR, so
 * sessions survive a restart. Several processes must share SESSION_SECRET (README, scaling out).
 */
export function resolveSessionSecret(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = path.join(dataDir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString("base64url");
  // "wx" fails if another process wrote it first; then that one's secret wins.
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    return fs.readFileSync(file, "utf8").trim();
  }
}
