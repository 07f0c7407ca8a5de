// Learners committing all at once while a fault strikes the database: the load of the fault tests
// (database-locked, database-restart). Each learner resends a refused commit, unchanged, as the
// player's queue does (player/commit-queue.ts), until it is taken, then sends the next.
import type request from "supertest";
import { expect } from "vitest";
import { csrfFrom, logInAgent, type TestApp } from "../../support/test-app.ts";
import { buildLearner } from "../../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../../support/attempts.ts";
import { VALID_PACKAGES } from "../../support/valid-packages.ts";

export interface Committer {
  attemptId: number;
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  /** The last commit the server acknowledged (0: none yet). */
  acknowledged: number;
}

/** Learners logged in, each with an attempt on one SCORM 1.2 course. */
export async function committers(t: TestApp, count: number, courseCode: string): Promise<Committer[]> {
  const versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, courseCode);
  const all: Committer[] = [];
  for (let index = 0; index < count; index++) {
    const learner = await buildLearner(t.db, t.clock);
    const attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
    const agent = await logInAgent(t.app, learner.username, learner.password);
    all.push({ attemptId, agent, csrf: csrfFrom((await agent.get("/").expect(200)).text), acknowledged: 0 });
  }
  return all;
}

/** Commit number `sequence`: the learner is on page `sequence`. */
export function commit(committer: Committer, sequence: number) {
  return committer.agent
    .post(`/runtime/attempts/${committer.attemptId}/scos/I1/commit`)
    .set("X-CSRF-Token", committer.csrf)
    .send({ commitSequence: sequence, cmi: { core: { lesson_status: "incomplete", lesson_location: `page-${sequence}` } } });
}

/** The page the database holds for the learner. */
export async function storedPage(t: TestApp, committer: Committer): Promise<string> {
  const row = await t.db("attempt_scos").where({ attempt_id: committer.attemptId, sco_identifier: "I1" }).first();
  return JSON.parse(row.cmi).core.lesson_location;
}

/**
 * Every learner sends commits 1..`commits`, each until taken; once each has had a few taken, the
 * fault runs while they carry on (it sees the answers so far). Returns the status of every answer. A commit refused more than
 * `maxTries` times fails the test: the app must serve again once the fault is over.
 */
export async function commitThroughFault(all: Committer[], commits: number, fault: (statuses: readonly number[]) => Promise<void>, maxTries = 600): Promise<number[]> {
  const statuses: number[] = [];
  let faultStarted = false;
  let faultDone: Promise<void> | null = null;
  const startFaultOnceUnderWay = () => {
    if (!faultStarted && all.every((committer) => committer.acknowledged >= 3)) {
      faultStarted = true;
      faultDone = fault(statuses);
    }
  };
  await Promise.all(
    all.map(async (committer) => {
      for (let sequence = committer.acknowledged + 1; sequence <= commits; sequence++) {
        for (let tries = 1; ; tries++) {
          const response = await commit(committer, sequence);
          statuses.push(response.status);
          if (response.status === 200) break;
          expect(response.body, `a refused commit says so: ${JSON.stringify(response.body)}`).toMatchObject({ result: false });
          if (tries >= maxTries) throw new Error(`commit ${sequence} of attempt ${committer.attemptId} still refused after ${tries} tries (last: ${response.status})`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        committer.acknowledged = sequence;
        startFaultOnceUnderWay();
        // Until the fault has struck, the learners go no further than halfway, so that it strikes mid-load.
        while (!faultStarted && sequence >= commits / 2) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
  await faultDone;
  return statuses;
}

/**
 * What must hold once the fault is over: every answer was a 200 or a clear 503; the fault struck
 * while commits were being made (some were refused, and resent); each learner's last commit is
 * stored, and every commit once, in order.
 */
export async function expectEveryCommitTaken(t: TestApp, all: Committer[], commits: number, statuses: number[]): Promise<void> {
  expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
  expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
  for (const committer of all) {
    expect(await storedPage(t, committer)).toBe(`page-${commits}`);
    const logged = await t.db("commit_log").where({ attempt_id: committer.attemptId }).orderBy("id").pluck("commit_sequence");
    expect(logged.map(Number)).toEqual(Array.from({ length: commits }, (_, index) => index + 1));
  }
}
