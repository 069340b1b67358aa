import nodemailer from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import { startSmtpListener, type SmtpListener } from "../../src/adapters/smtp-listener.js";
import { RecipientIndex } from "../../src/services/recipient-index.js";
import { setRecipientValidation } from "../../src/services/recipient-settings-service.js";
import { syncAll } from "../../src/services/sync/run-sync.js";
import { previewImport, saveImport } from "../../src/services/imports/run-import.js";
import { writeXls } from "../../src/sheet/xls/write-xls.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { requireTools } from "../support/external-tools.js";
import { THREE_PEOPLE, addTestConnector, testSecrets } from "../support/ldap-fixtures.js";
import { initExample, makeContext } from "../support/service-context.js";
import { LDAP_TOOLS, startSlapd, type Slapd } from "../support/slapd.js";
import { swaksRcpt } from "../support/swaks.js";

const ready = requireTools([...LDAP_TOOLS, "swaks"], "the recipient-validation story test (slapd and swaks)");

/** RCPT TO through nodemailer: the addresses the listener accepted, and the reply code of each refused one. */
async function sendWithNodemailer(
  port: number,
  to: readonly string[],
): Promise<{ accepted: string[]; refused: Record<string, number> }> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({
      from: "sender@sender.test",
      to: [...to],
      subject: "hi",
      text: "hello",
    });
    const refused: Record<string, number> = {};
    for (const error of info.rejectedErrors ?? []) refused[error.recipient ?? ""] = error.responseCode ?? 0;
    return { accepted: info.accepted.map(String), refused };
  } catch (error) {
    // Every recipient refused: nodemailer never sends DATA and reports the envelope error.
    const rejected = (error as { rejectedErrors?: { recipient: string; responseCode?: number }[] })
      .rejectedErrors;
    if (!rejected) throw error;
    return {
      accepted: [],
      refused: Object.fromEntries(rejected.map((e) => [e.recipient, e.responseCode ?? 0])),
    };
  } finally {
    transport.close();
  }
}

describe.skipIf(!ready).each(DIALECTS)("the story: sync, import, RCPT TO, sync again on %s", (dialect) => {
  const database = useTestDatabase(dialect);
  let slapd: Slapd | undefined;
  let listener: SmtpListener | undefined;
  afterEach(async () => {
    await listener?.close();
    await slapd?.stop();
    listener = undefined;
    slapd = undefined;
  });

  it("refuses mail for a user an import touched until Sync All reclaims it", async () => {
    const secrets = testSecrets();
    slapd = await startSlapd({ bulkLdif: THREE_PEOPLE });
    const context = makeContext(database());
    await initExample(context);
    await setRecipientValidation(context, { domain: "example.com", recipientValidation: "directory-users" });
    await addTestConnector(context, secrets, slapd);
    expect(await syncAll(context, {}, { secrets })).toMatchObject({ created: 3, errors: [] });

    const index = new RecipientIndex(context.db);
    listener = await startSmtpListener({ host: "127.0.0.1", port: 0, judge: (a) => index.verdictOf(a) });
    const { port } = listener;
    expect(await swaksRcpt(port, "bob@example.com")).toBe(250);

    // An administrator imports a spreadsheet that touches Bob: he becomes a Manually Imported User, and the
    // preview warns that mail to him on a directory-users domain is refused until the next Sync All.
    const sheet = writeXls([
      {
        name: "Users",
        rows: [
          ["email", "name"],
          ["bob@example.com", "Bob Stone"],
        ],
      },
    ]);
    const preview = await previewImport(context, { fileName: "bob.xls", bytes: sheet });
    expect(preview).toMatchObject({ ok: true, summary: { update: 1, typeChanged: 1 } });
    expect(preview.warnings.map((w) => w.code)).toContain("users_become_imported");
    expect(await saveImport(context, { fileName: "bob.xls", bytes: sheet })).toMatchObject({ saved: true });

    expect(await swaksRcpt(port, "bob@example.com")).toBe(451);
    expect(await swaksRcpt(port, "ann@example.com")).toBe(250);
    expect(await swaksRcpt(port, "a.lee@example.com")).toBe(250);
    expect(await swaksRcpt(port, "cara@example.com")).toBe(250);
    const mixed = await sendWithNodemailer(port, ["ann@example.com", "bob@example.com", "cara@example.com"]);
    expect(mixed.accepted.sort()).toEqual(["ann@example.com", "cara@example.com"]);
    expect(mixed.refused).toEqual({ "bob@example.com": 451 });
    // Only the refused address: no body is ever taken for it.
    expect(await sendWithNodemailer(port, ["bob@example.com"])).toEqual({
      accepted: [],
      refused: { "bob@example.com": 451 },
    });

    expect(await syncAll(context, {}, { secrets })).toMatchObject({ reclaimed: 1, errors: [] });
    expect(await swaksRcpt(port, "bob@example.com")).toBe(250);
    expect((await sendWithNodemailer(port, ["bob@example.com"])).accepted).toEqual(["bob@example.com"]);
  });
});
