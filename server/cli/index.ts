// The lms command's public surface: bin/lms.ts runs it. Nothing else of it is for other areas.
export { runCli } from "./cli.ts";
