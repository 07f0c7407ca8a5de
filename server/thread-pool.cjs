"use strict";
/**
 * Sizes libuv's thread pool (UV_THREADPOOL_SIZE, config.ts) before Node starts it: npm start runs
 * `node --require ./server/thread-pool.cjs --import tsx server/main.ts`. libuv reads the variable
 * once, when the pool first starts, and Node's module loader starts it reading the first module:
 * set from main.ts it was measured to be too late (still four threads), so this is CommonJS,
 * preloaded with --require, before any module is read.
 *
 * Why more than libuv's four: SQLite's statements (the writer's, each page read connection's and
 * the session lookups', db/connect.ts, web/sqlite-session-reads.ts), argon2id's hashes
 * (accounts/passwords.ts) and gzip all run on these threads: under bench:load six or more can be
 * wanted at once (the writer, two page reads, two session lookups, a hash, gzip), and with four a
 * log in's hash or a session lookup waited for a writer's fsync to free one.
 * The threads mostly wait (an fsync, a lock) rather than compute, so more than the cores is fine;
 * what computes is bounded where it starts (one hash at a time, two reads per connection pool).
 */
const DEFAULT_THREAD_POOL_SIZE = 8;
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(DEFAULT_THREAD_POOL_SIZE);
module.exports = { DEFAULT_THREAD_POOL_SIZE };
