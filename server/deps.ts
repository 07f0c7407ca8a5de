import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Clock } from "./clock.ts";
import type { Db } from "./db/connect.ts";

/** What the composition root (app.ts) hands every area's routes. */
export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  sessionSecret: string;
}
