import type { Db } from "../db/connect.ts";
import { createCatalogStore, type CatalogStore } from "./store.ts";

// The catalog area's public surface: the catalog pages and editing, and the catalog file's shape
// with what the catalog import writes. Other areas import this file, never the modules behind it.

export { type Catalog, catalogSchema, jsonPath, personSchema } from "./catalog-schema.ts";
export { catalogRoutes } from "./routes.ts";

/**
 * What the catalog import writes, in its own transaction: competencies, certifications with their
 * components, positions with their requirements; each upserted by name, so a re-import updates.
 */
export type CatalogWriting = Pick<CatalogStore, "competencyIdsByName" | "upsertCompetency" | "upsertCertification" | "replaceComponents" | "upsertPosition" | "replaceRequirements">;

export function catalogWriting(trx: Db): CatalogWriting {
  return createCatalogStore(trx);
}
