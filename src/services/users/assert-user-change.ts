import { parseAccountKind } from "../../directory/account.js";
import { parseAttributeName } from "../../directory/attribute-name.js";
import { addressKey } from "../../directory/address.js";
import { isRoleId, type RoleId } from "../../directory/roles.js";
import { checkUserChange, type UserChange } from "../../directory/user-change-rules.js";
import { USER_SETTINGS, type UserField } from "../../directory/user-settings.js";
import { parseUserName } from "../../directory/user.js";
import { AppError } from "../../errors/app-error.js";
import { findAccountById } from "../../store/accounts-repository.js";
import type { Executor } from "../../store/schema.js";
import { findRolesByUserIds } from "../../store/roles-repository.js";
import type { UserRow } from "../../store/users-repository.js";
import type { Authorized } from "../context.js";
import type { UserInput } from "./save-users.js";
import type { UserView } from "./user-view.js";

/** The user as they are before the change: the row and its view (aliases, attributes). */
export interface CurrentUser {
  readonly row: UserRow;
  readonly view: UserView | undefined;
}

const bit = (value: boolean | undefined, current: number): boolean =>
  value !== undefined && (value ? 1 : 0) !== current;

/** What `input` really changes of the user (every given field for a new user), in the rulebook's terms. */
export function describeUserChange(
  input: UserInput,
  current: CurrentUser | undefined,
  passwordGiven: boolean,
  knownAttributeKeys: ReadonlySet<string>,
  grantRoles: readonly RoleId[] = [],
): UserChange {
  const fields: UserField[] = [];
  const row = current?.row;
  if (input.name !== undefined && (!row || parseUserName(input.name) !== row.name)) fields.push("name");
  if (passwordGiven) fields.push("password");
  if (input.type !== undefined && input.type !== row?.type) fields.push("type");
  for (const setting of USER_SETTINGS) {
    if (bit(input[setting.field], row?.[setting.column] ?? 0)) fields.push(setting.header);
  }
  let aliasCount: number | undefined;
  if (input.aliases !== undefined) {
    const now = new Set((current?.view?.aliases ?? []).map(addressKey));
    const next = new Set(input.aliases.map(addressKey));
    aliasCount = next.size;
    if (next.size !== now.size || [...next].some((k) => !now.has(k))) fields.push("aliases");
  }
  const attributes: { name: string; value: string }[] = [];
  const newAttributeNames: string[] = [];
  if (input.attributes !== undefined) {
    const before = new Map(
      Object.entries(current?.view?.attributes ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    for (const [rawName, rawValue] of Object.entries(input.attributes)) {
      const name = parseAttributeName(rawName);
      const value = rawValue.trim();
      if ((before.get(name.key) ?? "") === value) continue;
      attributes.push({ name: name.name, value });
      if (value !== "" && !knownAttributeKeys.has(name.key)) newAttributeNames.push(name.name);
    }
    if (attributes.length > 0) fields.push("attributes");
  }
  if ((input.notes ?? []).length > 0) fields.push("notes");
  if (grantRoles.length > 0) fields.push("adminrole");
  return { fields, grantRoles, aliasCount, attributes, newAttributeNames };
}

/**
 * Asks the rulebook whether the actor may make the change to the user (or create them in the account) and
 * refuses with the first rule broken. `authorize` has already checked the permission in the account.
 */
export async function assertUserChange(
  db: Executor,
  actor: Authorized,
  accountId: string,
  userId: string | undefined,
  change: UserChange,
): Promise<void> {
  const account = await findAccountById(db, accountId);
  if (!account) throw new Error(`account ${accountId} is missing`);
  const roles =
    userId === undefined ? [] : (await findRolesByUserIds(db, [userId])).map((r) => r.role).filter(isRoleId);
  const [violation] = checkUserChange(
    { roles: actor.roles },
    { roles, accountKind: parseAccountKind(account.kind) },
    change,
  );
  if (violation) {
    throw new AppError(violation.code, violation.message, {
      field: violation.field,
      ...(violation.subject === undefined ? {} : { subject: violation.subject }),
    });
  }
}
