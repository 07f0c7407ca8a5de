import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from "../../server/web/http-server.ts";

/**
 * The server keeps idle connections longer than the proxies and browsers in front of it, so that
 * they, never the server, close one: else a request sent as the server closes meets "socket hang up"
 * (issue 21). Not timed: the configured values, and what the server announces.
 */
describe("the LMS's HTTP server", () => {
  const server = createHttpServer((_req, res) => res.end("ok"));
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("keeps an idle connection longer than a load balancer's 60 s, and gives headers longer still", () => {
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(server.requestTimeout).toBeGreaterThan(server.headersTimeout);
  });

  it("announces it to clients, and serves a second request on the same connection", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ keepAlive: string; reused: boolean }>((resolve, reject) => {
        const request = http.get({ host: "127.0.0.1", port, agent }, (response) => {
          response.resume();
          response.on("end", () => resolve({ keepAlive: String(response.headers["keep-alive"]), reused: request.reusedSocket }));
        });
        request.on("error", reject);
      });
    try {
      expect(await get()).toEqual({ keepAlive: `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`, reused: false });
      expect(await get()).toEqual({ keepAlive: `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`, reused: true });
    } finally {
      agent.destroy();
    }
  });
});
