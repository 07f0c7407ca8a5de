import fs from "node:fs";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "./test-app.ts";
import { buildLearner } from "./factories.ts";
import { importCourseVersion } from "./attempts.ts";

export type Agent = Awaited<ReturnType<typeof logInAgent>>;

export interface RuntimeSuite {
  t: TestApp;
  learner: Awaited<ReturnType<typeof buildLearner>>;
  /** The learner, logged in. */
  agent: Agent;
  /** The learner's anti-forgery token, as commits carry it. */
  csrf: string;
  /** Each course's version id, by the key it was given. */
  versions: Record<string, number>;
}

/**
 * The runtime suites' common start: the real app on a fresh database, these packages imported as
 * courses (key -> files and course code), and a learner logged in.
 */
export async function startRuntimeSuite(courses: Record<string, { files: Record<string, string | Buffer>; code: string }>, learnerName?: string): Promise<RuntimeSuite> {
  const t = await createTestApp();
  fs.mkdirSync(t.config.dataDir, { recursive: true });
  const learner = await buildLearner(t.db, t.clock, learnerName ? { name: learnerName } : {});
  const versions: Record<string, number> = {};
  for (const [key, { files, code }] of Object.entries(courses)) versions[key] = await importCourseVersion(t, files, code);
  const agent = await logInAgent(t.app, learner.username, learner.password);
  const csrf = csrfFrom((await agent.get("/")).text);
  return { t, learner, agent, csrf, versions };
}
