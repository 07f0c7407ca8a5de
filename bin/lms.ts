#!/usr/bin/env -S npx tsx
import { runCli } from "../server/cli/cli.ts";

process.exitCode = await runCli(process.argv.slice(2), process.env);
