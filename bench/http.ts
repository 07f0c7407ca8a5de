import http from "node:http";
import { gunzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

/** Serves an app on a free loopback port; resolves with its base URL. */
export function listen(app: Express): Promise<string> {
  return new Promise((resolve) => {
    const server = http.createServer(app).listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/**
 * Logs in through the login form as a browser does; resolves with the session cookie. Give each
 * simulated learner an address of its own (`ip`, sent as X-Forwarded-For, which the LMS believes
 * from loopback), as learners across a trust would have.
 */
export async function logIn(base: string, username: string, password: string, ip = "127.0.0.1"): Promise<string> {
  const page = await fetch(`${base}/login`, { headers: { "x-forwarded-for": ip } });
  const firstCookie = sessionCookie(page.headers.getSetCookie()) ?? "";
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: firstCookie, "x-forwarded-for": ip },
    body: new URLSearchParams({ _csrf: token, username, password }),
  });
  if (login.status !== 302) throw new Error(`logging in as ${username} answered ${login.status}, not 302`);
  return sessionCookie(login.headers.getSetCookie()) ?? "";
}

/** The session's cookie among those an answer sets (the LMS's lms.sid, the baseline's sid): a log in also sets the device cookie. */
export function sessionCookie(setCookies: string[] | undefined): string | undefined {
  return setCookies?.map((cookie) => cookie.split(";")[0]!).find((cookie) => !cookie.startsWith("lms.known="));
}

export interface Answer {
  status: number;
  location: string | undefined;
  setCookie: string | undefined;
  text: string;
  /** How many times it was sent again because the server closed its kept-alive connection under it. */
  resent: number;
}

/** As a browser does (Chromium: twice), a request that met a closed kept-alive connection is sent again at most this many times. */
const RESENDS = 2;

/**
 * One request over a keep-alive agent: the status, redirect, session cookie and body. When the
 * server closes an idle kept-alive connection just as a request goes out on it, the request never
 * reached the server: it is sent again, on another connection, as browsers do. Only then: an
 * error on a new connection, or on a reused one that had begun to answer, is the request's own.
 */
export async function send(agent: http.Agent, url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  for (let resent = 0; ; resent++) {
    try {
      return { ...(await sendOnce(agent, url, options)), resent };
    } catch (error) {
      const closedUnder = (error as { reusedSocket?: boolean }).reusedSocket && ["ECONNRESET", "EPIPE"].includes(String((error as NodeJS.ErrnoException).code));
      if (!closedUnder || resent === RESENDS) throw error;
    }
  }
}

function sendOnce(agent: http.Agent, url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Omit<Answer, "resent">> {
  const headers = { ...options.headers, ...(options.body === undefined ? {} : { "content-length": String(Buffer.byteLength(options.body)) }) };
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? "GET", agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          setCookie: sessionCookie(response.headers["set-cookie"]),
          // Asked for gzip (as a browser asks), the body is read as the browser reads it.
          text: (response.headers["content-encoding"] === "gzip" ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks)).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    request.on("error", (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
    request.end(options.body);
  });
}

/** The anti-forgery token a page's forms carry. */
export function csrfOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}
