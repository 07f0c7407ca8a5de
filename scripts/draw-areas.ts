/**
 * The drawing of the house: which area imports which (types included), read from the code by
 * dependency-cruiser (test/architecture/walls.ts), as docs/areas.svg.
 *
 *   npm run walls:drawing
 *
 * Areas are laid out in rows by how far down they stand: an area sits above everything it imports,
 * so arrows point down, to what an area stands on; the lms command and the composition root are
 * at the top and the base at the bottom. An arrow is drawn where no path through other areas
 * already implies it, so that the drawing can be read; an import on a cycle between areas is
 * always drawn, in red. test/architecture/walls.test.ts fails when the committed drawing is not the code's.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readWalls } from "../test/architecture/walls.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DRAWING = path.join(root, "docs/areas.svg");

const BOX = { width: 150, height: 30, gapX: 24, gapY: 70 };

/** The SVG for these "from -> to" edges, red where `upward` says so. */
export function drawAreas(edges: string[], upward: string[]): string {
  const pairs = edges.map((edge) => edge.split(" -> ") as [string, string]);
  const cyclic = new Set(upward);
  const nodes = [...new Set(pairs.flat())].sort();
  // Height of each area: one more than the highest it imports, by edges that are not on a cycle.
  const below = new Map(nodes.map((node) => [node, pairs.filter(([from, to]) => from === node && !cyclic.has(`${from} -> ${to}`)).map(([, to]) => to)]));
  const height = new Map<string, number>();
  const heightOf = (node: string): number => {
    if (!height.has(node)) height.set(node, 1 + Math.max(-1, ...below.get(node)!.map(heightOf)));
    return height.get(node)!;
  };
  nodes.forEach(heightOf);
  const top = Math.max(...height.values());
  const rows: string[][] = Array.from({ length: top + 1 }, () => []);
  for (const node of nodes) rows[top - height.get(node)!]!.push(node);
  const widest = Math.max(...rows.map((row) => row.length));
  const width = widest * (BOX.width + BOX.gapX) + BOX.gapX;
  const at = new Map<string, { x: number; y: number }>();
  rows.forEach((row, r) => {
    const rowWidth = row.length * (BOX.width + BOX.gapX) - BOX.gapX;
    row.forEach((node, i) => at.set(node, { x: (width - rowWidth) / 2 + i * (BOX.width + BOX.gapX), y: BOX.gapX + r * (BOX.height + BOX.gapY) }));
  });
  const svgHeight = BOX.gapX * 2 + rows.length * (BOX.height + BOX.gapY) - BOX.gapY;
  // Drawn: each import not implied by a path through others (what a reader needs to trace a
  // dependency), and every import on a cycle.
  const reaches = (from: string, to: string, skip: string): boolean => {
    const seen = new Set<string>();
    const pending = below.get(from)!.filter((next) => `${from} -> ${next}` !== skip);
    while (pending.length) {
      const node = pending.pop()!;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      pending.push(...below.get(node)!);
    }
    return false;
  };
  const drawn = pairs.filter(([from, to]) => cyclic.has(`${from} -> ${to}`) || !reaches(from, to, `${from} -> ${to}`));
  const lines = drawn.map(([from, to]) => {
    const a = at.get(from)!;
    const b = at.get(to)!;
    const red = cyclic.has(`${from} -> ${to}`);
    const [y1, y2] = a.y < b.y ? [a.y + BOX.height, b.y] : a.y > b.y ? [a.y, b.y + BOX.height] : [a.y + BOX.height / 2, b.y + BOX.height / 2];
    return `  <line x1="${a.x + BOX.width / 2}" y1="${y1}" x2="${b.x + BOX.width / 2}" y2="${y2}" class="${red ? "up" : "down"}" marker-end="url(#${red ? "red" : "grey"})"><title>${from} imports ${to}</title></line>`;
  });
  const boxes = nodes.map((node) => {
    const { x, y } = at.get(node)!;
    return `  <g><rect x="${x}" y="${y}" width="${BOX.width}" height="${BOX.height}" rx="4"/><text x="${x + BOX.width / 2}" y="${y + BOX.height / 2 + 5}">${node}</text></g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${svgHeight}" viewBox="0 0 ${width} ${svgHeight}" font-family="Arial, sans-serif" font-size="13">`,
    "  <title>Which area imports which (npm run walls:drawing): an arrow where no path through other areas implies it; red: an import on a cycle between areas</title>",
    '  <defs><marker id="grey" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#768692"/></marker><marker id="red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#d5281b"/></marker></defs>',
    "  <style>rect{fill:#fff;stroke:#005eb8;stroke-width:1.5}text{text-anchor:middle;fill:#212b32}line.down{stroke:#768692;stroke-opacity:.55}line.up{stroke:#d5281b;stroke-width:1.5}</style>",
    `  <rect x="0" y="0" width="${width}" height="${svgHeight}" style="fill:#fff;stroke:none"/>`,
    ...lines,
    ...boxes,
    "</svg>",
    "",
  ].join("\n");
}

export async function currentDrawing(): Promise<string> {
  const walls = await readWalls(root, ["server", "player", "migrations", "bin"]);
  return drawAreas(walls.areaEdges, walls.areaCycleEdges);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.mkdirSync(path.dirname(DRAWING), { recursive: true });
  fs.writeFileSync(DRAWING, await currentDrawing());
  console.log(`wrote ${path.relative(root, DRAWING)}`);
}
