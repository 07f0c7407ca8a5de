/**
 * The launch benchmark's baseline: a bare static server (express.static, nothing else) of a copy
 * of what one real launch loaded (launch-snapshot.ts), on two loopback origins as the LMS has
 * (http://localhost:LMS_PORT and http://127.0.0.1:CONTENT_PORT), run as a process of its own as
 * the LMS is.
 *
 *   node --import tsx bench/launch-baseline.ts DIR LMS_PORT CONTENT_PORT
 *
 * DIR/lms is served on the first port, DIR/content on the second.
 */
import http from "node:http";
import path from "node:path";
import express from "express";

const [dir, lmsPort, contentPort] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];

const serve = (root: string, port: number) => {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.use(express.static(root));
  return new Promise<http.Server>((resolve) => {
    const server = http.createServer(app).listen(port, () => resolve(server));
  });
};

const servers = await Promise.all([serve(path.join(dir, "lms"), lmsPort), serve(path.join(dir, "content"), contentPort)]);
process.once("SIGTERM", () => {
  for (const server of servers) {
    server.close();
    server.closeIdleConnections();
  }
});
