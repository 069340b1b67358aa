import { AppError } from "../../errors/app-error.js";
import { isImportCancelRequested, requestImportCancel } from "../../store/imports-repository.js";
import type { ServiceContext } from "../context.js";
import { showImport } from "./import-queries.js";

/**
 * Cancel while previewing or before the commit: records the request on the import (so the server running it,
 * whichever it is, sees it at its next check, and a save's commit refuses it); the import then ends failed with
 * import_cancelled and nothing written. Whoever may see the import (its kind's import permission) may cancel it.
 * An import no longer running (saved, failed, a finished preview) answers import_not_running.
 */
export async function cancelImport(context: ServiceContext, id: string): Promise<{ importId: string }> {
  const view = await showImport(context, id);
  if (!(await requestImportCancel(context.db, id, context.now().toISOString()))) {
    throw new AppError(
      "import_not_running",
      `Import ${id} is not running (it is ${view.state}): there is nothing to cancel.`,
      { id, state: view.state },
    );
  }
  return { importId: id };
}

/** Whether someone has asked to cancel the import (the runner polls this while the import runs). */
export function importCancelRequested(context: ServiceContext, id: string): Promise<boolean> {
  return isImportCancelRequested(context.db, id);
}
