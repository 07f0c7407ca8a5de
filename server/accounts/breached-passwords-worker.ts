// The worker thread of preloadBreachedPasswords (breached-passwords.ts): reads and sorts the list
// off the server's event loop, and posts it back with its index transferred, not copied.
import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { sortedList } from "./breached-passwords.ts";

const { file } = workerData as { file: string };
const list = sortedList(fs.readFileSync(file, "utf8"));
parentPort!.postMessage(list, [list.starts.buffer as ArrayBuffer]);
