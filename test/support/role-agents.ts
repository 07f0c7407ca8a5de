import request from "supertest";
import type { Express } from "express";
import type { Role } from "../../server/web/roles.ts";
import type { Db } from "../../server/db/connect.ts";
import type { Clock } from "../../server/clock.ts";
import { csrfFrom, logInAgent } from "./test-app.ts";
import { buildLearner } from "./factories.ts";

export type Agent = ReturnType<typeof request.agent>;

/** A supertest agent (it keeps the session cookie) and its session's anti-forgery token. */
export interface SignedInAgent {
  agent: Agent;
  csrf: string;
}

export type Who = "anonymous" | Role;

/** A person's agent, logged in, with the token read from Change Password, a page every role has. */
export async function signedIn(app: Express, person: { username: string; password: string }): Promise<SignedInAgent> {
  const agent = await logInAgent(app, person.username, person.password);
  return { agent, csrf: csrfFrom((await agent.get("/account/password")).text) };
}

/**
 * One agent per role, for the tests that walk the route table (test/support/route-table.ts):
 * anonymous (a session with its token, from the login page, never logged in), and a new learner,
 * author and L&D administrator, each logged in. New people each call: a test that posts Logout
 * ends its agents' sessions, so the next one asks for fresh agents.
 */
export async function agentsByRole(t: { app: Express; db: Db; clock: Clock }): Promise<Record<Who, SignedInAgent>> {
  const anonymous = request.agent(t.app);
  const agents = { anonymous: { agent: anonymous, csrf: csrfFrom((await anonymous.get("/login")).text) } } as Record<Who, SignedInAgent>;
  for (const role of ["learner", "author", "admin"] as const) agents[role] = await signedIn(t.app, await buildLearner(t.db, t.clock, { role }));
  return agents;
}
