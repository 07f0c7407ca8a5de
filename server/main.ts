import type http from "node:http";
import path from "node:path";
import { ConfigError } from "./config.ts";
import { AppError } from "./errors.ts";
import { openContext } from "./boot-context.ts";
import { resolveSessionSecret } from "./secrets.ts";
import { createLogger } from "./web/logging.ts";
import { createHttpServer } from "./web/http-server.ts";
import { createApp } from "./app.ts";
import type { MailDelivery } from "./mail/index.ts";
import { createContentApp } from "./content/index.ts";
import { createLocalStorage } from "./packages/index.ts";
import { isDatabaseEmpty, seedDemo, usableDemoLogins } from "./demo/index.ts";
import { preloadBreachedPasswords, PASSWORD_MIN_LENGTH } from "./accounts/index.ts";

// The only reader of process.env: config -> db -> migrate -> (demo trust) -> app -> listen.
async function main(): Promise<void> {
  // Read in a worker thread while the database opens; every new password is checked against it.
  const breachedList = preloadBreachedPasswords(PASSWORD_MIN_LENGTH);
  const context = await openContext(process.env);
  const { config, db } = context;
  const logger = createLogger(config.logLevel);
  // A stray rejection is a bug to log, not a reason to drop every learner's session mid-course.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled promise rejection"));
  await breachedList;
  // The demo trust's administrator has a published password: a production LMS sets DEMO_TRUST=off.
  if (await isDatabaseEmpty(db)) {
    if (config.demoTrust) {
      logger.info("empty database: creating the demo trust");
      await seedDemo(context);
    } else {
      logger.warn("empty database and DEMO_TRUST=off: import the trust's catalog (lms import-catalog) and add an administrator (lms add-user)");
    }
  }
  const sessionSecret = resolveSessionSecret(config.dataDir, config.sessionSecret);
  const storage = createLocalStorage(path.join(config.dataDir, "packages"));
  const swept = await storage.sweepStale();
  if (swept.length) logger.info({ removed: swept }, "removed what interrupted imports left behind");
  const app = createApp({ ...context, logger, sessionSecret });
  // Course content is untrusted: it gets its own server on its own origin (DESIGN.md).
  const content = createContentApp({ config, db, storage, contentSecret: sessionSecret, logger });
  const mail = app.locals.mail as MailDelivery;
  mail.start();
  // Idle connections are kept 75 s, not Node's 5 s: see web/http-server.ts (a "socket hang up" under load).
  const server = await listen(createHttpServer(app), config.port, "PORT");
  const contentServer = await listen(createHttpServer(content), config.contentPort, "CONTENT_PORT (from CONTENT_URL)");

  const logins = await usableDemoLogins(db);
  console.log(
    [
      `LMS ready at ${config.publicUrl} (listening on port ${config.port}, ${config.databaseUrl ? "PostgreSQL" : "SQLite in " + config.dataDir})`,
      `Course content served from ${config.contentUrl} (port ${config.contentPort})`,
      config.smtpUrl ? "Email goes out through SMTP_URL" : `Email is kept in the outbox (Administration > Outbox, and ${path.join(config.dataDir, "outbox")}/*.eml): no SMTP_URL`,
      ...(config.fixedNow ? [`Clock started at ${config.fixedNow} (LMS_NOW), running on from there`] : []),
      ...(logins.length ? ["Demo logins:", ...logins.map((login) => `  ${login.role.padEnd(8)} ${login.username.padEnd(14)} ${login.password}   (${login.who})`)] : []),
    ].join("\n"),
  );

  // Finish requests in flight, then release the database, so no acknowledged write is cut off.
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    contentServer.close();
    server.close(async () => {
      await mail.stop();
      await db.destroy();
      process.exit(0);
    });
    // close() waits for every connection, and one kept alive stays open idle for the keep-alive's
    // 75 s after its last answer: close each as soon as it falls idle (a request in flight first
    // gets its answer), or the exit below would cut the database off.
    const closeIdle = () => {
      server.closeIdleConnections();
      contentServer.closeIdleConnections();
    };
    closeIdle();
    setInterval(closeIdle, 100).unref();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

function listen(server: http.Server, port: number, setting: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new AppError("config.port_in_use", `Port ${port} is already in use: stop what holds it, or set ${setting} to another port`)
          : error.code === "EACCES"
            ? new AppError("config.port_denied", `Port ${port} needs privileges this process lacks: set ${setting} above 1024`)
            : error,
      );
    });
    server.listen(port, () => resolve(server));
  });
}

main().catch((error) => {
  const known = error instanceof ConfigError || error instanceof AppError;
  console.error(known ? `error: ${error.message}` : `error: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
