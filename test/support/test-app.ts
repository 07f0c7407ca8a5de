import request from "supertest";
import type { Express } from "express";
import pino from "pino";
import { loadConfig, type Config } from "../../server/config.ts";
import { createClock, type Clock } from "../../server/clock.ts";
import { createApp } from "../../server/app.ts";
import type { Db } from "../../server/db/connect.ts";
import { createTestDb } from "./test-db.ts";

export interface TestApp {
  app: Express;
  db: Db;
  clock: Clock;
  config: Config;
  /** Points the CLI or a child server at this same database and DATA_DIR. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** The session secret of every createTestApp app (it also keys login_failures' usernames). */
export const TEST_SESSION_SECRET = "test-secret-".padEnd(40, "x");

/** The real app on a real, freshly migrated database (SQLite, or PostgreSQL with DATABASE_URL). */
export async function createTestApp(options: { now?: string; env?: Record<string, string>; clock?: Clock } = {}): Promise<TestApp> {
  const { db, env, cleanup } = await createTestDb();
  const config = loadConfig({ ...env, LOG_LEVEL: "silent", ...options.env });
  const clock = options.clock ?? createClock(options.now ?? "2026-03-01T09:00:00Z");
  const app = createApp({ config, db, clock, logger: pino({ level: "silent" }), sessionSecret: TEST_SESSION_SECRET });
  return { app, db, clock, config, env, cleanup };
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error("no CSRF token on the page");
  return match[1]!;
}

/** A supertest agent (it keeps cookies) logged in as the given user. */
export async function logInAgent(app: Express, username: string, password: string) {
  const agent = request.agent(app);
  const page = await agent.get("/login");
  const response = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username, password });
  if (response.status !== 302) throw new Error(`login as ${username} failed with ${response.status}`);
  return agent;
}

/** A clock a test moves by hand: rules that compare instants (subscribed before played) need time to pass. */
export function settableClock(start: string): Clock & { set(instant: string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    today: () => current.toISOString().slice(0, 10),
    set: (instant) => {
      current = new Date(instant);
    },
  };
}
