import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

/** Serves an app on a free loopback port; resolves with its base URL. */
export function listen(app: Express): Promise<string> {
  return new Promise((resolve) => {
    const server = http.createServer(app).listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** Logs in through the login form as a browser does; resolves with the session cookie. */
export async function logIn(base: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const firstCookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: firstCookie },
    body: new URLSearchParams({ _csrf: token, username, password }),
  });
  return (login.headers.get("set-cookie") ?? "").split(";")[0]!;
}
