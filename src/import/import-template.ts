import { ROLES } from "../directory/roles.js";

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

/** The template's second sheet: the names `adminrole` accepts, read from the roles table. */
export const ADMIN_ROLES_SHEET = "Admin roles";

/** The names `adminrole` accepts, as rows: a header, then each role's full and short name. */
export function adminRoleRows(): string[][] {
  return [
    ["adminrole: full name", "or short name", "accounts"],
    ...ROLES.map((role) => [role.name, role.shortName, role.masterOnly ? "master only" : "any"]),
    [],
    [
      "Any case; spaces around the name are ignored. Only a Master Administrator importing into a master " +
        "account may fill in an adminrole column.",
    ],
  ];
}

/** The template's third sheet: each column, whether it is required, what it accepts, and an example row. */
export const INSTRUCTIONS_SHEET = "Instructions";

const YES_NO = "yes/no: true/false, yes/no, y/n or 1/0 (any case); empty keeps the user's current setting";

/** Each column of the template: required or not, accepted values, an example. */
const COLUMN_HELP: Readonly<Record<string, readonly [required: string, accepts: string, example: string]>> = {
  email: [
    "REQUIRED",
    "The user's address, in an internal domain of the account; one row per user",
    "jane.doe@example.com",
  ],
  name: [
    "REQUIRED for a new user",
    "The display name, up to 200 characters; empty keeps an existing user's name",
    "Jane Doe",
  ],
  password: [
    "optional",
    "Must meet the account's password policy; empty keeps the current password",
    "Tidal-Lantern-42",
  ],
  changepassword: ["optional", `Must change the password at the next sign-in. ${YES_NO}`, "yes"],
  passwordneverexpire: ["optional", `The password never expires. ${YES_NO}`, "no"],
  accountlockedout: ["optional", `The account is locked. ${YES_NO}`, "no"],
  pop: ["optional", `May read mail over POP3. ${YES_NO}`, "yes"],
  submit: ["optional", `May send mail (SMTP submission). ${YES_NO}`, "yes"],
  alias1: [
    "optional",
    "Another address of the user, in an internal domain; alias1 to alias10",
    "jane@example.com",
  ],
  alias2: ["optional", "As alias1", ""],
  alias3: ["optional", "As alias1", ""],
};

/**
 * The Instructions sheet. The Users sheet stays a bare header so that it imports as soon as a row is added
 * (an example row there would be imported too): the example row and the required markers live here.
 */
export function instructionRows(): string[][] {
  const headers = [...IMPORT_TEMPLATE_HEADERS];
  return [
    ["How to fill in the Users sheet"],
    [
      "Keep the header row as it is: email first, name directly right of it, password directly right of name.",
    ],
    ["Add one row per user below the header. An empty cell changes nothing for an existing user."],
    ["Any other header becomes a custom attribute (plain text): the preview lists it before it is created."],
    [
      "Preview the file first: it lists every error at its cell. A results file adds Status and Error columns, which an upload ignores.",
    ],
    [],
    ["Column", "Required", "Accepted values", "Example"],
    ...headers.map((h) => {
      const [required, accepts, example] = COLUMN_HELP[h] ?? ["optional", "", ""];
      return [h, required, accepts, example];
    }),
    [
      "remoteaccountcode",
      "optional",
      "Master and Migration Administrators only: the code of a nested account",
      "",
    ],
    [
      "adminrole",
      "optional",
      `Master Administrators only: a role's name, see the "${ADMIN_ROLES_SHEET}" sheet`,
      "",
    ],
    [],
    ["An example row, as it would stand on the Users sheet:"],
    headers,
    headers.map((h) => COLUMN_HELP[h]?.[2] ?? ""),
  ];
}

/**
 * The template's sheets: the headers at A1 of the first (the sheet the import reads: the first with
 * `email`), the accepted role names on the second, the instructions and an example row on the third.
 */
export function importTemplateSheets(): { name: string; rows: string[][] }[] {
  return [
    { name: IMPORT_TEMPLATE_SHEET, rows: [[...IMPORT_TEMPLATE_HEADERS]] },
    { name: ADMIN_ROLES_SHEET, rows: adminRoleRows() },
    { name: INSTRUCTIONS_SHEET, rows: instructionRows() },
  ];
}
