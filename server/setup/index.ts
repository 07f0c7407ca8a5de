// The setup area's public surface: importing a catalog file (competencies, certifications,
// positions and people) and Upload people. Other areas import this file, never the modules behind it.

export { type CatalogImportSummary, checkCatalog, importCatalog, parseCatalog } from "./import-catalog.ts";
export { setupRoutes } from "./routes.ts";
