#!/usr/bin/env -S npx tsx
import { runCli } from "../server/cli/index.ts";

// `lms report ... | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), process.env);
