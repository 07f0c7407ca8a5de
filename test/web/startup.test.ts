import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { csrfFrom } from "../support/test-app.ts";
import { freePort, waitFor } from "../support/processes.ts";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../server/web/http-server.ts";
import { serverNodeFlags } from "../../scripts/node-flags.mjs";
import packageJson from "../../package.json" with { type: "json" };

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `npm start` as a user runs it: a real process, a real port, the demo trust on first start. */
describe("starting the server on an empty database", () => {
  let t: TestDb;
  let server: ChildProcess;
  let output = "";
  let baseUrl = "";
  let contentPort = 0;

  beforeAll(async () => {
    t = await createTestDb({ migrate: false });
    const port = await freePort();
    contentPort = await freePort();
    baseUrl = `http://localhost:${port}`;
    // The start script itself, as npm runs it (its `exec` makes the shell the server's process).
    server = spawn("sh", ["-c", packageJson.scripts.start], {
      cwd: root,
      env: { ...process.env, ...t.env, PORT: String(port), CONTENT_URL: `http://127.0.0.1:${contentPort}`, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (chunk) => (output += chunk));
    server.stderr!.on("data", (chunk) => (output += chunk));
    await waitFor(() => output.includes("LMS ready at"), 90_000, () => output);
  }, 120_000);

  afterAll(async () => {
    if (server.exitCode === null) server.kill("SIGKILL");
    await t.cleanup();
  });

  it("prints the URL and the demo logins", () => {
    expect(output).toContain(`LMS ready at ${baseUrl}`);
    for (const username of ["297ECONROY01", "297APATEL01", "297GOKAFOR01"]) expect(output).toContain(username);
  });

  it("serves the login page, and the demo learner can log in", async () => {
    const agent = request.agent(baseUrl);
    const page = await agent.get("/login").expect(200);
    const login = await agent.post("/login").type("form").send({ _csrf: csrfFrom(page.text), username: "297econroy01", password: "core-skills-demo" });
    expect(login.status).toBe(302);
    const home = await agent.get("/").expect(200);
    expect(home.text).toContain("Conroy, Emma");
    expect(home.text).toContain("24552166 - E-Learning &amp; Design Co-Ordinator");
  });

  it("runs with the Node flags scripts/node-flags.mjs gives this machine", () => {
    const commandLine = fs.readFileSync(`/proc/${server.pid}/cmdline`, "utf8").split("\0");
    expect(commandLine[0]).toMatch(/(^|\/)node$/);
    for (const flag of serverNodeFlags()) expect(commandLine).toContain(flag);
    expect(commandLine).toContain("server/main.ts");
  });

  it("answers /healthz", async () => {
    expect((await request(baseUrl).get("/healthz").expect(200)).body.status).toBe("ok");
  });

  it("keeps idle connections open longer than a proxy's 60 s, on both origins (web/http-server.ts: Node's 5 s hung up on commits under load)", async () => {
    for (const base of [baseUrl, `http://127.0.0.1:${contentPort}`]) {
      const answer = await fetch(`${base}/healthz`);
      expect(answer.headers.get("keep-alive")).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
      expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    }
  });

  it("serves course content from its own origin, which knows nothing of LMS pages", async () => {
    expect(output).toContain(`Course content served from http://127.0.0.1:${contentPort}`);
    await request(`http://127.0.0.1:${contentPort}`).get("/healthz").expect(200);
    await request(`http://127.0.0.1:${contentPort}`).get("/login").expect(404);
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

describe("starting the server with a bad configuration", () => {
  it("exits 1 with one clear message listing each problem", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: root,
      env: { ...process.env, PORT: "not-a-port", DATABASE_URL: "mysql://nope", DATA_DIR: "/tmp/lms-never-created" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid configuration:/);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/DATABASE_URL must start with postgres/);
  });
});

/** A production LMS starts empty: the demo trust's administrator has a published password. */
describe("starting on an empty database with DEMO_TRUST=off", () => {
  it("creates no demo trust, and says what to do instead", async () => {
    const t = await createTestDb({ migrate: false });
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: root,
      env: { ...process.env, ...t.env, PORT: String(port), CONTENT_URL: `http://127.0.0.1:${await freePort()}`, LOG_LEVEL: "warn", DEMO_TRUST: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    try {
      await waitFor(() => output.includes("LMS ready at"), 90_000, () => output);
      expect(output).toContain("DEMO_TRUST=off: import the trust's catalog (lms import-catalog) and add an administrator (lms add-user)");
      expect(output).not.toContain("Demo logins:");
      expect(Number((await t.db("organisations").count({ n: "*" }).first())?.n)).toBe(0);
      expect(Number((await t.db("accounts").count({ n: "*" }).first())?.n)).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await t.cleanup();
    }
  }, 120_000);
});
