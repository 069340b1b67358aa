import type { Address } from "./address.js";
import { uuidV7 } from "./uuid-v7.js";
import type { UserType } from "./user.js";
import { USER_SETTINGS, type UserSetting, type UserSettingColumn } from "./user-settings.js";

/** A users row as every door writes a new user: the same columns as the store's users table. */
export type NewUserRow = {
  readonly id: string;
  readonly account_id: string;
  readonly email: string;
  readonly email_key: string;
  readonly name: string;
  readonly type: UserType;
  readonly password_hash: string | null;
  readonly password_set_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
} & { readonly [column in UserSettingColumn]: number };

export interface NewUser {
  /** Given when the caller needs the id before the row (the import plans rows that point at it). */
  readonly id?: string | undefined;
  readonly accountId: string;
  readonly email: Pick<Address, "address" | "key">;
  readonly name: string;
  readonly type: UserType;
  readonly passwordHash?: string | null | undefined;
  /** Each setting's value as the door names it (a field, a sheet header); undefined takes the default, off. */
  readonly setting?: ((setting: UserSetting) => boolean | undefined) | undefined;
  /** ISO-8601: created, updated and (with a hash) password set. */
  readonly now: string;
}

/**
 * The one way a new user's row is made, by the console, the CLI, the import and sync alike: a time-ordered
 * id, the address's unique key, and every setting of the rulebook's table, off unless the door sets it.
 */
export function newUserRow(user: NewUser): NewUserRow {
  const hash = user.passwordHash ?? null;
  const settings = Object.fromEntries(
    USER_SETTINGS.map((s) => [s.column, user.setting?.(s) === true ? 1 : 0]),
  ) as Record<UserSettingColumn, number>;
  return {
    id: user.id ?? uuidV7(),
    account_id: user.accountId,
    email: user.email.address,
    email_key: user.email.key,
    name: user.name,
    type: user.type,
    password_hash: hash,
    password_set_at: hash === null ? null : user.now,
    ...settings,
    created_at: user.now,
    updated_at: user.now,
  };
}
