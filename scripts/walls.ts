/**
 * Every break of the walls between areas, as the test reads them (test/architecture/walls.ts):
 * dependency-cruiser's rules in .dependency-cruiser.cjs, and the imports on a cycle between areas,
 * which those rules cannot see (they work module by module).
 *
 *   npm run walls
 *
 * Exits 1 when anything breaks a wall, whether or not known-violations.json lists it.
 */
import path from "node:path";
import { readWalls } from "../test/architecture/walls.ts";

const root = path.resolve(import.meta.dirname, "..");
const walls = await readWalls(root, ["server", "player", "migrations", "bin"]);
for (const violation of walls.violations) console.log(`break   ${violation}`);
for (const edge of walls.areaCycleEdges) console.log(`cycle   ${edge}`);
const count = walls.violations.length + walls.areaCycleEdges.length;
console.log(count === 0 ? "no wall is broken: every rule holds, and no import closes a cycle between areas" : `${count} break(s)`);
process.exitCode = count === 0 ? 0 : 1;
