import http from "node:http";
import type { Express } from "express";
import type request from "supertest";

/**
 * A POST that supertest cannot shape (a chunked body with no Content-Length, or one declared and
 * left unfinished), sent through a real socket with the agent's cookies. `send` writes the body
 * and ends the request or not; the answer is read whole.
 */
export async function rawPost(app: Express, agent: ReturnType<typeof request.agent>, path: string, headers: http.OutgoingHttpHeaders, send: (req: http.ClientRequest) => void): Promise<{ status: number; body: string }> {
  const cookie = (agent as unknown as { jar: { getCookies(access: unknown): Array<{ name: string; value: string }> } }).jar
    .getCookies({ domain: "127.0.0.1", path: "/", secure: false, script: false })
    .map((each) => `${each.name}=${each.value}`)
    .join("; ");
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    return await new Promise((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: (server.address() as { port: number }).port, method: "POST", path, headers: { Cookie: cookie, Accept: "application/json", ...headers } }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      send(req);
    });
  } finally {
    server.close();
  }
}
