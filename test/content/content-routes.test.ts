import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import pino from "pino";
import type { Express } from "express";
import { loadConfig } from "../../server/config.ts";
import { connectDb, type Db } from "../../server/db/connect.ts";
import { createContentApp } from "../../server/content/content-app.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";

/**
 * The content origin has no sessions: each route is either a public asset of the launcher, or
 * opens package files only with a signed token. A route added without an entry here fails.
 */
const CONTENT_ACCESS: Record<string, { access: "public" | "token"; try: string }> = {
  "GET /healthz": { access: "public", try: "/healthz" },
  "GET /^\\/(launcher-12|launcher-2004)\\.js(\\.map)?$/": { access: "public", try: "/launcher-2004.js" },
  "GET /launcher.css": { access: "public", try: "/launcher.css" },
  "GET /launch/:token/:scoId": { access: "token", try: "/launch/not-a-real-token/I1" },
  "GET /^\\/c\\/([^/]+)\\/(.+)$/": { access: "token", try: "/c/not-a-real-token/index.html" },
};

describe("who may use each route of the content origin", () => {
  let dataDir: string;
  let db: Db;
  let app: Express;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-content-routes-"));
    db = connectDb({ sqliteFile: path.join(dataDir, "lms.sqlite") });
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" });
    app = createContentApp({ config, db, storage: createLocalStorage(path.join(dataDir, "packages")), contentSecret: "s".repeat(40), logger: pino({ level: "silent" }) });
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("has an entry for every route, and refuses every token route without a valid token", async () => {
    const routes: string[] = [];
    for (const layer of (app as unknown as { router: { stack: Array<Record<string, any>> } }).router.stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${String(layer.route.path)}`);
    }
    expect(routes.sort()).toEqual(Object.keys(CONTENT_ACCESS).sort());
    for (const [route, entry] of Object.entries(CONTENT_ACCESS)) {
      const response = await request(app).get(entry.try);
      if (entry.access === "public") expect(response.status, route).toBe(200);
      else expect(response.status, route).toBe(403);
    }
  });
});
