import http from "node:http";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, csrfFrom, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { freePort, waitFor } from "../support/processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Two app processes on one PostgreSQL behind a load balancer (a tiny round-robin proxy here):
 * a learner's requests alternate between them mid-course with nothing lost, and sessions,
 * lockouts and rate limits hold across them. PostgreSQL only: it is the database a trust scales
 * out on (README, Deployment); `npm run test:pg` runs it, in CI too.
 */
describe.skipIf(!process.env.DATABASE_URL)("several app processes behind a load balancer", () => {
  let t: TestApp;
  const servers: ChildProcess[] = [];
  const served: number[] = [0, 0];
  let proxy: http.Server;
  let contentProxy: http.Server;
  let contentUrl = "";
  const contentServed = [0, 0];
  /** "METHOD /path -> process" for each request through the LMS proxy. */
  const routed: string[] = [];
  let baseUrl = "";

  beforeAll(async () => {
    t = await createTestApp();
    const [proxyPort, contentProxyPort] = [await freePort(), await freePort()];
    baseUrl = `http://localhost:${proxyPort}`;
    contentUrl = `http://127.0.0.1:${contentProxyPort}`;
    const ports = [await freePort(), await freePort()];
    const contentPorts = [await freePort(), await freePort()];
    // As deployed: one LMS origin and one content origin, each in front of both processes.
    const shared = { ...t.env, PUBLIC_URL: baseUrl, CONTENT_URL: contentUrl, LOG_LEVEL: "warn", SESSION_SECRET: "several-processes-secret-".padEnd(40, "x") };
    for (const [index, port] of ports.entries()) {
      let output = "";
      const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
        cwd: root,
        env: { ...process.env, ...shared, PORT: String(port), CONTENT_PORT: String(contentPorts[index]) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", (chunk) => (output += chunk));
      child.stderr!.on("data", (chunk) => (output += chunk));
      servers.push(child);
      await waitFor(() => output.includes("LMS ready at"), 90_000, () => output);
    }
    proxy = await roundRobin(proxyPort, ports, served, routed);
    contentProxy = await roundRobin(contentProxyPort, contentPorts, contentServed);
  }, 180_000);

  afterAll(async () => {
    proxy?.close();
    contentProxy?.close();
    for (const child of servers) if (child.exitCode === null) child.kill("SIGKILL");
    await t.cleanup();
  });

  async function logIn(username: string, password: string) {
    const agent = request.agent(baseUrl);
    const page = await agent.get("/login").expect(200);
    await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username, password }).expect(302);
    return { agent, csrf: csrfFrom((await agent.get("/").expect(200)).text) };
  }

  it("keeps a learner's session and every commit while requests alternate between processes", async () => {
    const versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Scale Out - Part 1");
    const courseId = Number((await t.db("course_versions").where({ id: versionId }).first("course_id")).course_id);
    const learner = await buildLearner(t.db, t.clock);
    const { agent, csrf } = await logIn(learner.username, learner.password);
    // Play and the player window through the balancer, then the course from the content origin,
    // one launch from each process: the content token one process signed, the other honours.
    const played = await agent.post(`/learning/courses/${courseId}/play`).type("form").send({ _csrf: csrf }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)$/.exec(String(played.headers.location))![1]);
    const player = await agent.get(`/player/attempts/${attemptId}`).expect(200);
    const launcherBase = /"launcherBase":"([^"]+)"/.exec(player.text)![1]!.replace(/\\u002F|\\\//g, "/");
    expect(launcherBase.startsWith(`${contentUrl}/launch/`)).toBe(true);
    const launchedBefore = [...contentServed];
    for (let n = 0; n < 2; n++) expect((await request(contentUrl).get(`${launcherBase.slice(contentUrl.length)}I1`)).status).toBe(200);
    expect(contentServed.map((count, which) => count - launchedBefore[which]!)).toEqual([1, 1]);
    const before = [...served];
    for (let sequence = 1; sequence <= 20; sequence++) {
      const status = sequence === 20 ? "completed" : "incomplete";
      await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: sequence, cmi: { core: { lesson_status: status, lesson_location: `page-${sequence}` }, suspend_data: `seq=${sequence};${"s".repeat(2000)}` } }).expect(200);
    }
    expect(served[0]! - before[0]!).toBeGreaterThanOrEqual(10); // both processes took commits
    expect(served[1]! - before[1]!).toBeGreaterThanOrEqual(10);
    expect((await t.db("commit_log").where({ attempt_id: attemptId }).orderBy("id").pluck("commit_sequence")).map(Number)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    expect(await t.db("attempts").where({ id: attemptId }).first("performance_status")).toEqual({ performance_status: "Completed" });
    // The state a resumed player reads, from either process.
    for (let n = 0; n < 2; n++) {
      const state = await agent.get(`/runtime/attempts/${attemptId}/scos/I1/state`).set("X-CSRF-Token", csrf).expect(200);
      expect(JSON.stringify(state.body)).toContain("page-20");
    }
    // Logout on one process ends the session on both.
    await agent.post("/logout").type("form").send({ _csrf: csrf });
    for (let n = 0; n < 2; n++) await agent.get("/").expect(302);
  }, 120_000);

  it("slows a guessing source and limits requests across both processes", async () => {
    const learner = await buildLearner(t.db, t.clock);
    // A GET and its POST are two turns of the proxy: a third request each time moves the POSTs
    // from one process to the other, so the counts really are shared.
    const shift = () => request(baseUrl).get("/healthz").expect(200);
    for (let n = 0; n < 5; n++) {
      const agent = request.agent(baseUrl);
      const page = await agent.get("/login").expect(200);
      await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: "wrong password here" }).expect(401);
      await shift();
    }
    const agent = request.agent(baseUrl);
    for (let n = 0; n < 2; n++) {
      const page = await agent.get("/login").expect(200);
      await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: learner.username, password: learner.password }).expect(429); // this source waits, on whichever process
    }

    // The Forgotten page allows 10 requests per address in 15 minutes, counted in the database.
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) {
      const page = await agent.get("/forgotten").expect(200);
      statuses.push((await agent.post("/forgotten/password").type("form").send({ _csrf: csrfFrom(page.text), username: "297NOBODY01" })).status);
      await shift();
    }
    expect(statuses.slice(0, 10).every((status) => status < 400)).toBe(true);
    expect(statuses[10]).toBe(429);
    const processesFor = (line: string) => new Set(routed.filter((entry) => entry.startsWith(`${line} -> `)).map((entry) => entry.slice(-1)));
    expect(processesFor("POST /login")).toEqual(new Set(["0", "1"]));
    expect(processesFor("POST /forgotten/password")).toEqual(new Set(["0", "1"]));
  }, 120_000);
});

/** A balancer in miniature: round-robin, request by request, so every other request meets the other process. */
async function roundRobin(port: number, upstreams: number[], served: number[], routed: string[] = []): Promise<http.Server> {
  let turn = 0;
  const server = http.createServer((req, res) => {
    const which = turn++ % upstreams.length;
    served[which]! += 1;
    routed.push(`${req.method} ${req.url} -> ${which}`);
    const upstream = http.request({ host: "127.0.0.1", port: upstreams[which], path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}
