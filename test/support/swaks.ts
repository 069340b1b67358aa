import { spawn } from "node:child_process";
import { findExecutable } from "./external-tools.js";

/**
 * Asks a real SMTP client (Debian swaks) to send RCPT TO for one address and returns the server's reply code
 * to it. swaks quits after RCPT, so no DATA is attempted.
 */
export function swaksRcpt(port: number, to: string): Promise<number> {
  const swaks = findExecutable("swaks");
  if (swaks === undefined) throw new Error("swaks is not installed");
  const args = ["--server", "127.0.0.1", "--port", String(port), "--from", "sender@sender.test", "--to", to];
  return new Promise((resolve, reject) => {
    const child = spawn(swaks, [...args, "--helo", "client.test", "--quit-after", "RCPT"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", () => {
      // The reply that follows our "-> RCPT TO:" line; swaks marks replies "<-" (ok) or "<**" (error).
      const lines = output.split("\n");
      const rcpt = lines.findIndex((line) => /^ *-> RCPT TO:/.test(line));
      const reply = lines.slice(rcpt + 1).find((line) => /^ *<[-*~ ]+\d{3}/.test(line));
      const code = reply === undefined ? undefined : /(\d{3})/.exec(reply)?.[1];
      if (rcpt < 0 || code === undefined) reject(new Error(`no RCPT reply in swaks output:\n${output}`));
      else resolve(Number(code));
    });
  });
}
