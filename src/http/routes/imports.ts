import type { Context } from "hono";
import { z } from "zod";
import { AppError } from "../../errors/app-error.js";
import type { ImportRunner } from "../../jobs/import-runner.js";
import type { Principal } from "../../services/auth-service.js";
import { importErrorReport, importTemplate, XLS_TYPE } from "../../services/imports/import-files.js";
import { listImportHistory } from "../../services/imports/import-history.js";
import { importResultsFile } from "../../services/imports/results-file.js";
import { previewedImportRequest } from "../../services/imports/save-previewed-import.js";
import { listImportedUsers, showImport } from "../../services/imports/import-queries.js";
import { ApiRouter } from "../api-router.js";
import type { AppEnv } from "../http-env.js";
import type { UploadedFile } from "../multipart.js";
import {
  accountQuery,
  importListItemSchema,
  importOutcomeSchema,
  importViewSchema,
  IMPORT_STATES,
  noteText,
  pageQuery,
  keysetPageOf,
  keysetQuery,
} from "../schemas.js";
import { requestAccount } from "./request-account.js";
import { withProgress } from "./with-progress.js";

/** A form sends an empty field for an empty input: the same as leaving the field out. */
export const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((value) => (value === "" ? undefined : value));

// The dialog's fields. The note's 100-character rule is the service's (note_invalid); this only bounds it.
const uploadFields = z
  .object({
    group: optionalText(1000),
    uploadOnly: z.enum(["true", "false"]).optional(),
    override: z.enum(["add", "overwrite"]).optional(),
    note: noteText.optional().transform((value) => (value === "" ? undefined : value)),
    account: optionalText(32),
  })
  .refine((f) => (f.group !== undefined) !== (f.uploadOnly === "true"), {
    message: "give either group or uploadOnly=true",
    path: ["group"],
  })
  .refine((f) => f.uploadOnly !== "true" || f.override === undefined, {
    message: "override needs a group",
    path: ["override"],
  });

// What browsers and clients declare for an .xls (octet-stream or nothing when they do not know it). The
// reader sniffs the bytes anyway; this refuses an .xlsx, a CSV or a picture with a clear code up front.
const XLS_TYPES = new Set([
  "",
  XLS_TYPE,
  "application/octet-stream",
  "application/msexcel",
  "application/x-msexcel",
  "application/x-ms-excel",
  "application/x-excel",
  "application/x-dos_ms_excel",
  "application/xls",
  "application/x-xls",
]);

export function requireXls(file: UploadedFile | undefined): UploadedFile {
  // A file input left empty still sends a part, with no name and no bytes.
  if (file?.field !== "file" || (file.fileName === "" && file.bytes.length === 0)) {
    throw new AppError(
      "upload_file_missing",
      "Choose the spreadsheet (.xls) to upload, as the part `file`.",
      {},
    );
  }
  if (!XLS_TYPES.has(file.type)) {
    throw new AppError(
      "upload_file_type_invalid",
      `${file.fileName} was sent as ${file.type}, not as an Excel 97-2003 workbook: save it as .xls and upload it again.`,
      { file: file.fileName, type: file.type },
    );
  }
  return file;
}

export function runnerOf(c: Context<AppEnv>): ImportRunner {
  const runner = c.get("deps").imports;
  if (!runner) throw new Error("createApp always sets the import runner");
  return runner;
}

function importRequest(
  body: z.output<typeof uploadFields>,
  file: UploadedFile,
  principal: Principal | undefined,
) {
  const uploadOnly = body.uploadOnly === "true";
  return {
    fileName: file.fileName || "upload.xls",
    bytes: file.bytes,
    account: requestAccount(body, principal),
    group: uploadOnly ? undefined : body.group,
    override: body.override,
    note: body.note,
  };
}

const idParams = z.object({ id: z.string().min(1).max(64) });
const importedUsersSchema = z
  .object({
    items: z.array(z.object({ address: z.string(), action: z.enum(["created", "updated"]) })).max(50),
  })
  .meta({ id: "ImportedUsers" });
export const startedSchema = z
  .object({ importId: z.string(), state: z.enum(IMPORT_STATES) })
  .meta({ id: "ImportStarted" });

/** An upload that starts an import in the server's background and answers 202 with its id at once. */
const BACKGROUND_UPLOAD = {
  method: "post",
  access: "signed-in",
  body: uploadFields,
  multipart: true,
  response: startedSchema,
  status: 202,
} as const;

export const importRoutes = new ApiRouter("/imports", "Imports")
  .add(
    {
      method: "get",
      path: "",
      summary: "The account's import history, newest first, with the progress of a save still running.",
      access: "signed-in",
      query: z.object({ ...accountQuery, ...pageQuery, ...keysetQuery }),
      response: keysetPageOf(importListItemSchema, "ImportPage"),
    },
    async ({ query, principal, services, c }) => {
      const page = await listImportHistory(services, {
        account: requestAccount(query, principal),
        page: query.page,
        pageSize: query.pageSize,
        cursor: query.cursor,
        limit: query.limit,
      });
      const runner = runnerOf(c);
      return {
        ...page,
        items: page.items.map((item) => ({ ...item, progress: runner.progressOf(item.importId) ?? null })),
      };
    },
  )
  // Before /{id}: a fixed path wins over the parameter only when it is registered first.
  .download(
    {
      method: "get",
      path: "/template.xls",
      summary: "A blank import template (.xls): the headers at A1, ready for rows below.",
      access: "signed-in",
      produces: XLS_TYPE,
    },
    () => Promise.resolve(importTemplate()),
  )
  .add(
    {
      method: "post",
      path: "/preview",
      summary:
        "Preview Changes: upload an .xls (multipart) and get the Spreadsheet Information; writes only the import record.",
      access: "signed-in",
      body: uploadFields,
      multipart: true,
      response: importOutcomeSchema,
    },
    ({ body, file, principal, services, c }) =>
      runnerOf(c).preview(services, importRequest(body, requireXls(file), principal)),
  )
  .add(
    {
      ...BACKGROUND_UPLOAD,
      path: "/preview/start",
      summary:
        "Preview Changes in the background (a large file, or a re-import whose passwords are verified one by one): poll GET /imports/{id} for its progress, then its Spreadsheet Information.",
    },
    ({ body, file, principal, services, c }) =>
      runnerOf(c).startPreview(services, importRequest(body, requireXls(file), principal)),
  )
  .add(
    {
      ...BACKGROUND_UPLOAD,
      path: "/save",
      summary:
        "Save: upload the .xls again (multipart); the save runs in the background. Poll GET /imports/{id}.",
    },
    ({ body, file, principal, services, c }) =>
      runnerOf(c).startSave(services, importRequest(body, requireXls(file), principal)),
  )
  .add(
    {
      method: "get",
      path: "/{id}",
      summary: "One import: options, note, state, summary, errors, warnings, and a running save's progress.",
      access: "signed-in",
      params: idParams,
      response: importViewSchema,
    },
    async ({ params, services, c }) =>
      withProgress(await showImport(services, params.id), () =>
        // Wherever it runs: another server's save shows the progress that server last wrote to the record.
        runnerOf(c).progressAnywhere(services, params.id),
      ),
  )
  .add(
    {
      method: "post",
      path: "/{id}/save",
      summary:
        "Save the previewed upload: commits the file a clean preview checked, kept with it on the server (no second upload), in the background; fails with import_changed_since_preview, writing nothing, when the directory changed since the preview. Poll GET /imports/{id} of the save's id.",
      access: "signed-in",
      params: idParams,
      response: startedSchema,
      status: 202,
    },
    async ({ params, services, c }) =>
      runnerOf(c).startSave(services, await previewedImportRequest(services, params.id)),
  )
  .add(
    {
      method: "post",
      path: "/{id}/cancel",
      summary:
        "Cancel a running preview or save (from any server): it stops at its next check point, at the latest before its commit, and ends failed with import_cancelled, nothing written. 409 import_not_running once it has ended.",
      access: "signed-in",
      params: idParams,
      response: z.object({ importId: z.string() }).meta({ id: "ImportCancelRequested" }),
      status: 202,
    },
    ({ params, services, c }) => runnerOf(c).cancel(services, params.id),
  )
  .download(
    {
      method: "get",
      path: "/{id}/errors.xls",
      summary: "The import's error report as .xls: Cell, Row, Column, Code, Message, Severity.",
      access: "signed-in",
      params: idParams,
      produces: XLS_TYPE,
    },
    ({ params, services }) => importErrorReport(services, params.id, "xls"),
  )
  .download(
    {
      method: "get",
      path: "/{id}/errors.csv",
      summary: "The import's error report as CSV (UTF-8), formula-like cells neutralised.",
      access: "signed-in",
      params: idParams,
      produces: "text/csv",
    },
    ({ params, services }) => importErrorReport(services, params.id, "csv"),
  )
  .add(
    {
      method: "get",
      path: "/{id}/users",
      summary:
        "The first 50 users a saved import created or changed, in the order it wrote them (the summary counts them all).",
      access: "signed-in",
      params: idParams,
      response: importedUsersSchema,
    },
    async ({ params, services }) => ({ items: await listImportedUsers(services, params.id) }),
  )
  .download(
    {
      method: "get",
      path: "/{id}/results.xls",
      summary:
        "The results file as .xls: the uploaded sheet with Status (Created, Updated, Unchanged, Error, Skipped) and Error columns, ready to fix and upload again.",
      access: "signed-in",
      params: idParams,
      produces: XLS_TYPE,
    },
    ({ params, services }) => importResultsFile(services, params.id, "xls"),
  )
  .download(
    {
      method: "get",
      path: "/{id}/results.csv",
      summary: "The results file as CSV (UTF-8): the uploaded sheet with Status and Error columns.",
      access: "signed-in",
      params: idParams,
      produces: "text/csv",
    },
    ({ params, services }) => importResultsFile(services, params.id, "csv"),
  );
