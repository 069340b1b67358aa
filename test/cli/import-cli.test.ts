import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliOn, initExampleArgv, type CliRun } from "../support/cli.js";
import { DIALECTS, createCliDatabaseUrl } from "../support/databases.js";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import {
  FOREIGN_DOMAIN_PREVIEW,
  foreignDomainXls,
  MAX_XLS_DATA_ROWS,
  usersXls,
} from "../support/import-files.js";
import { startSmtpReceiver } from "../support/smtp-receiver.js";

const JSON_KEYS = [
  ...["checkpoint", "errors", "file", "importId", "ok", "saved", "sheet", "summary", "warnings"],
  ...["errorCount", "errorCounts", "truncated", "warningCount", "warningCounts"],
].sort();
const SUMMARY_KEYS = [
  "aliasesAdded",
  "attributesCreated",
  "create",
  "groupAdded",
  "groupRemoved",
  "rows",
  "typeChanged",
  "unchanged",
  "update",
];

describe.each(DIALECTS)("import CLI on %s", (dialect) => {
  let url = "";
  let dir = "";
  let cleanup: () => Promise<void> = () => Promise.resolve();
  beforeEach(async () => {
    ({ url, cleanup } = await createCliDatabaseUrl(dialect));
    dir = mkdtempSync(join(tmpdir(), "mailroster-import-"));
    delete process.env.SMTP_URL;
  });
  afterEach(async () => {
    delete process.env.SMTP_URL;
    rmSync(dir, { recursive: true, force: true });
    await cleanup();
  });
  const cli = cliOn(() => url);
  const json = (r: CliRun): Record<string, unknown> => JSON.parse(r.stdout) as Record<string, unknown>;
  const fileOf = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const xlsFile = (name: string, ...rows: XlsValue[][]): string => fileOf(name, usersXls(rows));
  async function init(): Promise<void> {
    const r = await cli(...initExampleArgv());
    expect(r.code).toBe(0);
    expect((await cli("groups", "add", "Staff")).code).toBe(0);
  }

  it("saves a clean preview by its id (imports save), and refuses one the directory has since outgrown", async () => {
    await init();
    const file = xlsFile(
      "wave.xls",
      ["email", "name"],
      ["amy@example.com", "Amy"],
      ["bob@example.com", "Bob"],
    );
    const preview = await cli("import", file, "--group", "Staff", "--json");
    expect(preview.code).toBe(0);
    const id = String(json(preview).importId);
    const saved = await cli("imports", "save", id, "--json");
    expect([saved.code, json(saved).saved, (json(saved).summary as { create: number }).create]).toEqual([
      0,
      true,
      2,
    ]);
    // Saved already: the preview now plans two updates, not two creations.
    const again = await cli("imports", "save", id, "--json");
    expect(again.code).toBe(1);
    expect(json(again).errors).toEqual([expect.objectContaining({ code: "import_changed_since_preview" })]);
    // Nothing left to cancel once saved.
    const cancel = await cli("imports", "cancel", String(json(saved).importId));
    expect([cancel.code, cancel.stderr]).toEqual([1, expect.stringContaining("import_not_running")]);
    const text = await cli("imports", "save", "no-such-import");
    expect([text.code, text.stderr]).toEqual([1, expect.stringContaining("import_not_found")]);
  });

  it("previews, saves, lists and shows imports with the exact JSON shape and exit codes", async () => {
    await init();
    const path = xlsFile("users.xls", ["email", "name", "pop"], ["jane@example.com", "Jane", "yes"]);
    const preview = await cli("import", path, "--group", "Staff", "--json");
    expect(preview.code).toBe(0);
    const body = json(preview);
    expect(Object.keys(body).sort()).toEqual(JSON_KEYS);
    expect(Object.keys(body.summary as object).sort()).toEqual(SUMMARY_KEYS);
    expect(body).toMatchObject({
      ok: true,
      saved: false,
      file: "users.xls",
      sheet: "Users",
      checkpoint: "A1",
    });

    const saved = await cli("import", path, "--group", "Staff", "--note", "HR", "--save", "--json");
    expect(saved.code).toBe(0);
    expect(json(saved)).toMatchObject({ ok: true, saved: true, summary: { create: 1 } });
    const shown = await cli("users", "show", "jane@example.com", "--json");
    expect(JSON.parse(shown.stdout)).toMatchObject({ type: "imported", groups: ["Staff"], pop: true });

    const list = JSON.parse((await cli("imports", "list", "--json")).stdout) as {
      importId: string;
      state: string;
      by: string;
    }[];
    // Newest first.
    expect(list.map((i) => [i.state, i.by])).toEqual([
      ["saved", "admin@example.com"],
      ["validated", "admin@example.com"],
    ]);
    const show = await cli("imports", "show", list[0]?.importId ?? "", "--json");
    expect(JSON.parse(show.stdout)).toMatchObject({
      state: "saved",
      note: "HR",
      options: { group: "Staff", override: "add" },
    });
    expect((await cli("imports", "show", "nope", "--json")).code).toBe(1);

    const text = await cli("import", path, "--group", "Staff");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Checkpoint cell");
  });

  it("exits 1 with one JSON object when the file has errors, and prints a table without --json", async () => {
    await init();
    const path = xlsFile("bad.xls", ["email", "Name"], ["x@example.com", "X"]);
    const r = await cli("import", path, "--upload-only", "--save", "--json");
    expect(r.code).toBe(1);
    const body = json(r);
    expect(body).toMatchObject({ ok: false, saved: false, checkpoint: "A1" });
    expect(body.errors).toEqual([
      expect.objectContaining({ code: "header_name_missing", cell: "B1", row: 1, column: "B" }),
    ]);
    const text = await cli("import", path, "--upload-only");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("header_name_missing");
  });

  it("previews 65,535 rows in a domain that is not internal to one JSON object and exit 1", async () => {
    await init();
    const path = fileOf("foreign.xls", foreignDomainXls());
    const r = await cli("import", path, "--upload-only", "--json");
    expect(r.code).toBe(1);
    const body = json(r);
    expect(body).toMatchObject({ ...FOREIGN_DOMAIN_PREVIEW, truncated: true });
    expect(body.errors).toHaveLength(1000);
    expect((body.errors as { cell: string }[])[0]).toMatchObject({ code: "domain_not_internal", cell: "A2" });
    const shown = json(await cli("imports", "show", String(body.importId), "--json"));
    expect(shown).toMatchObject({ state: "failed", errorCount: MAX_XLS_DATA_ROWS });
    // Without --json: the table lists the first errors and says how many there are in all.
    const text = await cli("import", path, "--upload-only");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("domain_not_internal");
    expect(text.stdout.length).toBeLessThan(1024 * 1024);
  });

  it("reports an unreadable file as one object with the file_* code", async () => {
    await init();
    const junk = fileOf("junk.xls", new TextEncoder().encode("hello"));
    const r = await cli("import", junk, "--upload-only", "--json");
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({
      ok: false,
      sheet: null,
      checkpoint: null,
      errors: [{ code: "file_not_xls" }],
    });
    const missing = await cli("import", join(dir, "missing.xls"), "--upload-only", "--json");
    expect(missing.code).toBe(1);
    expect(json(missing)).toMatchObject({ importId: null, errors: [{ code: "file_unreadable" }] });
  });

  it("exits 2 on usage errors", async () => {
    await init();
    const path = xlsFile("u.xls", ["email", "name"], ["a@example.com", "A"]);
    expect((await cli("import", path)).code).toBe(2);
    expect((await cli("import", path, "--group", "Staff", "--upload-only")).code).toBe(2);
    expect((await cli("import", path, "--group", "Staff", "--override", "replace")).code).toBe(2);
    expect((await cli("import", path, "--upload-only", "--note", "x".repeat(101))).code).toBe(2);
  });

  it("keeps the failure mail queued without SMTP_URL and sends it to a real SMTP server with it", async () => {
    await init();
    const rows = usersXls([
      ["email", "name", "password"],
      ["a@example.com", "A", "Secret-Pass-991"],
      ["b@example.com", "B", "short"],
    ]);
    const path = fileOf("users.xls", rows);
    expect((await cli("import", path, "--upload-only", "--save", "--json")).code).toBe(1);
    const queued = JSON.parse((await cli("outbox", "list", "--json")).stdout) as {
      state: string;
      to: string;
      body: string;
    }[];
    expect(queued.map((m) => [m.state, m.to])).toEqual([["queued", "admin@example.com"]]);

    const receiver = await startSmtpReceiver();
    try {
      process.env.SMTP_URL = receiver.url;
      expect((await cli("import", path, "--upload-only", "--save", "--json")).code).toBe(1);
      // Both the earlier queued mail and the new one go out after the commit.
      expect(receiver.mails).toHaveLength(2);
      const [mail] = receiver.mails;
      expect(mail?.to).toEqual(["admin@example.com"]);
      expect(mail?.raw).toContain("users.xls");
      expect(mail?.raw).toContain("C3");
      expect(mail?.raw).toContain("password_weak");
      for (const m of receiver.mails) {
        expect(m.raw).not.toContain("Secret-Pass-991");
        expect(m.raw).not.toContain("short\n");
      }
      const states = JSON.parse((await cli("outbox", "list", "--json")).stdout) as { state: string }[];
      expect(states.map((m) => m.state)).toEqual(["sent", "sent"]);
    } finally {
      await receiver.close();
    }
  });
});
