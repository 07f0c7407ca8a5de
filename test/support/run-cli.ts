import { runCli } from "../../server/cli/cli.ts";

/** Runs `lms ...` in this process against the given environment and captures what it prints. */
export async function lms(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { LOG_LEVEL: "silent", ...env }, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
