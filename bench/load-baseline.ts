/**
 * The load benchmark's baseline: the same doors as the LMS with nothing behind them, run as a
 * process of its own as the LMS is. Log in checks the password with the LMS's own argon2id
 * settings (that cost is the same for any LMS that keeps passwords safely); the pages are a few
 * hundred bytes of HTML; a commit's JSON is parsed and answered. Sessions are a map in memory.
 *
 *   node --import tsx bench/load-baseline.ts PORT
 */
import crypto from "node:crypto";
import express from "express";
import { hashPassword, verifyPassword } from "../server/accounts/passwords.ts";
import { BENCH_PASSWORD } from "./load-setup.ts";

const port = Number(process.argv[2]);
const passwordHash = await hashPassword(BENCH_PASSWORD);
const sessions = new Map<string, { csrf: string; username?: string }>();
let attempts = 0;

const app = express();
app.set("trust proxy", "loopback");

/** The session a request's cookie names, or a new one (with its cookie set). */
function session(req: express.Request, res: express.Response) {
  const id = /sid=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
  const found = id ? sessions.get(id) : undefined;
  if (found) return found;
  const fresh = { csrf: crypto.randomUUID() };
  const newId = crypto.randomUUID();
  sessions.set(newId, fresh);
  res.setHeader("set-cookie", `sid=${newId}; Path=/; HttpOnly; SameSite=Lax`);
  return fresh;
}

const page = (csrf: string) => `<!doctype html><html lang="en"><title>Baseline</title><form method="post"><input type="hidden" name="_csrf" value="${csrf}"><button>Go</button></form></html>`;

app.get("/login", (req, res) => {
  res.send(page(session(req, res).csrf));
});
app.post("/login", express.urlencoded({ extended: false }), async (req, res) => {
  const current = session(req, res);
  if (req.body._csrf !== current.csrf || !(await verifyPassword(passwordHash, String(req.body.password)))) {
    res.status(401).send("no");
    return;
  }
  // A new session on logging in, as the LMS does.
  const id = crypto.randomUUID();
  sessions.set(id, { csrf: crypto.randomUUID(), username: String(req.body.username) });
  res.setHeader("set-cookie", `sid=${id}; Path=/; HttpOnly; SameSite=Lax`);
  res.redirect(302, "/");
});
app.get("/", (req, res) => {
  res.send(page(session(req, res).csrf));
});
app.post("/learning/courses/:courseId/play", express.urlencoded({ extended: false }), (_req, res) => {
  res.redirect(303, `/player/attempts/${++attempts}`);
});
app.get("/player/attempts/:attemptId", (req, res) => {
  res.send(page(session(req, res).csrf));
});
app.get("/runtime/attempts/:attemptId/scos/:scoId/state", (_req, res) => {
  res.json({ cmi: {}, commitSequence: 0 });
});
app.post("/runtime/attempts/:attemptId/scos/:scoId/commit", express.json({ limit: "1mb" }), (req, res) => {
  res.json({ result: true, errorCode: 0, commitSequence: req.body.commitSequence });
});
app.post("/logout", express.urlencoded({ extended: false }), (req, res) => {
  const id = /sid=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
  if (id) sessions.delete(id);
  res.redirect(302, "/login");
});
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});

app.listen(port, "127.0.0.1");
