import { AppError } from "../../errors/app-error.js";
import type { ImportSummary } from "../../import/plan-import.js";
import { findAccountById } from "../../store/accounts-repository.js";
import { loadImportFile } from "../../store/import-files-repository.js";
import { findImportById } from "../../store/imports-repository.js";
import type { ServiceContext } from "../context.js";
import { showImport } from "./import-queries.js";
import type { ImportRequest } from "./import-request.js";

/**
 * Save the previewed upload: the request that saves exactly the file and options a clean preview checked,
 * from the bytes kept with its record (uploaded and read once by the importer's browser or script; the server
 * reads its own copy again). The save then plans against the directory as it is at that moment and refuses,
 * writing nothing, when that plan differs from the preview's (`import_changed_since_preview`).
 */
export async function previewedImportRequest(
  context: ServiceContext,
  previewId: string,
): Promise<Omit<ImportRequest, "analyze" | "onRecorded" | "onProgress">> {
  const view = await showImport(context, previewId);
  if (view.kind !== "users" || view.mode !== "preview" || view.state !== "validated") {
    throw new AppError(
      "import_not_previewed",
      `Import ${previewId} is not a clean preview of a user import (it is ${view.mode ?? "an import"} ${view.state}): preview the file, correct its errors, then save.`,
      { id: previewId, state: view.state },
    );
  }
  const bytes = await loadImportFile(context.db, previewId);
  if (bytes === undefined) {
    throw new AppError(
      "import_file_expired",
      `The file of preview ${previewId} is no longer kept: upload ${view.file} again.`,
      { id: previewId },
    );
  }
  const row = await findImportById(context.db, previewId);
  const account = row && (await findAccountById(context.db, row.account_id));
  return {
    fileName: view.file,
    bytes,
    account: account?.code,
    group: view.options.uploadOnly ? undefined : (view.options.group ?? undefined),
    override: view.options.override ?? undefined,
    note: view.note ?? undefined,
    expectedSummary: view.summary,
    previewId,
  };
}

/** Whether a save's plan does what its preview showed: the same counts and the same new attributes. */
export function samePlan(planned: ImportSummary, previewed: ImportSummary): boolean {
  const counts = [
    "rows",
    "create",
    "update",
    "unchanged",
    "aliasesAdded",
    "groupAdded",
    "groupRemoved",
    "typeChanged",
  ] as const;
  return (
    counts.every((count) => planned[count] === previewed[count]) &&
    planned.attributesCreated.join("\n") === previewed.attributesCreated.join("\n")
  );
}
