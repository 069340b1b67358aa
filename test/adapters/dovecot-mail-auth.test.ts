import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, initExampleArgv } from "../support/cli.js";
import { createCliDatabaseUrl, DIALECTS } from "../support/databases.js";
import {
  DOVECOT_TOOLS,
  pop3Login,
  shareWithDovecot,
  startDovecot,
  type Dovecot,
} from "../support/dovecot.js";
import { requireTools } from "../support/external-tools.js";
import { usersXls } from "../support/import-files.js";
import { startServe } from "../support/serve-process.js";

const PASSWORD = "Tidal-Lantern-7";
const HAVE_DOVECOT = requireTools(
  DOVECOT_TOOLS,
  "Dovecot mail-auth tests (apt-get install dovecot-core dovecot-pop3d)",
);

/** Imported with their passwords: pop and submit yes/no, one locked by the sheet. */
const SHEET = usersXls([
  ["email", "name", "password", "changepassword", "accountlockedout", "pop", "submit", "alias1"],
  ["pia@example.com", "Pia Pop", PASSWORD, "no", "no", "yes", "no", "pia.alias@example.com"],
  ["sam@example.com", "Sam Submit", PASSWORD, "no", "no", "no", "yes", ""],
  ["lou@example.com", "Lou Locked", PASSWORD, "no", "yes", "yes", "yes", ""],
]);

// Each check is a fresh mail-auth process (Node.js start, one argon2id verify): seconds on a busy machine.
const SLOW = { timeout: 120_000 };

describe.skipIf(!HAVE_DOVECOT).each(DIALECTS)(
  "mailroster mail-auth behind a real Dovecot on %s",
  (dialect) => {
    let dovecot: Dovecot;
    let cleanup: () => Promise<void>;
    let url: string;

    beforeAll(async () => {
      ({ url, cleanup } = await createCliDatabaseUrl(dialect));
      expect((await runCli([...initExampleArgv(), "--db", url])).code).toBe(0);
      const dir = mkdtempSync(join(tmpdir(), "mailroster-mail-auth-"));
      const file = join(dir, "users.xls");
      writeFileSync(file, SHEET);
      const saved = await runCli(["import", file, "--upload-only", "--save", "--json", "--db", url]);
      rmSync(dir, { recursive: true, force: true });
      expect(saved.code, saved.stdout + saved.stderr).toBe(0);
      // mail-auth runs as Dovecot's internal user: it must open (and, in WAL mode, write beside) a SQLite file.
      if (url.startsWith("sqlite:")) shareWithDovecot(dirname(url.slice("sqlite:".length)));
      dovecot = await startDovecot(["--db", url]);
    }, 120_000);

    afterAll(async () => {
      await dovecot.stop();
      await cleanup();
    });

    it("lets pop=yes log in over POP3 by primary address and alias", SLOW, async () => {
      expect(await pop3Login(dovecot.pop3Port, "pia@example.com", PASSWORD), dovecot.log()).toBe(true);
      expect(await pop3Login(dovecot.pop3Port, "pia.alias@example.com", PASSWORD)).toBe(true);
    });

    it("refuses POP3 to pop=no, to a locked user and to a wrong password", SLOW, async () => {
      expect(await pop3Login(dovecot.pop3Port, "sam@example.com", PASSWORD)).toBe(false);
      expect(await pop3Login(dovecot.pop3Port, "lou@example.com", PASSWORD)).toBe(false);
      expect(await pop3Login(dovecot.pop3Port, "pia@example.com", "Wrong-Guess-11")).toBe(false);
      expect(await pop3Login(dovecot.pop3Port, "nobody@example.com", PASSWORD)).toBe(false);
      expect(dovecot.log()).not.toMatch(/temporary failure|exited with status (?!1\b)/);
    });

    it("follows submit for smtp and submission, and refuses every other service", SLOW, () => {
      expect(dovecot.authTest("sam@example.com", PASSWORD, "smtp")).toBe(true);
      expect(dovecot.authTest("sam@example.com", PASSWORD, "submission")).toBe(true);
      expect(dovecot.authTest("pia@example.com", PASSWORD, "smtp")).toBe(false);
      expect(dovecot.authTest("lou@example.com", PASSWORD, "smtp")).toBe(false);
      expect(dovecot.authTest("sam@example.com", "Wrong-Guess-12", "smtp")).toBe(false);
      expect(dovecot.authTest("pia@example.com", PASSWORD, "imap")).toBe(false);
    });

    it(
      "relays each check to a running serve's socket, and fails as temporary when serve is gone",
      SLOW,
      async () => {
        const dir = mkdtempSync(join(tmpdir(), "mailroster-mail-auth-socket-"));
        // Dovecot's auth worker runs mail-auth as its internal user: the folder and the socket must let it in.
        chmodSync(dir, 0o755);
        const socket = join(dir, "auth.sock");
        const serve = await startServe(url, ["--mail-auth-socket", socket, "--mail-auth-socket-mode", "666"]);
        // No --db: only serve can answer these checks.
        const relayed = await startDovecot(["--socket", socket]);
        try {
          expect(await pop3Login(relayed.pop3Port, "pia.alias@example.com", PASSWORD), relayed.log()).toBe(
            true,
          );
          expect(await pop3Login(relayed.pop3Port, "sam@example.com", PASSWORD)).toBe(false);
          expect(relayed.authTest("sam@example.com", PASSWORD, "submission")).toBe(true);
          expect(relayed.authTest("lou@example.com", PASSWORD, "smtp")).toBe(false);
          expect(relayed.log()).not.toMatch(/temporary failure|exited with status (?!1\b)/);
          await serve.stop();
          expect(await pop3Login(relayed.pop3Port, "pia@example.com", PASSWORD)).toBe(false);
          expect(relayed.log()).toMatch(/status 111|temporary/i);
        } finally {
          await relayed.stop();
          await serve.stop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    it("audits each check as the mail-auth door", async () => {
      const listed = await runCli(["audit", "list", "--json", "--limit", "1000", "--db", url]);
      const rows = JSON.parse(listed.stdout) as { action: string; address: string | null; after: unknown }[];
      const doors = rows
        .filter((r) => r.action.startsWith("auth."))
        .map((r) => [r.action, r.address, (r.after as { door?: string; service?: string } | null)?.service]);
      expect(doors).toEqual(
        expect.arrayContaining([
          ["auth.sign_in", "pia@example.com", "pop3"],
          ["auth.sign_in", "sam@example.com", "smtp"],
          ["auth.sign_in_failure", "sam@example.com", "pop3"],
          ["auth.sign_in_failure", "lou@example.com", "pop3"],
        ]),
      );
    });
  },
);
