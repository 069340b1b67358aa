import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createConnection } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { findExecutable } from "./external-tools.js";
import { freePort, waitForListening } from "./ports.js";

export const DOVECOT_TOOLS = ["dovecot", "doveadm"] as const;

/** A private Dovecot (POP3 on a loopback port) whose passdb is `mailroster mail-auth` on the database given. */
export interface Dovecot {
  readonly pop3Port: number;
  /** `doveadm -c CONFIG auth test -x service=SERVICE USER PASSWORD`: true when the login is accepted. */
  authTest(user: string, password: string, service: string): boolean;
  /** What Dovecot logged (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

function tool(name: string): string {
  const path = findExecutable(name);
  if (path === undefined) throw new Error(`${name} is not installed`);
  return path;
}

/** The users Dovecot's processes run as: its own system users under root, else whoever runs the test. */
function serviceUsers(): { internal: string; login: string; mail: { uid: number; gid: number } } {
  const me = userInfo();
  if (me.uid !== 0) return { internal: me.username, login: me.username, mail: { uid: me.uid, gid: me.gid } };
  // Dovecot refuses mail access as root (uid 0): the mail processes run as its internal user.
  const id = (flag: string): number =>
    Number(spawnSync("id", [flag, "dovecot"], { encoding: "utf8" }).stdout);
  return { internal: "dovecot", login: "dovenull", mail: { uid: id("-u"), gid: id("-g") } };
}

/** Gives a folder and its files to the user Dovecot's auth service (and so mail-auth) runs as. */
export function shareWithDovecot(folder: string): void {
  const { mail } = serviceUsers();
  chownSync(folder, mail.uid, mail.gid);
  for (const name of readdirSync(folder)) chownSync(join(folder, name), mail.uid, mail.gid);
}

/**
 * Starts Dovecot in the foreground (`dovecot -c CONFIG -F`) with everything in a temporary folder: POP3 on a
 * free loopback port, plain text logins allowed (loopback only), the passdb `checkpassword` running the
 * compiled `bin/mailroster.js mail-auth --db URL`, and a static userdb (mail in the folder).
 */
/** Dovecot with `mailroster mail-auth ARGS` as its checkpassword passdb (ARGS: --db URL, or --socket PATH). */
export async function startDovecot(mailAuthArgs: readonly string[]): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), "mailroster-dovecot-"));
  // Dovecot's processes (another user under root) must reach the folder, the database and the log.
  chmodSync(dir, 0o755);
  const users = serviceUsers();
  const mail = join(dir, "mail");
  mkdirSync(mail);
  chownSync(mail, users.mail.uid, users.mail.gid);
  const repo = resolve(import.meta.dirname, "../..");
  // Dovecot splits its passdb args at spaces and expands %: a script keeps the URL out of both.
  const script = join(dir, "mail-auth.sh");
  writeFileSync(
    script,
    `#!/bin/sh\nexec "${process.execPath}" "${join(repo, "bin/mailroster.js")}" mail-auth ${mailAuthArgs.map((a) => `'${a}'`).join(" ")} "$@"\n`,
  );
  chmodSync(script, 0o755);
  const pop3Port = await freePort();
  const config = join(dir, "dovecot.conf");
  const logPath = join(dir, "dovecot.log");
  writeFileSync(
    config,
    [
      `base_dir = ${join(dir, "run")}`,
      `state_dir = ${join(dir, "state")}`,
      `log_path = ${logPath}`,
      `default_internal_user = ${users.internal}`,
      `default_login_user = ${users.login}`,
      "protocols = pop3",
      "listen = 127.0.0.1",
      "ssl = no",
      "disable_plaintext_auth = no",
      "auth_mechanisms = plain login",
      "auth_verbose = yes",
      `first_valid_uid = ${Math.min(users.mail.uid, 1)}`,
      `mail_location = maildir:${mail}/%n`,
      "passdb {",
      "  driver = checkpassword",
      `  args = ${script}`,
      "}",
      "userdb {",
      "  driver = static",
      `  args = uid=${users.mail.uid} gid=${users.mail.gid} home=${mail}/%n allow_all_users=yes`,
      "}",
      "service pop3-login {",
      "  inet_listener pop3 {",
      "    address = 127.0.0.1",
      `    port = ${pop3Port}`,
      "  }",
      "  inet_listener pop3s {",
      "    port = 0",
      "  }",
      "}",
      // mail-auth is a Node.js process, which reserves more address space than the auth service's default
      // 256 MB limit (its children inherit it); the README says the same for a real server.
      "service auth {",
      "  vsz_limit = 0",
      "}",
      // A refused login is answered at once: Dovecot's 2 s delay, and its growing penalty per client address,
      // would only slow the tests down.
      "auth_failure_delay = 0",
      "login_trusted_networks = 127.0.0.0/8",
      // The auth cache would answer a repeated login without asking mail-auth; every test asks afresh.
      "auth_cache_size = 0",
      "",
    ].join("\n"),
  );
  const child = spawn(tool("dovecot"), ["-c", config, "-F"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const log = (): string => {
    try {
      return readFileSync(logPath, "utf8") + stderr;
    } catch {
      return stderr;
    }
  };
  try {
    await waitForListening(pop3Port, child, "dovecot", 10_000);
  } catch (error) {
    child.kill("SIGKILL");
    const output = log();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${String(error)}: ${output}`);
  }
  return {
    pop3Port,
    log,
    authTest(user, password, service) {
      const run = spawnSync(
        tool("doveadm"),
        ["-c", config, "auth", "test", "-x", `service=${service}`, user, password],
        { encoding: "utf8" },
      );
      return run.status === 0;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a POP3 session and logs in with USER/PASS: true on `+OK` to PASS, false on `-ERR`. */
export function pop3Login(port: number, user: string, password: string): Promise<boolean> {
  return new Promise((done, fail) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const steps = [`USER ${user}\r\n`, `PASS ${password}\r\n`];
    let buffer = "";
    let replies = 0;
    socket.setTimeout(20_000, () => {
      socket.destroy();
      fail(new Error(`POP3 timed out: ${buffer}`));
    });
    socket.on("error", fail);
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      while (buffer.includes("\r\n")) {
        const end = buffer.indexOf("\r\n");
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        replies++;
        if (replies === 3) {
          socket.end("QUIT\r\n");
          done(line.startsWith("+OK"));
          return;
        }
        const step = steps[replies - 1];
        if (step === undefined || !line.startsWith("+OK")) {
          socket.end("QUIT\r\n");
          done(false);
          return;
        }
        socket.write(step);
      }
    });
  });
}
