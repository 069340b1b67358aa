import { AppError, isAppError } from "../../errors/app-error.js";
import { findImportById, listImportRows, type ImportRow } from "../../store/imports-repository.js";
import type { Executor } from "../../store/schema.js";
import { findFirstEmailWithRole } from "../../store/roles-repository.js";
import { resolveAccount, resolveAccountIfNamed } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import { mapImport, type ImportView } from "./import-states.js";

/** `imports list`: every import the actor may see, oldest first. */
export async function listImports(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<ImportView[]> {
  const account = await resolveAccountIfNamed(context.db, context.actor, request.account);
  const rows = await listImportRows(context.db, account ? [account.id] : undefined);
  const visible: ImportView[] = [];
  for (const row of rows) {
    if (await mayView(context, row)) visible.push(mapImport(row));
  }
  return visible;
}

export async function showImport(context: ServiceContext, id: string): Promise<ImportView> {
  const row = await findImportById(context.db, id);
  if (!row || !(await mayView(context, row))) {
    throw new AppError("import_not_found", `No import has the id ${id}.`, { id });
  }
  return mapImport(row);
}

async function mayView(context: ServiceContext, row: ImportRow): Promise<boolean> {
  if (context.actor.kind === "system") return true;
  try {
    await authorize(context.db, context.actor, row.account_id, "import_users");
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === "permission_denied") return false;
    throw error;
  }
}

/** The importing administrator by default: the account's first Super Administrator. */
export async function findDefaultImporter(db: Executor, account: string | undefined): Promise<string> {
  const resolved = await resolveAccount(db, account);
  const email = await findFirstEmailWithRole(db, resolved.id, "super_administrator");
  if (email === undefined) {
    throw new AppError(
      "user_not_found",
      `Account ${resolved.code} has no Super Administrator: name the importer.`,
      {
        account: resolved.code,
      },
    );
  }
  return email;
}
