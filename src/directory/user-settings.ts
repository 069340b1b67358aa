/**
 * The user's yes/no settings, one row each: the header an import sheet uses, the field of the API and of
 * UserInput, the users table's column, and whether the setting is security-relevant (it decides who can sign
 * in, or how). Every door names a setting through this table, never by a list of its own.
 */
export type UserSettingKey = "changepassword" | "passwordneverexpire" | "accountlockedout" | "pop" | "submit";

export type UserSettingField = "forceChangePassword" | "passwordNeverExpires" | "locked" | "pop" | "submit";

export type UserSettingColumn =
  "force_change_password" | "password_never_expires" | "locked" | "pop" | "submit";

export interface UserSetting {
  /** The import sheet's header (exact, lower case). */
  readonly header: UserSettingKey;
  /** The API's and UserInput's field. */
  readonly field: UserSettingField;
  /** The users table's column (0/1). */
  readonly column: UserSettingColumn;
  readonly securityRelevant: boolean;
}

export const USER_SETTINGS: readonly UserSetting[] = [
  {
    header: "changepassword",
    field: "forceChangePassword",
    column: "force_change_password",
    securityRelevant: true,
  },
  {
    header: "passwordneverexpire",
    field: "passwordNeverExpires",
    column: "password_never_expires",
    securityRelevant: true,
  },
  { header: "accountlockedout", field: "locked", column: "locked", securityRelevant: true },
  // Which mail services the user may sign in to; granting one opens no door an administrator guards.
  { header: "pop", field: "pop", column: "pop", securityRelevant: false },
  { header: "submit", field: "submit", column: "submit", securityRelevant: false },
];

export const USER_SETTING_KEYS: readonly UserSettingKey[] = USER_SETTINGS.map((s) => s.header);

const BY_HEADER = new Map(USER_SETTINGS.map((s) => [s.header, s]));

export function userSetting(header: UserSettingKey): UserSetting {
  const setting = BY_HEADER.get(header);
  if (!setting) throw new Error(`unknown user setting ${header}`);
  return setting;
}

/**
 * Everything of a user a change can touch, named by its sheet header where it has one: what the rulebook
 * checks (checkUserChange) and what an import issue or an API error points at.
 */
export type UserField =
  | UserSettingKey
  | "name"
  | "password"
  | "type"
  | "aliases"
  | "attributes"
  | "groups"
  | "notes"
  | "adminrole"
  | "remoteaccountcode";

/** The password, and the settings that decide who can sign in. */
export function isSecurityRelevant(field: UserField): boolean {
  if (field === "password" || field === "adminrole") return true;
  const setting = BY_HEADER.get(field as UserSettingKey);
  return setting?.securityRelevant ?? false;
}
