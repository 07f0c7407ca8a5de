import http from "node:http";

/**
 * How long a kept-alive connection may sit idle before the server closes it: longer than what
 * stands in front of an LMS keeps its own idle connections (nginx's upstream keepalive_timeout and
 * AWS's load balancers: 60 s), so that the client side, never Node, closes an idle connection.
 *
 * Why: Node's default is 5 s. A client that keeps an idle connection longer than the server does
 * (a proxy; a browser, which keeps them for minutes; Node 20's own http.Agent, which ignores the
 * server's `Keep-Alive: timeout=5` unless given a timeout of its own) sends its next request on it
 * just as the server's close is on its way: the server never reads that request, and the client
 * gets "socket hang up" (ECONNRESET). Under load the window widens: either side's busy event loop
 * handles the close late, and connections opened in one burst expire together, so a request sent
 * again may land on another dying one. bench:load on PostgreSQL lost 2 commits to it in one run
 * (issue 21): its 500 learners shared one pool of sockets, and when commits slowed they reached
 * deep into it for sockets idle nearly 5 s. A proxy that meets it answers 502 to a learner.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

/**
 * How long a request's headers may take: above KEEP_ALIVE_TIMEOUT_MS, as the usual advice for
 * Node behind a load balancer has it (Node before 18 counted a kept-alive connection's idle time
 * against it, and closed such connections early). Still well under requestTimeout's 300 s.
 */
export const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1_000;

/** An HTTP server for the LMS or the content origin, with the keep-alive above. */
export function createHttpServer(listener: http.RequestListener): http.Server {
  const server = http.createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  return server;
}
