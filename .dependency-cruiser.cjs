// The walls of the house (issue 19): which folder may import which. Areas are the folders of
// server/, each used by the others through its index.ts; web/ and db/ are kits below them, and the
// SCORM kernel (server/scorm/) is below everything. test/architecture/walls.test.ts runs these
// rules in `npm test`, with the cycles between areas, against
// test/architecture/known-violations.json (empty now: anything new fails). `npm run walls` prints
// every violation.
const AREA = "^server/([^/]+)/";
// The kits below the areas: HTTP, the database, and the SCORM kernel. Every other folder of server/
// is an area, used by the others through its index.ts alone.
const KITS = ["web", "db", "scorm"];

module.exports = {
  forbidden: [
    {
      name: "kits-import-no-area",
      comment: "web/ and db/ are kits the areas use: they must not reach up into an area.",
      severity: "error",
      from: { path: "^server/(web|db)/" },
      to: { path: "^server/", pathNot: ["^server/(web|db)/", "^server/(config|clock|errors|yield|secrets|worker-threads|deps|disk-space|package-limits|format)\\.ts$"] },
    },
    {
      name: "base-imports-no-area",
      comment: "The files directly in server/ beside the entry points (config, clock, errors, format, deps...) are what every area and kit stands on: they import no area, or a kit could reach one through them.",
      severity: "error",
      from: { path: "^server/[^/]+\\.ts$", pathNot: "^server/(main|app|boot-context)\\.ts$" },
      to: { path: `^server/(?!(?:${KITS.join("|")})/)[^/]+/` },
    },
    {
      name: "rules-import-no-web-or-db",
      comment: "A pure rule (crediting, statuses, time, the class form) is tested on a fixed clock alone: no HTTP, no database, not even through what it imports.",
      severity: "error",
      from: { path: "^server/[^/]+/(crediting|[a-z-]+-rules|status|reasons|time|prerequisites|cmi-[a-z-]+|scorm-errors|contract|session-end|sequencer-roll-up|booking-states)\\.ts$" },
      to: { path: "^server/(web|db)/", reachable: true },
    },
    {
      name: "migrations-are-history",
      comment: "A migration that imports live code changes history when that code changes.",
      severity: "error",
      from: { path: "^migrations/" },
      to: { path: "^server/" },
    },
    {
      name: "player-imports-only-the-kernel",
      comment: "The player runs in the browser: of the server it may use the SCORM kernel (server/scorm/), and types.",
      severity: "error",
      from: { path: "^player/" },
      to: { path: "^server/", pathNot: "^server/scorm/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "kernel-imports-no-area",
      comment: "The SCORM kernel is at the bottom: manifests, CMI, statuses, time, the player's contract; pure.",
      severity: "error",
      from: { path: "^server/scorm/" },
      to: { path: "^server/", pathNot: ["^server/scorm/", "^server/(errors|package-limits)\\.ts$"] },
    },
    {
      name: "kernel-does-no-io",
      comment: "No files, network, processes, threads or database in the kernel: what it knows is tested on values alone. Of what is not our code, it may import the XML parser and nothing else.",
      severity: "error",
      from: { path: "^server/scorm/" },
      to: { dependencyTypes: ["core", "npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown", "unknown"], pathNot: "(^|/)node_modules/fast-xml-parser/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-other-areas-store",
      comment: "An area's store is its own: others go through its services.",
      severity: "error",
      from: { path: AREA },
      to: { path: "^server/([^/]+)/store\\.ts$", pathNot: "^server/$1/" },
    },
    {
      name: "through-the-public-surface",
      comment: "Every area is used through its index.ts alone: what it lists is what others may use.",
      severity: "error",
      from: { path: "^(?:server/([^/]+)/|server/[^/]+\\.ts$|player/|migrations/|bin/)" },
      to: { path: `^server/(?!(?:${KITS.join("|")})/)[^/]+/`, pathNot: ["^server/$1/", "^server/[^/]+/index\\.ts$"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(test|bench|\\.scratch)/" },
  },
};
