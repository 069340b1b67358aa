#!/usr/bin/env -S node --max-semi-space-size=8
// A young generation capped at 8 MB: a workbook's strings mostly survive, and V8's default (growing to
// 16 MB semi-spaces) only adds copying and memory; measured by bench/xls-read.ts.
// Single argon2 hashes (sign-in, a password set by hand) run on libuv's thread pool (4 threads by default):
// give it at least one thread per core, before the pool first starts; an import's many passwords use worker
// threads of their own (src/adapters/argon2-workers.ts). Static imports are hoisted, so main is loaded
// dynamically after this line.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));

// The streamed lists hold one page at a time, yet V8 lets a heap grow to ~100 MB of garbage before it
// collects (a million users listed into a pipe peaked at 190 MB). They run in a process whose old generation
// is capped, started once more with the cap (~65 ms): the same million then peak at ~120 MB, no slower.
const STREAMED_LISTS = new Set(["users list", "audit list", "delegates list"]);
const CAPPED = "MAILROSTER_HEAP_CAPPED";
if (STREAMED_LISTS.has(process.argv.slice(2, 4).join(" ")) && process.env[CAPPED] === undefined) {
  const child = spawn(
    process.execPath,
    // The young generation capped too: run as `node bin/mailroster.js` the shebang's flag is not applied, and
    // V8's default semi-spaces (16 MB) alone put a million users' list at ~145 MB instead of ~120 MB.
    [...process.execArgv, "--max-old-space-size=96", "--max-semi-space-size=8", ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, [CAPPED]: "1" } },
  );
  // Ctrl+C reaches both processes; the child decides how the command ends.
  process.on("SIGINT", () => undefined);
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else {
  // The compiled CLI lives in dist/ (built by `npm install` through the prepare script). `mail-auth` runs
  // once per mail login, so it loads its own entry alone (Node.js's modules only when serve answers the check).
  const entry = process.argv[2] === "mail-auth" ? "../dist/cli/mail-auth-entry.js" : "../dist/cli/main.js";
  const { main } = await import(entry);

  // A reader that stops early (`| head`) is not an error worth a stack trace.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });

  process.exitCode = await main(process.argv.slice(2));
}
