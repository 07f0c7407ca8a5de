import type { AddressInfo } from "node:net";
import path from "node:path";
import { ConfigError } from "./config.ts";
import { openContext } from "./runtime-context.ts";
import { resolveSessionSecret } from "./secrets.ts";
import { createLogger } from "./web/logging.ts";
import { createApp } from "./web/app.ts";
import { createContentApp } from "./content/content-app.ts";
import { createLocalStorage } from "./packages/storage.ts";
import { isDatabaseEmpty, seedDemo } from "./demo/seed.ts";
import { DEMO_LOGINS } from "./demo/demo-logins.ts";

// The only reader of process.env: config -> db -> migrate -> (demo trust) -> app -> listen.
async function main(): Promise<void> {
  const context = await openContext(process.env);
  const { config, db, clock } = context;
  const logger = createLogger(config.logLevel);
  if (await isDatabaseEmpty(db)) {
    logger.info("empty database: creating the demo trust");
    await seedDemo(context);
  }
  const sessionSecret = resolveSessionSecret(config.dataDir, config.sessionSecret);
  const storage = createLocalStorage(path.join(config.dataDir, "packages"));
  // Course content is untrusted: it gets its own server on its own origin (DESIGN.md).
  const contentServer = createContentApp({ config, db, storage, contentSecret: sessionSecret, logger }).listen(config.contentPort);
  const app = createApp({ ...context, logger, sessionSecret });
  const server = app.listen(config.port, () => {
    const { port } = server.address() as AddressInfo;
    const lines = [
      `LMS ready at ${config.publicUrl} (listening on port ${port}, ${config.databaseUrl ? "PostgreSQL" : "SQLite in " + config.dataDir})`,
      `Course content served from ${config.contentUrl} (port ${config.contentPort})`,
      ...(config.fixedNow ? [`Clock fixed at ${config.fixedNow} (LMS_NOW)`] : []),
      "Demo logins:",
      ...DEMO_LOGINS.map((login) => `  ${login.role.padEnd(8)} ${login.username.padEnd(14)} ${login.password}   (${login.who})`),
    ];
    console.log(lines.join("\n"));
  });

  // Finish requests in flight, then release the database, so no acknowledged write is cut off.
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    contentServer.close();
    contentServer.closeIdleConnections();
    server.close(async () => {
      await db.destroy();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `error: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
