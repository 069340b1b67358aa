// Lets a worker thread run a TypeScript entry point from the source tree, as the tests do.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
