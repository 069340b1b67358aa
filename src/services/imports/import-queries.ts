import { DELEGATE_PERMISSION } from "../../directory/delegate-rules.js";
import { AppError, isAppError } from "../../errors/app-error.js";
import { listImportUserChanges } from "../../store/audit-repository.js";
import { findImportById, listImportRows, type ImportRow } from "../../store/imports-repository.js";
import type { Executor } from "../../store/schema.js";
import { findFirstEmailWithRole } from "../../store/roles-repository.js";
import { resolveAccount, resolveAccountIfNamed } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import { mapImport, type ImportView } from "./import-states.js";

/** The most users an import's results view links to; the users list shows the rest. */
export const IMPORTED_USERS_SHOWN = 50;

/** The first users a saved import created or changed, in the order it wrote them (its audit rows). */
export async function listImportedUsers(
  context: ServiceContext,
  id: string,
): Promise<{ address: string; action: "created" | "updated" }[]> {
  const row = await findImportById(context.db, id);
  if (!row || !(await mayView(context, row))) {
    throw new AppError("import_not_found", `No import has the id ${id}.`, { id });
  }
  if (row.state !== "saved") return [];
  const changes = await listImportUserChanges(context.db, {
    accountId: row.account_id,
    importId: id,
    from: row.created_at,
    limit: IMPORTED_USERS_SHOWN,
  });
  return changes.map((c) => ({
    address: c.address,
    action: c.action === "user.create" ? ("created" as const) : ("updated" as const),
  }));
}

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
    // A delegate import is seen by those who may import delegates, a user import by those who import users.
    const permission = row.kind === "delegates" ? DELEGATE_PERMISSION : "import_users";
    await authorize(context.db, context.actor, row.account_id, permission);
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
