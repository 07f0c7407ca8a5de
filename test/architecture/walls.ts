import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/**
 * The import walls of a source tree, read by dependency-cruiser (its rules in
 * .dependency-cruiser.cjs) and, for cycles between areas, by the area graph below: dependency-
 * cruiser sees cycles between modules or nested folders, while the wall that matters is between
 * the areas (server/<area>/, player/, migrations/).
 */
export interface Walls {
  /** Each rule broken: "rule: from -> to". */
  violations: string[];
  /** Each import between two areas that lie on one cycle: "area -> area". */
  areaCycleEdges: string[];
  /** Every area that imports another, types included: "area -> area". */
  areaEdges: string[];
}

const run = promisify(execFile);
const depcruise = path.resolve(import.meta.dirname, "../../node_modules/.bin/depcruise");
const CONFIG = path.resolve(import.meta.dirname, "../../.dependency-cruiser.cjs");

/** Reads `roots` (folders under `cwd`) with the project's rules. */
export async function readWalls(cwd: string, roots: string[]): Promise<Walls> {
  const { stdout } = await run(depcruise, [...roots, "--config", CONFIG, "--output-type", "json"], { cwd, maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as {
    modules: Array<{ source: string; dependencies: Array<{ resolved: string; dependencyTypes: string[] }> }>;
    summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> };
  };
  const violations = result.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`);
  const edges = new Set<string>();
  for (const module of result.modules) {
    const from = areaOf(module.source);
    for (const dependency of module.dependencies) {
      const to = areaOf(dependency.resolved);
      if (from && to && from !== to) edges.add(`${from} -> ${to}`);
    }
  }
  return { violations: [...new Set(violations)].sort(), areaCycleEdges: edgesOnCycles(edges).sort(), areaEdges: [...edges].sort() };
}

/** Files directly in server/ that start and assemble the LMS; the others there (config, clock, errors) are the base every area stands on. */
const COMPOSITION = /^server\/(main|boot-context|app)\.ts$/;

/** server/<area>/..., player/..., migrations/...; files directly in server/ are the composition root or the base. */
export function areaOf(file: string): string | null {
  const inServer = /^server\/([^/]+)\//.exec(file);
  if (inServer) return `server/${inServer[1]}`;
  if (COMPOSITION.test(file)) return "server (composition)";
  if (/^server\/[^/]+$/.test(file)) return "server (base)";
  const top = /^(player|migrations)\//.exec(file);
  return top ? top[1]! : null;
}

/** The edges whose two ends are in one strongly connected component (Tarjan's algorithm). */
function edgesOnCycles(edges: Set<string>): string[] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split(" -> ") as [string, string];
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  let counter = 0;
  let components = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (!component.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      let member: string;
      do {
        member = stack.pop()!;
        component.set(member, components);
      } while (member !== node);
      components++;
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return [...edges].filter((edge) => {
    const [from, to] = edge.split(" -> ") as [string, string];
    return component.get(from) === component.get(to);
  });
}

/**
 * The files, of those given (path -> text), that write `table`: through knex, an insert, update or
 * delete on a query that starts from it (read up to the end of its statement) or that names it with
 * .into(); or SQL written out in a string. A wall in words rather than imports, for the table
 * compliance is computed from.
 */
export function writersOf(table: string, files: Record<string, string>): string[] {
  const start = new RegExp(`(?:\\(|\\.into\\()\\s*["'\`]${table}(?:\\s+as\\s+\\w+)?["'\`]\\s*\\)`, "g");
  // SQL as this codebase writes it, in capitals: words about the table in a comment are not SQL.
  const rawWrite = new RegExp(`\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+"?${table}\\b`);
  const statementOf = (text: string, at: number) => text.slice(text.lastIndexOf(";", at) + 1, text.indexOf(";", at) + 1 || undefined);
  return Object.entries(files)
    .filter(([, text]) => rawWrite.test(text) || [...text.matchAll(start)].some((match) => /\.(insert|update|delete|del|increment|decrement|truncate)\(/.test(statementOf(text, match.index))))
    .map(([file]) => file)
    .sort();
}

/** Where a module may query the database: a store (store.ts, *-store.ts), a read model (*-reads.ts), or the database kit itself. */
const QUERY_HOME = /(^|\/)(store|[a-z-]+-store|[a-z-]+-reads)\.ts$|^server\/db\//;

/** The tables the migrations create, read from their createTable calls. */
export function tablesOf(migrations: string[]): string[] {
  return [...new Set(migrations.flatMap((text) => [...text.matchAll(/createTable(?:IfNotExists)?\(\s*["'`]([a-z_]+)["'`]/g)].map((match) => match[1]!)))].sort();
}

/**
 * The files, of those given (path -> text), that query the database outside a store or a read
 * model: a knex query begun from a table's name, a raw fragment, or SQL written out in a string.
 */
export function queriesAwayFromHome(tables: string[], files: Record<string, string>): string[] {
  const query = new RegExp(
    [
      `\\b[A-Za-z_]\\w*(?:<[^<>()]*>)?\\(\\s*["'\`](?:${tables.join("|")})(?:\\s+as\\s+[a-z_]+)?["'\`]\\s*\\)`,
      "\\.(?:raw|whereRaw|joinRaw|fromRaw|orderByRaw|havingRaw|selectRaw)\\(",
      "[\"'`]\\s*(?:SELECT\\s.+?\\sFROM|INSERT INTO|DELETE FROM|UPDATE\\s+\\w+\\s+SET)\\b",
    ].join("|"),
  );
  return Object.entries(files)
    .filter(([file, text]) => !QUERY_HOME.test(file) && query.test(text))
    .map(([file]) => file)
    .sort();
}

/** The read models (*-reads.ts), of the files given, that write: a read model answers a page or a report and changes nothing. */
export function readModelsThatWrite(files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([file, text]) => /-reads\.ts$/.test(file) && (/\.(insert|update|delete|del|merge|increment|decrement|truncate)\(/.test(text) || /\b(?:INSERT\s+INTO|UPDATE\s+"?\w+"?\s+SET|DELETE\s+FROM)\b/.test(text)))
    .map(([file]) => file)
    .sort();
}
