import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export interface Served {
  readonly process: ChildProcess;
  readonly url: string;
  readonly output: string;
  /** The first sign-in `serve` printed, when it created the directory. */
  readonly firstSignIn: { email: string; password: string } | undefined;
  /** Stops the server (SIGTERM) and resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts the compiled `mailroster serve --port 0 [flags]` and waits until it prints its address. */
export function startServe(dbUrl: string, flags: readonly string[] = []): Promise<Served> {
  const argv = ["bin/mailroster.js", "serve", "--db", dbUrl, "--port", "0", ...flags];
  const child = spawn(process.execPath, argv, {
    cwd: join(import.meta.dirname, "../.."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    void exited.then((code) => {
      reject(new Error(`serve exited with ${String(code)}: ${err}`));
    });
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes("Ctrl+C")) return;
      const url = /console: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? "";
      const email = /Email\s+(\S+)/.exec(out)?.[1];
      const password = /Password\s+(\S+)/.exec(out)?.[1];
      resolve({
        process: child,
        url,
        output: out,
        firstSignIn: email !== undefined && password !== undefined ? { email, password } : undefined,
        stop: () => {
          child.kill("SIGTERM");
          return exited;
        },
      });
    });
  });
}
