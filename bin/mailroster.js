#!/usr/bin/env -S node --max-semi-space-size=8
// The compiled CLI lives in dist/ (built by `npm install` through the prepare script).
// A young generation capped at 8 MB: a workbook's strings mostly survive, and V8's default (growing to
// 16 MB semi-spaces) only adds copying and memory; measured by bench/xls-read.ts.
import { main } from "../dist/cli/main.js";

// A reader that stops early (`| head`) is not an error worth a stack trace.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
