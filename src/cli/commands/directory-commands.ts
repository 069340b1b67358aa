import { createAccount, addDomain, initDirectory } from "../../services/accounts-service.js";
import { streamAudit } from "../../services/audit-service.js";
import { createGroup, showGroup } from "../../services/groups-service.js";
import { setPasswordPolicy } from "../../services/password-policy-service.js";
import { assignRole } from "../../services/users/assign-role.js";
import { createUser } from "../../services/users/create-user.js";
import { getUser, streamUsers } from "../../services/users/find-users.js";
import { searchUsers } from "../../services/users/search-users.js";
import { UsageError } from "../command-spec.js";
import { migrateToLatest } from "../../store/migrate.js";
import { openDatabase } from "../../store/open-database.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import { chooseDatabaseUrl, printJson, withDirectory } from "../directory-session.js";
import { writeList } from "../json-stream.js";
import { defineShowCommand, defineStreamedListCommand } from "../read-commands.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION, RECIPIENT_VALIDATION_OPTION } from "../shared-options.js";

export const initCommand = defineCommand(
  {
    path: ["init"],
    summary: "Create the database if needed, an account, its internal domains and a Super Administrator.",
    positionals: [],
    options: {
      account: { type: "string", value: "NAME", required: true, description: "The account's name." },
      code: { type: "string", value: "CODE", required: true, description: "The account's code." },
      domain: {
        type: "string",
        value: "DOMAIN",
        required: true,
        multiple: true,
        description: "An internal domain of the account.",
      },
      admin: {
        type: "string",
        value: "EMAIL",
        required: true,
        description: "The Super Administrator's address.",
      },
      "admin-password": {
        type: "string",
        value: "PW",
        required: true,
        description: "The Super Administrator's password.",
      },
      ...DB_OPTION,
    },
  },
  async ({ options }, io) => {
    const { account, code, domain, admin, db } = options;
    const adminPassword = options["admin-password"];
    const result = await withDirectory(db, (context) =>
      initDirectory(context, { account, code, domains: domain, admin, adminPassword }),
    );
    io.stdout(
      `Created account ${result.account.code} (${result.account.name}) with ${result.domains.map((d) => d.domain).join(", ")}; ` +
        `Super Administrator ${result.admin.email}.\n`,
    );
    return EXIT_OK;
  },
);

export const accountsAddCommand = defineCommand(
  {
    path: ["accounts", "add"],
    summary: "Add an account, or a grouping or mail-processing account under a parent.",
    positionals: [{ name: "NAME", description: "The account's name." }],
    options: {
      code: { type: "string", value: "CODE", required: true, description: "The account's code." },
      parent: { type: "string", value: "CODE", description: "The account it is nested under." },
      // The service checks the kind, so a wrong one is refused with its code (account_kind_invalid).
      kind: {
        type: "string",
        value: "grouping|mail-processing",
        description: "The kind of a nested account.",
      },
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    const { code, parent, kind } = options;
    const account = await withDirectory(options.db, (context) =>
      createAccount(context, { name: positionals.NAME, code, parent, kind }),
    );
    io.stdout(`Created ${account.kind} account ${account.code} (${account.name}).\n`);
    return EXIT_OK;
  },
);

export const domainsAddCommand = defineCommand(
  {
    path: ["domains", "add"],
    summary: "Add an internal domain to an account.",
    positionals: [{ name: "DOMAIN", description: "The domain, e.g. example.com." }],
    options: {
      ...ACCOUNT_OPTION,
      ...RECIPIENT_VALIDATION_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    const view = await withDirectory(options.db, (context) =>
      addDomain(context, {
        domain: positionals.DOMAIN,
        account: options.account,
        recipientValidation: options["recipient-validation"],
      }),
    );
    io.stdout(`Added ${view.domain} to ${view.account} (${view.recipientValidation}).\n`);
    return EXIT_OK;
  },
);

const GROUP_PATH = { name: "PATH", description: "The group's path, e.g. Staff/London." } as const;

export const groupsAddCommand = defineCommand(
  {
    path: ["groups", "add"],
    summary: "Create a profile group and its missing parents.",
    positionals: [GROUP_PATH],
    options: { ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const result = await withDirectory(options.db, (context) =>
      createGroup(context, { path: positionals.PATH, account: options.account }),
    );
    io.stdout(
      result.created.length > 0 ? `Created ${result.created.join(", ")}.\n` : `${result.path} exists.\n`,
    );
    return EXIT_OK;
  },
);

export const groupsShowCommand = defineCommand(
  {
    path: ["groups", "show"],
    summary: "Show a profile group and its members.",
    positionals: [GROUP_PATH],
    options: { ...JSON_OPTION, ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const group = await withDirectory(options.db, (context) =>
      showGroup(context, { path: positionals.PATH, account: options.account }),
    );
    if (options.json) printJson(group, io.stdout);
    else io.stdout(`${group.path}\n${group.members.map((m) => `  ${m}\n`).join("")}`);
    return EXIT_OK;
  },
);

export const usersAddCommand = defineCommand(
  {
    path: ["users", "add"],
    summary: "Add a user by hand.",
    positionals: [{ name: "EMAIL", description: "The user's primary address." }],
    options: {
      name: { type: "string", value: "NAME", required: true, description: "The user's display name." },
      password: { type: "string", value: "PW", description: "A password, checked against the policy." },
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    const user = await withDirectory(options.db, (context) =>
      createUser(context, {
        email: positionals.EMAIL,
        name: options.name,
        password: options.password,
        account: options.account,
      }),
    );
    io.stdout(`Added ${user.email} to ${user.account}.\n`);
    return EXIT_OK;
  },
);

export const usersListCommand = defineStreamedListCommand(
  { path: ["users", "list"], summary: "List users, by primary address (streamed: any number of users)." },
  streamUsers,
  (u) => `${u.email}\t${u.name}\t${u.type}\t${u.account}\n`,
);

export const usersSearchCommand = defineCommand(
  {
    path: ["users", "search"],
    summary:
      "Search users as the console does: any part of an address, alias or name (indexed; exact matches first), filters, one page at a time (--cursor for the next).",
    positionals: [{ name: "TEXT", description: 'The text to find ("" for none: filters alone).' }],
    options: {
      field: {
        type: "string",
        value: "FIELD",
        choices: ["any", "address", "alias", "name", "attribute"],
        description:
          "Where the text is looked for (attribute: in --attribute's values, a scan). Default: any.",
      },
      attribute: {
        type: "string",
        value: "NAME",
        description: "With --value: users whose attribute is exactly VALUE.",
      },
      value: {
        type: "string",
        value: "VALUE",
        description: "The attribute's exact value (with --attribute).",
      },
      type: {
        type: "string",
        value: "TYPE",
        description: "Only users of this type (imported, directory, ...).",
      },
      status: {
        type: "string",
        value: "STATUS",
        choices: ["active", "locked"],
        description: "Only active or locked users.",
      },
      group: {
        type: "string",
        value: "PATH",
        description: "Only members of this group or a group under it.",
      },
      sort: {
        type: "string",
        value: "ORDER",
        choices: ["address", "name", "type", "updated"],
        description: "The order (default: address, numbers in numeric order).",
      },
      limit: { type: "count", default: 50, description: "Users a page, 1 to 1000." },
      cursor: {
        type: "string",
        value: "CURSOR",
        description: "The page after (nextCursor of the last page).",
      },
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    if (options.limit < 1 || options.limit > 1000) throw new UsageError("--limit needs 1 to 1000");
    if (options.value !== undefined && options.attribute === undefined) {
      throw new UsageError("--value needs --attribute");
    }
    const page = await withDirectory(options.db, (context) =>
      searchUsers(context, {
        account: options.account,
        text: positionals.TEXT,
        field: options.field,
        attribute: options.attribute,
        attributeValue: options.value,
        type: options.type,
        status: options.status,
        group: options.group,
        sort: options.sort,
        cursor: options.cursor,
        limit: options.limit,
      }),
    );
    if (options.json) {
      printJson(page, io.stdout);
      return EXIT_OK;
    }
    for (const u of page.items) io.stdout(`${u.email}\t${u.name}\t${u.type}\t${u.account}\n`);
    const total = `${page.total.toLocaleString("en-US")}${page.totalCapped ? "+" : ""}`;
    io.stdout(
      `${page.items.length} shown of ${total}${page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : ""}\n`,
    );
    return EXIT_OK;
  },
);

export const usersShowCommand = defineShowCommand(
  {
    path: ["users", "show"],
    summary: "Show one user (by primary address or alias).",
    positional: { name: "EMAIL", description: "The user's primary address or an alias." },
  },
  getUser,
  (user) =>
    `${user.email} (${user.name}), ${user.type}, account ${user.account}` +
    `${user.roles.length > 0 ? `, roles: ${user.roles.join(", ")}` : ""}\n`,
);

export const rolesAssignCommand = defineCommand(
  {
    path: ["roles", "assign"],
    summary: "Give a user an administrator role.",
    positionals: [
      { name: "EMAIL", description: "The user's address." },
      {
        name: "ROLE",
        description: 'The role\'s name or short name, any case: "Basic Administrator" (quoted) or Basic.',
      },
    ],
    options: DB_OPTION,
    extraArgumentHint: "quote a role name with spaces",
  },
  async ({ positionals, options }, io) => {
    const { EMAIL: email, ROLE: role } = positionals;
    const user = await withDirectory(options.db, (context) => assignRole(context, { email, role }));
    io.stdout(`${user.email} now holds: ${user.roles.join(", ")}.\n`);
    return EXIT_OK;
  },
);

/** A rule of the policy that is on or off: `--require-upper` turns it on, `--no-require-upper` off. */
const toggle = (description: string) => ({ type: "boolean", negatable: true, description }) as const;
const count = (description: string) => ({ type: "count", description }) as const;

export const policySetCommand = defineCommand(
  {
    path: ["policy", "set"],
    summary: "Change the account's password policy.",
    positionals: [],
    options: {
      "min-length": count("The shortest password accepted."),
      "require-upper": toggle("Require an upper-case letter."),
      "require-lower": toggle("Require a lower-case letter."),
      "require-digit": toggle("Require a digit."),
      "require-symbol": toggle("Require a symbol."),
      "min-classes": count("How many of the four character classes a password needs."),
      "max-age-days": count("Days before a password must change (0: never)."),
      history: count("How many earlier passwords may not be used again."),
      "lockout-after": count("Consecutive failed sign-ins that lock a user (0: never)."),
      "lockout-minutes": count("How long a lockout lasts."),
      "refuse-common": toggle("Refuse passwords from the list of common passwords."),
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ options }, io) => {
    const changes = {
      minLength: options["min-length"],
      minClasses: options["min-classes"],
      maxAgeDays: options["max-age-days"],
      history: options.history,
      lockoutThreshold: options["lockout-after"],
      lockoutMinutes: options["lockout-minutes"],
      requireUpper: options["require-upper"],
      requireLower: options["require-lower"],
      requireDigit: options["require-digit"],
      requireSymbol: options["require-symbol"],
      refuseCommon: options["refuse-common"],
    };
    const result = await withDirectory(options.db, (context) =>
      setPasswordPolicy(context, { account: options.account, changes }),
    );
    if (options.json) printJson(result, io.stdout);
    else io.stdout(`Password policy of ${result.account} updated.\n`);
    return EXIT_OK;
  },
);

export const auditListCommand = defineCommand(
  {
    path: ["audit", "list"],
    summary: "List the audit log, oldest first.",
    positionals: [],
    options: {
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      limit: count("List at most this many entries."),
      ...DB_OPTION,
    },
  },
  async ({ options }, io) => {
    // Streamed as read, a page at a time: an audit log of millions of rows never sits in memory.
    await withDirectory(options.db, (context) =>
      writeList(io, streamAudit(context, { account: options.account, limit: options.limit }), {
        json: options.json,
        line: (e) => `${e.at}\t${e.actor}\t${e.action}\t${e.account}\t${e.address ?? ""}\n`,
      }),
    );
    return EXIT_OK;
  },
);

export const migrateCommand = defineCommand(
  {
    path: ["migrate"],
    summary: "Apply pending database migrations (every command also does this on start).",
    positionals: [],
    options: DB_OPTION,
  },
  async ({ options }, io) => {
    const open = await openDatabase(chooseDatabaseUrl(options.db));
    try {
      const applied = await migrateToLatest(open.db);
      io.stdout(applied.length > 0 ? applied.join("\n") + "\n" : "The database is up to date.\n");
    } finally {
      await open.close();
    }
    return EXIT_OK;
  },
);

export const DIRECTORY_COMMANDS: readonly CliCommand[] = [
  initCommand,
  accountsAddCommand,
  domainsAddCommand,
  groupsAddCommand,
  groupsShowCommand,
  usersAddCommand,
  usersListCommand,
  usersSearchCommand,
  usersShowCommand,
  rolesAssignCommand,
  policySetCommand,
  auditListCommand,
  migrateCommand,
];
