import { parseArgs } from "node:util";
import { createAccount, addDomain, initDirectory } from "../../services/accounts-service.js";
import { listAudit } from "../../services/audit-service.js";
import { createGroup, showGroup } from "../../services/groups-service.js";
import { setPasswordPolicy } from "../../services/password-policy-service.js";
import { assignRole } from "../../services/roles-service.js";
import { createUser, getUser, listUsers } from "../../services/users-service.js";
import { migrateToLatest } from "../../store/migrate.js";
import { openDatabase } from "../../store/open-database.js";
import { EXIT_OK, UsageError, type CliCommand } from "../command.js";
import {
  ACCOUNT_OPTION,
  DB_OPTION,
  JSON_OPTION,
  chooseDatabaseUrl,
  parseCount,
  printJson,
  requireOne,
  withDirectory,
} from "../directory-session.js";

export const initCommand: CliCommand = {
  path: ["init"],
  usage:
    "init --account NAME --code CODE --domain DOMAIN [--domain DOMAIN ...] --admin EMAIL --admin-password PW [--db URL]",
  summary: "Create the database if needed, an account, its internal domains and a Super Administrator.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...DB_OPTION,
        account: { type: "string" },
        code: { type: "string" },
        domain: { type: "string", multiple: true },
        admin: { type: "string" },
        "admin-password": { type: "string" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const { account, code, domain, admin } = values;
    const adminPassword = values["admin-password"];
    if (account === undefined) throw new UsageError("missing --account NAME");
    if (code === undefined) throw new UsageError("missing --code CODE");
    if (domain === undefined || domain.length === 0) throw new UsageError("missing --domain DOMAIN");
    if (admin === undefined) throw new UsageError("missing --admin EMAIL");
    if (adminPassword === undefined) throw new UsageError("missing --admin-password PW");
    const result = await withDirectory(values.db, (context) =>
      initDirectory(context, { account, code, domains: domain, admin, adminPassword }),
    );
    io.stdout(
      `Created account ${result.account.code} (${result.account.name}) with ${result.domains.map((d) => d.domain).join(", ")}; ` +
        `Super Administrator ${result.admin.email}.\n`,
    );
    return EXIT_OK;
  },
};

export const accountsAddCommand: CliCommand = {
  path: ["accounts", "add"],
  usage: "accounts add NAME --code CODE [--parent CODE --kind grouping|mail-processing] [--db URL]",
  summary: "Add an account, or a grouping or mail-processing account under a parent.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...DB_OPTION,
        code: { type: "string" },
        parent: { type: "string" },
        kind: { type: "string" },
      },
    });
    const name = requireOne(positionals, "NAME");
    if (values.code === undefined) throw new UsageError("missing --code CODE");
    const code = values.code;
    const account = await withDirectory(values.db, (context) =>
      createAccount(context, { name, code, parent: values.parent, kind: values.kind }),
    );
    io.stdout(`Created ${account.kind} account ${account.code} (${account.name}).\n`);
    return EXIT_OK;
  },
};

export const domainsAddCommand: CliCommand = {
  path: ["domains", "add"],
  usage:
    "domains add DOMAIN [--account CODE] [--recipient-validation accept-all|known-recipients|directory-users] [--db URL]",
  summary: "Add an internal domain to an account.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, "recipient-validation": { type: "string" } },
    });
    const domain = requireOne(positionals, "DOMAIN");
    const view = await withDirectory(values.db, (context) =>
      addDomain(context, {
        domain,
        account: values.account,
        recipientValidation: values["recipient-validation"],
      }),
    );
    io.stdout(`Added ${view.domain} to ${view.account} (${view.recipientValidation}).\n`);
    return EXIT_OK;
  },
};

export const groupsAddCommand: CliCommand = {
  path: ["groups", "add"],
  usage: "groups add PATH [--account CODE] [--db URL]",
  summary: "Create a profile group and its missing parents.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION },
    });
    const path = requireOne(positionals, "PATH");
    const result = await withDirectory(values.db, (context) =>
      createGroup(context, { path, account: values.account }),
    );
    io.stdout(
      result.created.length > 0 ? `Created ${result.created.join(", ")}.\n` : `${result.path} exists.\n`,
    );
    return EXIT_OK;
  },
};

export const groupsShowCommand: CliCommand = {
  path: ["groups", "show"],
  usage: "groups show PATH [--json] [--account CODE] [--db URL]",
  summary: "Show a profile group and its members.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION },
    });
    const path = requireOne(positionals, "PATH");
    const group = await withDirectory(values.db, (context) =>
      showGroup(context, { path, account: values.account }),
    );
    if (values.json === true) printJson(group, io.stdout);
    else io.stdout(`${group.path}\n${group.members.map((m) => `  ${m}\n`).join("")}`);
    return EXIT_OK;
  },
};

export const usersAddCommand: CliCommand = {
  path: ["users", "add"],
  usage: "users add EMAIL --name NAME [--password PW] [--account CODE] [--db URL]",
  summary: "Add a user by hand.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, name: { type: "string" }, password: { type: "string" } },
    });
    const email = requireOne(positionals, "EMAIL");
    if (values.name === undefined) throw new UsageError("missing --name NAME");
    const name = values.name;
    const user = await withDirectory(values.db, (context) =>
      createUser(context, { email, name, password: values.password, account: values.account }),
    );
    io.stdout(`Added ${user.email} to ${user.account}.\n`);
    return EXIT_OK;
  },
};

export const usersListCommand: CliCommand = {
  path: ["users", "list"],
  usage: "users list [--json] [--account CODE] [--db URL]",
  summary: "List users.",
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION },
    });
    const users = await withDirectory(values.db, (context) =>
      listUsers(context, { account: values.account }),
    );
    if (values.json === true) printJson(users, io.stdout);
    else io.stdout(users.map((u) => `${u.email}\t${u.name}\t${u.type}\t${u.account}\n`).join(""));
    return EXIT_OK;
  },
};

export const usersShowCommand: CliCommand = {
  path: ["users", "show"],
  usage: "users show EMAIL [--json] [--db URL]",
  summary: "Show one user (by primary address or alias).",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...JSON_OPTION },
    });
    const email = requireOne(positionals, "EMAIL");
    const user = await withDirectory(values.db, (context) => getUser(context, email));
    if (values.json === true) printJson(user, io.stdout);
    else
      io.stdout(
        `${user.email} (${user.name}), ${user.type}, account ${user.account}` +
          `${user.roles.length > 0 ? `, roles: ${user.roles.join(", ")}` : ""}\n`,
      );
    return EXIT_OK;
  },
};

export const rolesAssignCommand: CliCommand = {
  path: ["roles", "assign"],
  usage: 'roles assign EMAIL ROLE [--db URL]   (ROLE e.g. "Basic Administrator")',
  summary: "Give a user an administrator role.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: DB_OPTION,
    });
    const [email, role, ...rest] = positionals;
    if (email === undefined || role === undefined) throw new UsageError("needs EMAIL and ROLE");
    if (rest.length > 0)
      throw new UsageError(`unexpected argument "${rest.join(" ")}" (quote a role name with spaces)`);
    const user = await withDirectory(values.db, (context) => assignRole(context, { email, role }));
    io.stdout(`${user.email} now holds: ${user.roles.join(", ")}.\n`);
    return EXIT_OK;
  },
};

export const policySetCommand: CliCommand = {
  path: ["policy", "set"],
  usage:
    "policy set [--min-length N] [--require-upper] [--require-lower] [--require-digit] [--require-symbol] " +
    "[--min-classes N] [--max-age-days N] [--history N] [--lockout-after N] [--lockout-minutes N] " +
    "[--no-require-upper|lower|digit|symbol] [--refuse-common|--no-refuse-common] [--json] [--account CODE] [--db URL]",
  summary: "Change the account's password policy.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...DB_OPTION,
        ...ACCOUNT_OPTION,
        ...JSON_OPTION,
        "min-length": { type: "string" },
        "min-classes": { type: "string" },
        "max-age-days": { type: "string" },
        history: { type: "string" },
        "lockout-after": { type: "string" },
        "lockout-minutes": { type: "string" },
        "require-upper": { type: "boolean" },
        "require-lower": { type: "boolean" },
        "require-digit": { type: "boolean" },
        "require-symbol": { type: "boolean" },
        "refuse-common": { type: "boolean" },
        "no-require-upper": { type: "boolean" },
        "no-require-lower": { type: "boolean" },
        "no-require-digit": { type: "boolean" },
        "no-require-symbol": { type: "boolean" },
        "no-refuse-common": { type: "boolean" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const toggle = (on: boolean | undefined, off: boolean | undefined, name: string): boolean | undefined => {
      if (on === true && off === true)
        throw new UsageError(`--${name} and --no-${name} contradict each other`);
      return on === true ? true : off === true ? false : undefined;
    };
    const changes = {
      minLength: parseCount("--min-length", values["min-length"]),
      minClasses: parseCount("--min-classes", values["min-classes"]),
      maxAgeDays: parseCount("--max-age-days", values["max-age-days"]),
      history: parseCount("--history", values.history),
      lockoutThreshold: parseCount("--lockout-after", values["lockout-after"]),
      lockoutMinutes: parseCount("--lockout-minutes", values["lockout-minutes"]),
      requireUpper: toggle(values["require-upper"], values["no-require-upper"], "require-upper"),
      requireLower: toggle(values["require-lower"], values["no-require-lower"], "require-lower"),
      requireDigit: toggle(values["require-digit"], values["no-require-digit"], "require-digit"),
      requireSymbol: toggle(values["require-symbol"], values["no-require-symbol"], "require-symbol"),
      refuseCommon: toggle(values["refuse-common"], values["no-refuse-common"], "refuse-common"),
    };
    const result = await withDirectory(values.db, (context) =>
      setPasswordPolicy(context, { account: values.account, changes }),
    );
    if (values.json === true) printJson(result, io.stdout);
    else io.stdout(`Password policy of ${result.account} updated.\n`);
    return EXIT_OK;
  },
};

export const auditListCommand: CliCommand = {
  path: ["audit", "list"],
  usage: "audit list [--json] [--account CODE] [--limit N] [--db URL]",
  summary: "List the audit log, oldest first.",
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION, limit: { type: "string" } },
    });
    const limit = parseCount("--limit", values.limit);
    const entries = await withDirectory(values.db, (context) =>
      listAudit(context, { account: values.account, limit }),
    );
    if (values.json === true) printJson(entries, io.stdout);
    else
      io.stdout(
        entries.map((e) => `${e.at}\t${e.actor}\t${e.action}\t${e.account}\t${e.address ?? ""}\n`).join(""),
      );
    return EXIT_OK;
  },
};

export const migrateCommand: CliCommand = {
  path: ["migrate"],
  usage: "migrate [--db URL]",
  summary: "Apply pending database migrations (every command also does this on start).",
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: DB_OPTION });
    const open = await openDatabase(chooseDatabaseUrl(values.db));
    try {
      const applied = await migrateToLatest(open.db);
      io.stdout(applied.length > 0 ? applied.join("\n") + "\n" : "The database is up to date.\n");
    } finally {
      await open.close();
    }
    return EXIT_OK;
  },
};

export const DIRECTORY_COMMANDS: readonly CliCommand[] = [
  initCommand,
  accountsAddCommand,
  domainsAddCommand,
  groupsAddCommand,
  groupsShowCommand,
  usersAddCommand,
  usersListCommand,
  usersShowCommand,
  rolesAssignCommand,
  policySetCommand,
  auditListCommand,
  migrateCommand,
];
