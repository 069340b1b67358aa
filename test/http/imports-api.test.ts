import { describe, expect, it } from "vitest";
import { listOutbox } from "../../src/services/outbox-service.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";
import { ApiClient, errorCode as code } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { junkCellsXls, usersXls } from "../support/import-files.js";
import {
  INTO_LONDON,
  setUpImportApi,
  waitForImport,
  xlsUpload,
  type IssueJson,
} from "../support/imports-api.js";
import { HELEN } from "../support/service-context.js";

describe.each(DIALECTS)("import API on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("previews an error at its cell, saves the fixed file in the background, and lists both", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const bad = xlsUpload([
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

    const fixed = xlsUpload([
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
    expect((shown.json.errors as IssueJson[])[0]).toMatchObject({ code: "yes_no_invalid", cell: "C2" });
    expect(code((await admin.call("GET", "/imports/no-such-id")).json)).toBe("import_not_found");
    await imports.close();
  });

  it("hands out the error report as .xls and .csv, formula-like cells neutralised", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
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
    const errors = preview.json.errors as IssueJson[];
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
    const { admin, imports } = await setUpImportApi(getDb());
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
    const { admin, imports } = await setUpImportApi(getDb(), { maxFileBytes: 64 * 1024 });
    const good = xlsUpload([
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
    expect((notXls.json.errors as IssueJson[]).map((e) => e.code)).toEqual(["file_not_xls"]);
    await imports.close();
  });

  it("stops a file over the parse budget with file_too_complex and records the import failed", async () => {
    const { admin, context, imports } = await setUpImportApi(getDb(), {
      budget: { timeoutMs: 20, maxHeapMb: 256 },
    });
    const rows: XlsValue[][] = [["email", "name"]];
    for (let i = 0; i < 30_000; i++) rows.push([`u${i}@example.com`, `User ${i}`]);
    const preview = await admin.upload("/imports/preview", { uploadOnly: "true" }, [xlsUpload(rows)]);
    expect(preview.status).toBe(200);
    expect(preview.json.errors).toEqual([expect.objectContaining({ code: "file_too_complex", cell: null })]);
    expect((preview.json.errors as { message: string }[])[0]?.message).toMatch(/users\.xls/);
    expect((await admin.call("GET", `/imports/${String(preview.json.importId)}`)).json.state).toBe("failed");
    await imports.close();
    // An unreadable file mails the importer, as the CLI does.
    expect((await listOutbox(context)).map((m) => m.subject)).toEqual(["Import failed: users.xls"]);
  });

  it("needs import rights: a Helpdesk Administrator gets 403 and sees no import", async () => {
    const { app, admin, context, imports } = await setUpImportApi(getDb());
    await saveUsers(context, { users: [HELEN] });
    await admin.call("POST", "/users/helen@example.com/roles", { role: "Helpdesk Administrator" });
    const mine = await admin.upload("/imports/preview", { uploadOnly: "true" }, [
      xlsUpload([
        ["email", "name"],
        ["amy@example.com", "Amy"],
      ]),
    ]);
    const helen = new ApiClient(app);
    await helen.call("POST", "/auth/sign-in", { email: HELEN.email, password: HELEN.password });
    const file = xlsUpload([
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
    const { admin, imports } = await setUpImportApi(getDb());
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
    const errors = preview.json.errors as (IssueJson & { message: string })[];
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

  it("describes the upload, the background save and the downloads in the OpenAPI document", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
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
