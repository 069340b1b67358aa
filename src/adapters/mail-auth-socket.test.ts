import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { askMailAuthSocket } from "../cli/mail-auth-client.js";
import { startMailAuthSocket, type MailAuthCheck, type MailAuthSocket } from "./mail-auth-socket.js";

/** Sends raw text and reads what comes back until the server closes. */
function exchange(path: string, text: string): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    const socket = connect(path, () => {
      socket.end(text);
    });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("error", () => {
      resolve(received);
    });
    socket.on("close", () => {
      resolve(received);
    });
  });
}

describe("the mail access socket serve answers on", () => {
  let dir: string;
  let path: string;
  let served: MailAuthSocket | undefined;
  const asked: MailAuthCheck[] = [];
  const check = (request: MailAuthCheck) => {
    asked.push(request);
    if (request.password === "explode") return Promise.reject(new Error("database down"));
    return Promise.resolve(
      request.password === "right" ? { ok: true as const, email: "pia@example.com" } : { ok: false as const },
    );
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "mailroster-socket-"));
    path = join(dir, "auth.sock");
    asked.length = 0;
    served = await startMailAuthSocket({ path, mode: 0o660, check, onError: () => undefined });
  });

  afterEach(async () => {
    await served?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers the client with the primary address, a refusal, or a temporary failure", async () => {
    expect(statSync(path).mode & 0o777).toBe(0o660);
    const ask = (password: string) =>
      askMailAuthSocket(path, { user: "pia.alias@example.com", password, service: "pop3" });
    expect(await ask("right")).toEqual({ ok: true, email: "pia@example.com" });
    expect(await ask("wrong")).toEqual({ ok: false });
    expect(await ask("explode")).toEqual({ temporary: true });
    expect(asked.map((a) => [a.user, a.service])).toEqual(Array(3).fill(["pia.alias@example.com", "pop3"]));
  });

  it("refuses what is not a request, and drops an endless line without asking", async () => {
    expect(JSON.parse(await exchange(path, "not json\n"))).toEqual({ ok: false });
    expect(
      JSON.parse(await exchange(path, `${JSON.stringify({ user: "", password: "x", service: "pop3" })}\n`)),
    ).toEqual({
      ok: false,
    });
    expect(await exchange(path, "x".repeat(100_000))).toBe("");
    expect(asked).toEqual([]);
  });

  it("tells the client nobody listens once closed, replaces a stale socket, and refuses a live one or a file", async () => {
    await expect(startMailAuthSocket({ path, mode: 0o660, check, onError: () => undefined })).rejects.toThrow(
      /another server/,
    );
    await served?.close();
    served = undefined;
    const ask = () => askMailAuthSocket(path, { user: "a@b.c", password: "right", service: "pop3" });
    expect(await ask()).toBe("unreachable");
    // A server killed outright leaves its socket file behind, with nobody listening.
    spawnSync(process.execPath, [
      "-e",
      `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`,
    ]);
    expect(statSync(path).isSocket()).toBe(true);
    expect(await ask()).toBe("unreachable");
    served = await startMailAuthSocket({ path, mode: 0o660, check, onError: () => undefined });
    expect(await askMailAuthSocket(path, { user: "a@b.c", password: "right", service: "pop3" })).toEqual({
      ok: true,
      email: "pia@example.com",
    });
    const file = join(dir, "plain");
    writeFileSync(file, "");
    await expect(
      startMailAuthSocket({ path: file, mode: 0o660, check, onError: () => undefined }),
    ).rejects.toThrow(/not a socket/);
  });
});
