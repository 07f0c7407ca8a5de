import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Clock } from "./clock.ts";
// The database is knex itself (db/connect.ts calls it Db): named here by knex, so that these types,
// which the kits use, import nothing from the kits.
import type { Knex } from "knex";

/** What the composition root (app.ts) hands every area's routes. */
export interface AppDeps {
  config: Config;
  db: Knex;
  clock: Clock;
  logger: Logger;
  sessionSecret: string;
}

/** What the server and the lms command open before anything else (boot-context.ts): validated config, the clock, a migrated database. */
export interface Context {
  config: Config;
  clock: Clock;
  db: Knex;
}

/**
 * An attempt a runtime batch found completed (or passed) this time: what the runtime writer hands
 * the crediting step that app.ts gave it. Defined here, between the two, so that neither the
 * runtime nor learning imports the other, not even for a type.
 */
export interface EarnedAttempt {
  id: number;
  personId: number;
}
