import { describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import { createApp } from "../../src/http/app.js";
import { RateLimiter } from "../../src/http/rate-limit.js";
import { ImportRunner, type ImportRunnerOptions } from "../../src/jobs/import-runner.js";
import { listOutbox } from "../../src/services/outbox-service.js";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";
import { ApiClient, errorCode as code } from "../support/api-client.js";
import { DIALECTS, useTestDatabase, type TestDatabase } from "../support/databases.js";
import { foreignDomainXls, junkCellsXls, MAX_XLS_DATA_ROWS, usersXls } from "../support/import-files.js";
import { ADMIN_PASSWORD, initExample, makeContext } from "../support/service-context.js";
import { SHEET_WORKER_FROM_SOURCE } from "../support/sheet-worker.js";
import { saveUsers } from "../../src/services/users-service.js";
import { createGroup } from "../../src/services/groups-service.js";

/** The example directory with a group, an app whose sheet worker runs from the sources, a signed-in admin. */
async function setUp(open: TestDatabase, runner: ImportRunnerOptions = {}) {
  const context = makeContext(open);
  await initExample(context);
  await createGroup(context, { path: "Staff/London" });
  const imports = new ImportRunner({ workerEntry: SHEET_WORKER_FROM_SOURCE, ...runner });
  const app = createApp({
    db: open.db,
    hasher: createArgon2Hasher(),
    isCommonPassword,
    now: () => new Date(),
    signInLimiter: new RateLimiter(1000, 60_000, () => new Date()),
    imports,
  });
  const admin = new ApiClient(app);
  const signedIn = await admin.call("POST", "/auth/sign-in", {
    email: "admin@example.com",
    password: ADMIN_PASSWORD,
  });
  expect(signedIn.status).toBe(200);
  return { app, admin, context, imports };
}

const INTO_LONDON = { group: "Staff/London", override: "add", note: "Spring intake" };

function xls(rows: XlsValue[][]): { name: string; bytes: Uint8Array } {
  return { name: "users.xls", bytes: usersXls(rows) };
}

type Issue = { code: string; cell: string | null; row: number | null; column: string | null };

/** Polls the import until it leaves uploaded/saving; returns every state seen and the last view. */
async function waitForImport(
  client: ApiClient,
  id: string,
): Promise<{ seen: string[]; view: Record<string, unknown> }> {
  const seen: string[] = [];
  for (let i = 0; i < 600; i++) {
    const { json } = await client.call("GET", `/imports/${id}`);
    const state = String(json.state);
    if (seen.at(-1) !== state) seen.push(state);
    if (state !== "uploaded" && state !== "saving") return { seen, view: json };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import ${id} did not finish: ${seen.join(" -> ")}`);
}

describe.each(DIALECTS)("import API on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("previews an error at its cell, saves the fixed file in the background, and lists both", async () => {
    const { admin, imports } = await setUp(getDb());
    const bad = xls([
      ["email", "name", "pop"],
      ["amy@example.com", "Amy Pond", "maybe"],
      ["rory@example.com", "Rory Williams", "yes"],
    ]);
    const preview = await admin.upload("/imports/preview", INTO_LONDON, [bad]);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ ok: false, saved: false, file: "users.xls", checkpoint: "A1" });
    expect(preview.json.errors).toEqual([
      expect.objectContaining({ code: "yes_no_invalid", cell: "C2", row: 2, column: "C" }),
    ]);
    // The Spreadsheet Information is the CLI's --json object, key for key.
    expect(Object.keys(preview.json).sort()).toEqual(
      [
        ...["ok", "saved", "importId", "file", "sheet", "checkpoint", "summary", "errors", "warnings"],
        ...["errorCount", "warningCount", "errorCounts", "warningCounts", "truncated"],
      ].sort(),
    );

    const fixed = xls([
      ["email", "name", "pop"],
      ["amy@example.com", "Amy Pond", "no"],
      ["rory@example.com", "Rory Williams", "yes"],
    ]);
    const clean = await admin.upload("/imports/preview", INTO_LONDON, [fixed]);
    expect(clean.json).toMatchObject({ ok: true, summary: { rows: 2, create: 2, groupAdded: 2 } });

    const started = await admin.upload("/imports/save", INTO_LONDON, [fixed]);
    expect(started.status).toBe(202);
    const id = String(started.json.importId);
    expect(started.json.state).toBe("uploaded");
    const { view } = await waitForImport(admin, id);
    expect(view).toMatchObject({
      state: "saved",
      saved: true,
      progress: null,
      note: "Spring intake",
      by: "admin@example.com",
      options: { group: "Staff/London", override: "add", uploadOnly: false },
      summary: { create: 2 },
    });
    expect((await admin.call("GET", "/users/amy@example.com")).json).toMatchObject({
      name: "Amy Pond",
      type: "imported",
      groups: ["Staff/London"],
    });

    const list = await admin.call("GET", "/imports");
    const items = list.json.items as Record<string, unknown>[];
    expect(list.json.total).toBe(3);
    expect(items.map((i) => [i.state, i.mode, i.errorCount])).toEqual([
      ["saved", "save", 0],
      ["validated", "preview", 0],
      ["failed", "preview", 1],
    ]);
    expect(items[0]).toMatchObject({ importId: id, by: "admin@example.com", note: "Spring intake" });
    const shown = await admin.call("GET", `/imports/${String(preview.json.importId)}`);
    expect((shown.json.errors as Issue[])[0]).toMatchObject({ code: "yes_no_invalid", cell: "C2" });
    expect(code((await admin.call("GET", "/imports/no-such-id")).json)).toBe("import_not_found");
    await imports.close();
  });

  it("runs a failing save in the background too: recorded failed with its cells, nothing written", async () => {
    const { admin, imports } = await setUp(getDb());
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [
      xls([
        ["email", "name"],
        ["new@example.com", "New"],
        ["new@example.com", "Again"],
      ]),
    ]);
    expect(started.status).toBe(202);
    const { view } = await waitForImport(admin, String(started.json.importId));
    // A failed save is told apart from a failed preview in the history.
    expect(view).toMatchObject({ state: "failed", mode: "save", saved: false, ok: false });
    expect(view.errors).toEqual([expect.objectContaining({ code: "email_duplicate", cell: "A3" })]);
    expect(code((await admin.call("GET", "/users/new@example.com")).json)).toBe("user_not_found");
    await imports.close();
  });

  it("shows a save with passwords while it runs, with its progress, in the show and the list", async () => {
    const { admin, imports } = await setUp(getDb());
    const rows: XlsValue[][] = [["email", "name", "password"]];
    for (let i = 0; i < 24; i++) rows.push([`p${i}@example.com`, `P ${i}`, `Tidal-Lantern-${i}x`]);
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [xls(rows)]);
    const id = String(started.json.importId);
    const listed = await admin.call("GET", "/imports");
    expect((listed.json.items as { importId: string }[])[0]?.importId).toBe(id);
    // argon2id on 24 passwords takes long enough to be seen hashing.
    let progress: unknown = null;
    for (let i = 0; i < 400 && progress === null; i++) {
      const { json } = await admin.call("GET", `/imports/${id}`);
      if (json.state === "saved") break;
      progress = json.progress;
    }
    expect(progress).toMatchObject({ stage: expect.any(String) as unknown });
    const { view } = await waitForImport(admin, id);
    expect(view).toMatchObject({ state: "saved", summary: { create: 24 } });
    expect((await admin.call("GET", "/users/p7@example.com")).json.hasPassword).toBe(true);
    await imports.close();
  });

  it("previews in the background too: 202, then the Spreadsheet Information of the import by its id", async () => {
    const { admin, imports } = await setUp(getDb());
    const rows: XlsValue[][] = [["email", "name", "password"]];
    for (let i = 0; i < 12; i++) rows.push([`p${i}@example.com`, `P ${i}`, `Tidal-Lantern-${i}x`]);
    const saved = await admin.upload("/imports/save", { uploadOnly: "true" }, [xls(rows)]);
    expect((await waitForImport(admin, String(saved.json.importId))).view.state).toBe("saved");

    // The same file again: a password cell always sets the password (never verified: no oracle, issue 10).
    const started = await admin.upload("/imports/preview/start", { uploadOnly: "true" }, [xls(rows)]);
    expect([started.status, started.json.state]).toEqual([202, "uploaded"]);
    const again = await waitForImport(admin, String(started.json.importId));
    expect(again.view).toMatchObject({
      state: "validated",
      mode: "preview",
      ok: true,
      saved: false,
      summary: { rows: 12, create: 0, update: 12, unchanged: 0 },
      errors: [],
    });

    const bad = await admin.upload("/imports/preview/start", { uploadOnly: "true" }, [
      xls([
        ["email", "name", "pop"],
        ["amy@example.com", "Amy", "perhaps"],
      ]),
    ]);
    const failed = await waitForImport(admin, String(bad.json.importId));
    expect(failed.view).toMatchObject({ state: "failed", mode: "preview", ok: false });
    expect(failed.view.errors).toEqual([expect.objectContaining({ code: "yes_no_invalid", cell: "C2" })]);
    await imports.close();
  });

  it("keeps answering while a save writes: its progress is seen at the saving stage", async () => {
    const { admin, imports } = await setUp(getDb());
    const rows: XlsValue[][] = [["email", "name", "alias1", "department"]];
    for (let i = 0; i < 4000; i++) rows.push([`u${i}@example.com`, `U ${i}`, `u${i}.a@example.org`, "Sales"]);
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [xls(rows)]);
    const id = String(started.json.importId);
    // The write runs in slices; between them the server answers (on SQLite too, whose calls are synchronous).
    const stages = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const { json } = await admin.call("GET", `/imports/${id}`);
      const progress = json.progress as { stage: string; done: number } | null;
      if (json.state === "saving" && progress?.stage === "saving" && progress.done > 0) stages.add("saving");
      if (json.state !== "uploaded" && json.state !== "saving") break;
      // A client's pause between polls (in process, with SQLite, nothing else would ever wait).
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...stages]).toEqual(["saving"]);
    expect((await waitForImport(admin, id)).view).toMatchObject({
      state: "saved",
      summary: { create: 4000 },
    });
    await imports.close();
  });

  it("hands out the error report as .xls and .csv, formula-like cells neutralised", async () => {
    const { admin, imports } = await setUp(getDb());
    // Addresses may start with = + -, and the message of a repeated address starts with it.
    const preview = await admin.upload("/imports/preview", { uploadOnly: "true" }, [
      {
        name: "evil list.xls",
        bytes: usersXls([
          ["email", "name", "pop"],
          ["=cmd@example.com", "A"],
          ["=cmd@example.com", "B"],
          ["+sum@example.com", "C"],
          ["+sum@example.com", "D"],
          ["-one@example.com", "E"],
          ["-one@example.com", "F"],
          ["ok@example.com", "Ok", "perhaps"],
        ]),
      },
    ]);
    const id = String(preview.json.importId);
    const errors = preview.json.errors as Issue[];
    expect(errors.map((e) => [e.code, e.cell])).toEqual([
      ["email_duplicate", "A3"],
      ["email_duplicate", "A5"],
      ["email_duplicate", "A7"],
      ["yes_no_invalid", "C8"],
    ]);

    const report = await admin.download(`/imports/${id}/errors.xls`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toBe("application/vnd.ms-excel");
    expect(report.headers.get("content-disposition")).toMatch(/attachment; filename="evil_list-errors\.xls"/);
    const sheet = readXls(report.bytes, { fileName: "errors.xls" }).sheets[0];
    const table = [...(sheet?.rows() ?? [])].map((r) => r.texts().map((t) => t ?? ""));
    expect(table[0]).toEqual(["Cell", "Row", "Column", "Code", "Message", "Severity"]);
    expect(table.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual([
      ["A3", "3", "A", "email_duplicate", "Error"],
      ["A5", "5", "A", "email_duplicate", "Error"],
      ["A7", "7", "A", "email_duplicate", "Error"],
      ["C8", "8", "C", "yes_no_invalid", "Error"],
    ]);
    const messages = table.slice(1, 4).map((r) => r[4] ?? "");
    expect(messages.map((m) => m.slice(0, 2))).toEqual(["'=", "'+", "'-"]);

    const csv = await admin.download(`/imports/${id}/errors.csv`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = new TextDecoder().decode(csv.bytes);
    const lines = text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe('"Cell","Row","Column","Code","Message","Severity"');
    // Every quoted cell: none starts with a formula character unless a quote neutralises it.
    const cells = [...text.matchAll(/(?:^|,)"((?:[^"]|"")*)"/gm)].map((m) => m[1] ?? "");
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells.filter((c) => /^'[=+-]/.test(c))).toHaveLength(3);
    expect(lines[2]).toMatch(/^"A5",5,"A","email_duplicate","'\+sum@example\.com/);
    await imports.close();
  });

  it("hands out a blank template that imports once a row is added", async () => {
    const { admin, imports } = await setUp(getDb());
    const template = await admin.download("/imports/template.xls");
    expect(template.status).toBe(200);
    const sheet = readXls(template.bytes, { fileName: "template.xls" }).sheets[0];
    const headers = [...(sheet?.rows() ?? [])].map((r) => r.texts().map((t) => t ?? ""))[0] ?? [];
    expect(headers.slice(0, 3)).toEqual(["email", "name", "password"]);
    expect(headers).toContain("alias1");

    const row = headers.map(
      (h) => ({ email: "tess@example.com", name: "Tess", pop: "yes", alias1: "t@example.org" })[h] ?? null,
    );
    const filled = writeXls([{ name: sheet?.name ?? "Users", rows: [headers, row] }]);
    const preview = await admin.upload("/imports/preview", { uploadOnly: "true" }, [
      { name: "template.xls", bytes: filled },
    ]);
    expect(preview.json).toMatchObject({
      ok: true,
      checkpoint: "A1",
      summary: { create: 1, aliasesAdded: 1 },
    });
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [
      { name: "template.xls", bytes: filled },
    ]);
    expect((await waitForImport(admin, String(started.json.importId))).view.state).toBe("saved");
    expect((await admin.call("GET", "/users/t@example.org")).json).toMatchObject({
      email: "tess@example.com",
      pop: true,
    });
    await imports.close();
  });

  it("refuses wrong uploads and uploads over the limits, each with its code", async () => {
    const { admin, imports } = await setUp(getDb(), { maxFileBytes: 64 * 1024 });
    const good = xls([
      ["email", "name"],
      ["amy@example.com", "Amy"],
    ]);
    const cases: [Promise<{ status: number; json: Record<string, unknown> }>, number, string][] = [
      [admin.call("POST", "/imports/preview", { uploadOnly: "true" }), 415, "upload_not_multipart"],
      [admin.upload("/imports/preview", { uploadOnly: "true" }, []), 400, "upload_file_missing"],
      [
        admin.upload("/imports/preview", { uploadOnly: "true" }, [{ ...good, field: "sheet" }]),
        400,
        "upload_file_missing",
      ],
      [
        admin.upload("/imports/preview", { uploadOnly: "true" }, [
          { name: "users.csv", bytes: new Uint8Array(3), type: "text/csv" },
        ]),
        415,
        "upload_file_type_invalid",
      ],
      [
        admin.upload("/imports/preview", { uploadOnly: "true" }, [good, { ...good, field: "file2" }]),
        400,
        "upload_too_many_parts",
      ],
      [
        admin.upload("/imports/preview", { uploadOnly: "true", a: "1", b: "2", c: "3", d: "4", e: "5" }, [
          good,
        ]),
        400,
        "upload_too_many_parts",
      ],
      [
        admin.upload("/imports/preview", { uploadOnly: "true", note: "x".repeat(5000) }, [good]),
        400,
        "upload_field_too_long",
      ],
      [admin.upload("/imports/preview", {}, [good]), 400, "request_invalid"],
      [
        admin.upload("/imports/preview", { uploadOnly: "true", group: "Staff" }, [good]),
        400,
        "request_invalid",
      ],
      [
        admin.upload("/imports/preview", { uploadOnly: "true", note: "n".repeat(101) }, [good]),
        400,
        "note_invalid",
      ],
      [admin.upload("/imports/save", { group: "No/Such" }, [good]), 202, ""],
      [
        admin.upload("/imports/preview", { uploadOnly: "true" }, [
          { name: "big.xls", bytes: new Uint8Array(65 * 1024) },
        ]),
        413,
        "file_too_large",
      ],
      [
        admin.upload("/imports/preview", { uploadOnly: "true" }, [
          { name: "huge.xls", bytes: new Uint8Array(512 * 1024) },
        ]),
        413,
        "file_too_large",
      ],
    ];
    for (const [call, status, expected] of cases) {
      const { status: got, json } = await call;
      expect([got, code(json) ?? ""]).toEqual([status, expected]);
    }
    // A file that is not a workbook, sent as one, is the file's error in the Spreadsheet Information.
    const notXls = await admin.upload("/imports/preview", { uploadOnly: "true" }, [
      { name: "users.xls", bytes: new TextEncoder().encode("email,name\namy@example.com,Amy\n") },
    ]);
    expect(notXls.status).toBe(200);
    expect((notXls.json.errors as Issue[]).map((e) => e.code)).toEqual(["file_not_xls"]);
    await imports.close();
  });

  it("stops a file over the parse budget with file_too_complex and records the import failed", async () => {
    const { admin, context, imports } = await setUp(getDb(), { budget: { timeoutMs: 20, maxHeapMb: 256 } });
    const rows: XlsValue[][] = [["email", "name"]];
    for (let i = 0; i < 30_000; i++) rows.push([`u${i}@example.com`, `User ${i}`]);
    const preview = await admin.upload("/imports/preview", { uploadOnly: "true" }, [xls(rows)]);
    expect(preview.status).toBe(200);
    expect(preview.json.errors).toEqual([expect.objectContaining({ code: "file_too_complex", cell: null })]);
    expect((preview.json.errors as { message: string }[])[0]?.message).toMatch(/users\.xls/);
    expect((await admin.call("GET", `/imports/${String(preview.json.importId)}`)).json.state).toBe("failed");
    await imports.close();
    // An unreadable file mails the importer, as the CLI does.
    expect((await listOutbox(context)).map((m) => m.subject)).toEqual(["Import failed: users.xls"]);
  });

  it("needs import rights: a Helpdesk Administrator gets 403 and sees no import", async () => {
    const { app, admin, context, imports } = await setUp(getDb());
    await saveUsers(context, {
      users: [
        {
          email: "helen@example.com",
          name: "Helen",
          password: "Tidal-Lantern-7",
          forceChangePassword: false,
        },
      ],
    });
    await admin.call("POST", "/users/helen@example.com/roles", { role: "Helpdesk Administrator" });
    const mine = await admin.upload("/imports/preview", { uploadOnly: "true" }, [
      xls([
        ["email", "name"],
        ["amy@example.com", "Amy"],
      ]),
    ]);
    const helen = new ApiClient(app);
    await helen.call("POST", "/auth/sign-in", { email: "helen@example.com", password: "Tidal-Lantern-7" });
    const file = xls([
      ["email", "name"],
      ["amy@example.com", "Amy"],
    ]);
    for (const path of ["/imports/preview", "/imports/save"]) {
      const refused = await helen.upload(path, { uploadOnly: "true" }, [file]);
      expect([refused.status, code(refused.json)]).toEqual([403, "permission_denied"]);
    }
    expect(code((await helen.call("GET", "/imports")).json)).toBe("permission_denied");
    const id = String(mine.json.importId);
    expect(code((await helen.call("GET", `/imports/${id}`)).json)).toBe("import_not_found");
    expect((await helen.download(`/imports/${id}/errors.csv`)).status).toBe(404);
    // Nothing was recorded for the refused uploads.
    expect((await admin.call("GET", "/imports")).json.total).toBe(1);
    await imports.close();
  });

  it("answers a file of 983,025-error junk with the first 1,000, counted by code, and a bounded report", async () => {
    const { admin, imports } = await setUp(getDb());
    const rows = 4000;
    const junk = { name: "junk.xls", bytes: junkCellsXls(rows) };
    const preview = await admin.upload("/imports/preview", { uploadOnly: "true" }, [junk]);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({
      ok: false,
      errorCount: rows * 15,
      errorCounts: { yes_no_invalid: rows * 5, alias_invalid: rows * 10 },
      truncated: true,
    });
    const errors = preview.json.errors as (Issue & { message: string })[];
    expect(errors).toHaveLength(1000);
    expect(errors[0]).toMatchObject({ code: "yes_no_invalid", cell: "C2" });
    for (const error of errors) expect(Array.from(error.message).length).toBeLessThan(200);
    expect(JSON.stringify(preview.json).length).toBeLessThan(1024 * 1024);

    const id = String(preview.json.importId);
    const report = await admin.download(`/imports/${id}/errors.xls`);
    expect(report.status).toBe(200);
    const sheet = readXls(report.bytes, { fileName: "errors.xls" }).sheets[0];
    expect(sheet?.rowCount).toBe(1 + 1000 + 1);
    expect((await admin.download(`/imports/${id}/errors.csv`)).status).toBe(200);
    await imports.close();
  });

  it("settles a background preview of 65,535 rows in a foreign domain as failed, never stuck", async () => {
    const { admin, imports } = await setUp(getDb());
    const started = await admin.upload("/imports/preview/start", { uploadOnly: "true" }, [
      { name: "foreign.xls", bytes: foreignDomainXls() },
    ]);
    expect(started.status).toBe(202);
    const { view } = await waitForImport(admin, String(started.json.importId));
    expect(view).toMatchObject({
      state: "failed",
      errorCount: MAX_XLS_DATA_ROWS,
      errorCounts: { domain_not_internal: MAX_XLS_DATA_ROWS },
      truncated: true,
    });
    expect(view.errors).toHaveLength(1000);
    const page = (await admin.call("GET", "/imports")).json as { items: Record<string, unknown>[] };
    expect(page.items[0]).toMatchObject({ state: "failed", errorCount: MAX_XLS_DATA_ROWS });
    await imports.close();
  });

  it("describes the upload, the background save and the downloads in the OpenAPI document", async () => {
    const { admin, imports } = await setUp(getDb());
    const doc = (await admin.call("GET", "/openapi.json")).json as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const preview = doc.paths["/api/v1/imports/preview"]?.post;
    expect(preview?.requestBody).toMatchObject({
      content: {
        "multipart/form-data": {
          schema: { properties: { file: { type: "string", format: "binary" } }, required: ["file"] },
        },
      },
    });
    expect(doc.paths["/api/v1/imports/save"]?.post?.responses).toHaveProperty("202");
    expect(doc.paths["/api/v1/imports/{id}/errors.csv"]?.get?.responses).toMatchObject({
      "200": { content: { "text/csv": { schema: { type: "string", format: "binary" } } } },
    });
    await imports.close();
  });
});
