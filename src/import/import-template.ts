/**
 * The headers of the blank import template, in the order the rules require: `email` (the checkpoint, at
 * A1), `name` directly right of it, `password` directly right of `name`, then the everyday settings and
 * three aliases. `remoteaccountcode` and `adminrole` are left out: only a Master Administrator may use
 * them, and anyone else who filled them in would fail the import.
 */
export const IMPORT_TEMPLATE_HEADERS = [
  "email",
  "name",
  "password",
  "changepassword",
  "passwordneverexpire",
  "accountlockedout",
  "pop",
  "submit",
  "alias1",
  "alias2",
  "alias3",
] as const;

export const IMPORT_TEMPLATE_SHEET = "Users";
