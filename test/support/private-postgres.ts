// A PostgreSQL cluster of one test's own, to stop and start as a restart or failover does: the
// shared cluster of DATABASE_URL serves every other suite running alongside, so it cannot be
// restarted. Started by .ci/start-postgres in another folder, on a free port; root only (the
// cluster runs as the "postgres" user), as CI and this project's machines run.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

export interface PrivatePostgres {
  /** An admin URL, as DATABASE_URL is (test-db.ts creates each test's database through it). */
  url: string;
  /** Stops the server as a restart does: every connection ended, new ones refused until start. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): Promise<void>;
}

/** Why a private cluster cannot be started here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "a private PostgreSQL cluster is started as root (runuser -u postgres)";
  if (!fs.existsSync("/usr/lib/postgresql")) return "PostgreSQL's binaries are not installed";
  return null;
}

/** Starts one, its files in `dir` (by default a folder of its own under /tmp). */
export async function startPrivatePostgres(options: { dir?: string } = {}): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = options.dir ?? `/tmp/lms-pg-private-${process.pid}-${port}`;
  const env = { ...process.env, PG_TEST_DIR: dir, PG_TEST_PORT: String(port) };
  const url = (await run(path.join(ROOT, ".ci/start-postgres"), { env })).stdout.trim();
  const pgBin = fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(a) - Number(b)).map((version) => `/usr/lib/postgresql/${version}/bin`).at(-1)!;
  const pgCtl = (...args: string[]) => run("runuser", ["-u", "postgres", "--", `${pgBin}/pg_ctl`, "-D", dir, ...args]);
  return {
    url,
    stop: async () => void (await pgCtl("-m", "fast", "-w", "stop")),
    // The options .ci/start-postgres starts it with.
    start: async () => void (await pgCtl("-l", `${dir}/server.log`, "-w", "-o", `-c listen_addresses=127.0.0.1 -p ${port} -k /tmp -c fsync=off -c max_connections=200`, "start")),
    async destroy() {
      await pgCtl("-m", "immediate", "stop").catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}
