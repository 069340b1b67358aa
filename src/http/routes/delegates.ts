import { z } from "zod";
import { MAX_NOTE_LENGTH } from "../../directory/note.js";
import { delegateTemplate, exportDelegates } from "../../services/delegates/delegate-files.js";
import { listDelegates, showUserDelegates } from "../../services/delegates/list-delegates.js";
import { previewDelegateImport, saveDelegateImport } from "../../services/delegates/run-delegate-import.js";
import { XLS_TYPE } from "../../services/imports/import-files.js";
import type { Principal } from "../../services/auth-service.js";
import { ApiRouter } from "../api-router.js";
import {
  delegateImportOutcomeSchema,
  delegateListQuery,
  delegatePageSchema,
  userDelegatesSchema,
} from "../delegate-schemas.js";
import type { UploadedFile } from "../multipart.js";
import { pageQuery } from "../schemas.js";
import { backgroundUpload } from "./background-upload.js";
import { optionalText, requireXls, runnerOf, startedSchema } from "./imports.js";
import { requestAccount } from "./request-account.js";

// Delegate mailbox access: the list, its export, and its import, which runs as an import of kind
// "delegates" in the server's import runner (poll GET /imports/{id}, as for a user import).

const uploadFields = z.object({
  // Bounds the field only; the note's rule (note_invalid) is the service's.
  note: optionalText(4 * MAX_NOTE_LENGTH),
  account: optionalText(32),
});

function importRequest(
  body: z.output<typeof uploadFields>,
  file: UploadedFile,
  principal: Principal | undefined,
) {
  return {
    fileName: file.fileName || "delegates.xls",
    bytes: file.bytes,
    account: requestAccount(body, principal),
    note: body.note,
  };
}

const BACKGROUND_UPLOAD = backgroundUpload(uploadFields, startedSchema);

export const delegateRoutes = new ApiRouter("/delegates", "Delegates")
  .add(
    {
      method: "get",
      path: "",
      summary:
        "Delegate mailbox access: who (primary) may open whose mailbox (delegate); search either address, filter by primary; paginated.",
      access: "signed-in",
      query: delegateListQuery.extend(pageQuery),
      response: delegatePageSchema,
    },
    ({ query, principal, services }) =>
      listDelegates(services, { ...query, account: requestAccount(query, principal) }),
  )
  .download(
    {
      method: "get",
      path: "/export.xls",
      summary: "The pairs as a delegate sheet (.xls: primary, delegate at A1), which the import reads back.",
      access: "signed-in",
      query: delegateListQuery.omit({ q: true }),
      produces: XLS_TYPE,
    },
    ({ query, principal, services }) =>
      exportDelegates(services, { ...query, account: requestAccount(query, principal) }),
  )
  .download(
    {
      method: "get",
      path: "/template.xls",
      summary: "A blank delegate sheet (.xls): primary, delegate, action at A1.",
      access: "signed-in",
      produces: XLS_TYPE,
    },
    () => Promise.resolve(delegateTemplate()),
  )
  .add(
    {
      method: "post",
      path: "/import/preview",
      summary:
        "Preview Changes of a delegate sheet (multipart): its Spreadsheet Information; writes only the import record.",
      access: "signed-in",
      body: uploadFields,
      multipart: true,
      response: delegateImportOutcomeSchema,
    },
    ({ body, file, principal, services, c }) =>
      runnerOf(c).previewWith(
        previewDelegateImport,
        services,
        importRequest(body, requireXls(file), principal),
      ),
  )
  .add(
    {
      ...BACKGROUND_UPLOAD,
      path: "/import/preview/start",
      summary: "Preview Changes of a delegate sheet in the background: poll GET /imports/{id}.",
    },
    ({ body, file, principal, services, c }) =>
      runnerOf(c).start(previewDelegateImport, services, importRequest(body, requireXls(file), principal)),
  )
  .add(
    {
      ...BACKGROUND_UPLOAD,
      path: "/import/save",
      summary: "Save a delegate sheet (upload it again): the whole file or nothing. Poll GET /imports/{id}.",
    },
    ({ body, file, principal, services, c }) =>
      runnerOf(c).start(saveDelegateImport, services, importRequest(body, requireXls(file), principal)),
  );

/** A user's delegate access in both directions, beside the user's other routes. */
export const userDelegateRoutes = new ApiRouter("/users", "Delegates").add(
  {
    method: "get",
    path: "/{address}/delegates",
    summary:
      "A user's delegate access both ways: the mailboxes they may open, and who may open theirs (a page of each).",
    access: "signed-in",
    params: z.object({ address: z.string().min(3).max(254) }),
    query: z.object(pageQuery),
    response: userDelegatesSchema,
  },
  ({ params, query, services }) => showUserDelegates(services, params.address, query),
);
