/**
 * The load benchmark's learners: each goes through a learner's whole journey over HTTP, again and
 * again until time is up, as a real browser and player would: log in, Home, Play (a new attempt),
 * the player window, the SCO's state, 20 commits a think-time apart with suspend data of a few
 * kB, the finishing commit (completed), Home, Log out.
 */
import http from "node:http";
import { csrfOf, send, type Answer } from "./http.ts";

export const COMMITS_PER_JOURNEY = 20;
export const DOORS = ["login form", "log in", "home", "play", "player", "state", "commit", "home again", "log out"] as const;
export type Door = (typeof DOORS)[number];

export interface LoadPlan {
  base: string;
  learners: Array<{ username: string; password: string }>;
  courseId: number;
  scoId: string;
  /** How long all of them are at work together, once the last has arrived. */
  seconds: number;
  /** Over how long the learners arrive: rampSeconds/learners apart on average. */
  rampSeconds: number;
  /** Mean pause between a learner's commits; each is drawn from half to one and a half times it. */
  thinkMs: number;
}

export interface LoadFigures {
  latencies: Map<Door, number[]>;
  journeysFinished: number;
  /** Every commit the server answered 200, by attempt: what must be found stored. */
  acknowledged: Map<number, number[]>;
  /** Attempts whose finishing commit was acknowledged. */
  finished: Set<number>;
  errors: string[];
  /** Requests sent again because the server closed their kept-alive connection as they went out (bench/http.ts). */
  resent: number;
}

/** Runs the learners, arriving over plan.rampSeconds, then all at once for plan.seconds; a learner stops at the first request past the deadline. */
export async function runLearners(plan: LoadPlan): Promise<LoadFigures> {
  const figures: LoadFigures = { latencies: new Map(DOORS.map((door) => [door, []])), journeysFinished: 0, acknowledged: new Map(), finished: new Set(), errors: [], resent: 0 };
  // Every learner at work together for plan.seconds, after the last has arrived.
  const deadline = performance.now() + (plan.rampSeconds + plan.seconds) * 1000;
  await Promise.all(
    plan.learners.map(async (learner, index) => {
      // Staff arrive over the first rampSeconds, at random, not all in the same millisecond.
      await pause(Math.random() * plan.rampSeconds * 1000);
      // Each learner is a browser of its own, with its own kept-alive connections (at most six to
      // a host, as Chromium keeps). One pool of sockets shared by all 500 learners was nothing like
      // a trust's browsers: when answers slowed it reached deep into it for connections idle for
      // seconds, just as the server closed them (the "socket hang up" of issue 21).
      const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
      try {
        await learnerAtWork({ plan, figures, agent, deadline }, learner, index);
      } finally {
        agent.destroy();
      }
    }),
  );
  return figures;
}

/** A learner's journeys, again and again until the deadline; the first error ends them. */
async function learnerAtWork(run: Run, learner: { username: string; password: string }, index: number): Promise<void> {
  const { figures, deadline } = run;
  while (performance.now() < deadline) {
    try {
      if (!(await journey(run, learner, index))) return;
      figures.journeysFinished++;
    } catch (error) {
      figures.errors.push(`${learner.username}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  }
}

interface Run {
  plan: LoadPlan;
  figures: LoadFigures;
  agent: http.Agent;
  deadline: number;
}

class Refused extends Error {}

/** One journey; false when time ran out part-way (what was acknowledged still counts). */
async function journey(run: Run, learner: { username: string; password: string }, index: number): Promise<boolean> {
  const { plan, figures } = run;
  // Each learner is a machine of its own behind the trust's proxy, as the login throttle sees them.
  const headers: Record<string, string> = { "x-forwarded-for": `10.${(index >> 8) & 255}.${index & 255}.7` };
  const step = async (door: Door, expected: number, path: string, options: { method?: string; body?: string; type?: string; csrf?: string } = {}): Promise<Answer | undefined> => {
    if (performance.now() >= run.deadline) return undefined;
    const started = performance.now();
    const answer = await send(run.agent, `${plan.base}${path}`, {
      method: options.method ?? "GET",
      headers: { ...headers, ...(options.type ? { "content-type": options.type } : {}), ...(options.csrf ? { "x-csrf-token": options.csrf } : {}) },
      ...(options.body === undefined ? {} : { body: options.body }),
    }).catch((error: Error) => {
      throw new Refused(`${door} ${path}: ${error.message}`);
    });
    figures.latencies.get(door)!.push(performance.now() - started);
    figures.resent += answer.resent;
    if (answer.status !== expected) throw new Refused(`${door} ${path} answered ${answer.status}, not ${expected}: ${answer.text.slice(0, 200)}`);
    if (answer.setCookie) headers.cookie = answer.setCookie;
    return answer;
  };
  const form = (fields: Record<string, string>) => ({ method: "POST", type: "application/x-www-form-urlencoded", body: new URLSearchParams(fields).toString() });

  delete headers.cookie;
  const loginPage = await step("login form", 200, "/login");
  if (!loginPage) return false;
  if (!(await step("log in", 302, "/login", form({ _csrf: csrfOf(loginPage.text) ?? "", username: learner.username, password: learner.password })))) return false;
  const home = await step("home", 200, "/");
  if (!home) return false;
  const csrf = csrfOf(home.text) ?? "";
  const played = await step("play", 303, `/learning/courses/${plan.courseId}/play`, form({ _csrf: csrf }));
  if (!played) return false;
  const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(played.location ?? "")?.[1]);
  if (!(await step("player", 200, `/player/attempts/${attemptId}`))) return false;
  const runtime = `/runtime/attempts/${attemptId}/scos/${encodeURIComponent(plan.scoId)}`;
  if (!(await step("state", 200, `${runtime}/state`, { csrf }))) return false;

  const acknowledged: number[] = [];
  run.figures.acknowledged.set(attemptId, acknowledged);
  for (let sequence = 1; sequence <= COMMITS_PER_JOURNEY; sequence++) {
    await pause(plan.thinkMs * (0.5 + Math.random()));
    const body = JSON.stringify({ commitSequence: sequence, cmi: cmiAt(sequence, attemptId) });
    if (!(await step("commit", 200, `${runtime}/commit`, { method: "POST", type: "application/json", body, csrf }))) return false;
    acknowledged.push(sequence);
  }
  figures.finished.add(attemptId);
  if (!(await step("home again", 200, "/"))) return false;
  return (await step("log out", 302, "/logout", form({ _csrf: csrf }))) !== undefined;
}

/**
 * SCORM 1.2 CMI as a course sends it part-way through: where the learner is, time so far, and
 * suspend data that grows page by page from 1.3 to 3.6 kB (SCORM 1.2 allows 4,096 characters) (a course's own record of answers given and
 * pages seen). The last commit finishes the course.
 */
export function cmiAt(sequence: number, attemptId: number): Record<string, unknown> {
  const last = sequence === COMMITS_PER_JOURNEY;
  const pages = Array.from({ length: sequence }, (_, page) => `{"page":${page + 1},"answer":"option-${(attemptId + page) % 4}","note":"${"reflection ".repeat(6)}"}`);
  return {
    core: {
      lesson_location: `page-${sequence}`,
      lesson_status: last ? "completed" : "incomplete",
      session_time: "0000:00:30.00",
      exit: last ? "" : "suspend",
    },
    suspend_data: `attempt=${attemptId};seq=${sequence};visited=${"10".repeat(600)};[${pages.join(",")}]`,
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The given fraction's latency (0.99: p99), in milliseconds. */
export function percentile(latencies: number[], fraction: number): number {
  if (!latencies.length) return 0;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}
