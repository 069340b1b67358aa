import {
  mayNest,
  parseAccountCode,
  parseAccountKind,
  parseAccountName,
  parseRecipientValidation,
  type AccountKind,
  type RecipientValidation,
} from "../directory/account.js";
import { MAX_ACCOUNT_DEPTH, findRootAccount, lookUpParentsIn } from "../directory/account-tree.js";
import { normalizeDomain, parseAddress } from "../directory/address.js";
import {
  findDomainConflict,
  listParentDomains,
  type DomainClaim,
  type DomainConflict,
} from "../directory/domain-claim.js";
import { DEFAULT_PASSWORD_POLICY, assertPasswordAcceptable } from "../directory/password-policy.js";
import { AppError } from "../errors/app-error.js";
import {
  findAccountByCodeKey,
  insertAccount,
  listAccountAncestry,
  updateAccountKind,
  type AccountRow,
} from "../store/accounts-repository.js";
import { findDomainClaims, insertDomain } from "../store/domains-repository.js";
import { insertRoleAssignment } from "../store/roles-repository.js";
import { findUserByEmailKey } from "../store/users-repository.js";
import { resolveAccountWithinReach } from "./account-lookup.js";
import { authorize, newId, writeAudit, type Authorized, type ServiceContext, type Tx } from "./context.js";
import { getUser } from "./users/find-users.js";
import { saveUsersWithin } from "./users/save-users.js";
import type { UserView } from "./users/user-view.js";

export interface AccountView {
  code: string;
  name: string;
  kind: AccountKind;
  parent: string | null;
}

function mapAccount(row: AccountRow, parentCode: string | null): AccountView {
  return { code: row.code, name: row.name, kind: row.kind as AccountKind, parent: parentCode };
}

async function insertNewAccount(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  request: { name: string; code: string; kind: AccountKind; parent?: AccountRow | undefined },
): Promise<AccountRow> {
  const name = parseAccountName(request.name);
  const code = parseAccountCode(request.code);
  if (await findAccountByCodeKey(tx, code.key)) {
    throw new AppError("account_code_taken", `An account already has the code ${code.code}.`, {
      code: code.code,
    });
  }
  const id = newId();
  const row: AccountRow = {
    id,
    account_id: id,
    code: code.code,
    code_key: code.key,
    name,
    kind: request.kind,
    parent_id: request.parent?.id ?? null,
    created_at: context.now().toISOString(),
  };
  await insertAccount(tx, row);
  await writeAudit(tx, context, actor, [
    { accountId: id, action: "account.create", after: mapAccount(row, request.parent?.code ?? null) },
  ]);
  return row;
}

/** `accounts add`: a top-level account, or a grouping / mail-processing account nested under a parent. */
export async function createAccount(
  context: ServiceContext,
  request: { name: string; code: string; parent?: string | undefined; kind?: string | undefined },
): Promise<AccountView> {
  const kind = request.kind === undefined ? undefined : parseAccountKind(request.kind);
  return context.db.transaction().execute(async (tx) => {
    if (request.parent === undefined) {
      if (kind !== undefined && kind !== "standalone" && kind !== "master") {
        throw new AppError("account_kind_invalid", `A ${kind} account needs a parent account.`, { kind });
      }
      if (context.actor.kind !== "system") {
        throw new AppError("permission_denied", "Only the operator creates top-level accounts.", {});
      }
      const actor = { name: context.actor.name, roles: "all" } as const;
      const row = await insertNewAccount(tx, context, actor, {
        name: request.name,
        code: request.code,
        kind: kind ?? "standalone",
      });
      return mapAccount(row, null);
    }
    const parent = await resolveAccountWithinReach(tx, context.actor, request.parent);
    const actor = await authorize(tx, context.actor, parent.id, "manage_accounts");
    const childKind = kind ?? "grouping";
    const parentKind = parent.kind as AccountKind;
    if (!mayNest(parentKind, childKind)) {
      throw new AppError(
        "account_parent_invalid",
        `A ${parentKind} account cannot hold a ${childKind} account.`,
        {
          parent: parent.code,
          kind: childKind,
        },
      );
    }
    if (parentKind === "standalone") {
      // Nesting an account under a standalone one turns it into a master (Advanced Account Administration).
      await updateAccountKind(tx, parent.id, "master");
      await writeAudit(tx, context, actor, [
        {
          accountId: parent.id,
          action: "account.update",
          before: { kind: "standalone" },
          after: { kind: "master" },
        },
      ]);
    }
    const row = await insertNewAccount(tx, context, actor, {
      name: request.name,
      code: request.code,
      kind: childKind,
      parent,
    });
    return mapAccount(row, parent.code);
  });
}

export interface DomainView {
  domain: string;
  account: string;
  recipientValidation: RecipientValidation;
}

/** The top-most account of the tree `accountId` sits in (undefined: the walk could not reach the top). */
async function findRootOf(tx: Tx, accountId: string): Promise<string | undefined> {
  const chain = await listAccountAncestry(tx, accountId, MAX_ACCOUNT_DEPTH);
  return findRootAccount(lookUpParentsIn(chain), accountId);
}

/** Loads the claims on the name, its parents and its subdomains, and asks directory/domain-claim.ts. */
async function findConflictOf(
  tx: Tx,
  account: AccountRow,
  name: string,
): Promise<DomainConflict | undefined> {
  const rows = await findDomainClaims(tx, name, listParentDomains(name));
  if (rows.length === 0) return undefined;
  // A tree that cannot be walked to its top claims nothing beyond the account itself.
  const root = (await findRootOf(tx, account.id)) ?? account.id;
  const roots = new Map<string, string | undefined>();
  const claims: DomainClaim[] = [];
  for (const row of rows) {
    if (!roots.has(row.account_id)) roots.set(row.account_id, await findRootOf(tx, row.account_id));
    claims.push({ name: row.name, rootAccountId: roots.get(row.account_id) });
  }
  return findDomainConflict(name, root, claims);
}

async function insertNewDomain(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  account: AccountRow,
  text: string,
  mode: RecipientValidation,
): Promise<DomainView> {
  const name = normalizeDomain(text);
  if (name === undefined)
    throw new AppError("domain_invalid", `"${text}" is not a domain name.`, { domain: text });
  switch ((await findConflictOf(tx, account, name))?.kind) {
    case undefined:
      break;
    case "taken":
      throw new AppError("domain_taken", `${name} is already an internal domain.`, { domain: name });
    case "held_elsewhere":
      // Neither the other domain nor its account is named: the refusal is no map of other tenants.
      throw new AppError(
        "domain_held_elsewhere",
        `A parent domain or a subdomain of ${name} belongs to another account tree.`,
        { domain: name },
      );
  }
  await insertDomain(tx, {
    id: newId(),
    account_id: account.id,
    name,
    recipient_validation: mode,
    created_at: context.now().toISOString(),
  });
  const view: DomainView = { domain: name, account: account.code, recipientValidation: mode };
  await writeAudit(tx, context, actor, [{ accountId: account.id, action: "domain.create", after: view }]);
  return view;
}

/** `domains add`. */
export async function addDomain(
  context: ServiceContext,
  request: { domain: string; account?: string | undefined; recipientValidation?: string | undefined },
): Promise<DomainView> {
  const mode = parseRecipientValidation(request.recipientValidation ?? "known-recipients");
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "manage_domains");
    return insertNewDomain(tx, context, actor, account, request.domain, mode);
  });
}

/** `init`: the account, its internal domains and its first Super Administrator, in one transaction. */
export async function initDirectory(
  context: ServiceContext,
  request: {
    account: string;
    code: string;
    domains: readonly string[];
    admin: string;
    adminPassword: string;
    /** The first administrator must choose their own password at first sign-in (`serve` on a new database). */
    forceChangePassword?: boolean | undefined;
  },
): Promise<{ account: AccountView; domains: DomainView[]; admin: UserView }> {
  if (context.actor.kind !== "system") {
    throw new AppError("permission_denied", "Only the operator initialises a directory.", {});
  }
  const system: Authorized = { name: context.actor.name, roles: "all" };
  const admin = parseAddress(request.admin);
  // A new account has the default policy; check and hash before the transaction opens.
  assertPasswordAcceptable(DEFAULT_PASSWORD_POLICY, request.adminPassword, context.isCommonPassword);
  const hash = await context.hasher.hash(request.adminPassword);
  const result = await context.db.transaction().execute(async (tx) => {
    const account = await insertNewAccount(tx, context, system, {
      name: request.account,
      code: request.code,
      kind: "standalone",
    });
    const domains: DomainView[] = [];
    for (const domain of request.domains) {
      domains.push(await insertNewDomain(tx, context, system, account, domain, "known-recipients"));
    }
    const input = {
      email: admin.address,
      name: "Super Administrator",
      type: "manual" as const,
      password: "",
      forceChangePassword: request.forceChangePassword,
    };
    await saveUsersWithin(tx, context, {
      request: { users: [input], createOnly: true },
      parsed: [{ input, address: admin }],
      accountId: account.id,
      hashes: new Map([[admin.key, hash]]),
    });
    const user = await findUserByEmailKey(tx, admin.key);
    if (!user) throw new Error(`the first administrator ${admin.address} was not saved`);
    await insertRoleAssignment(tx, { account_id: account.id, user_id: user.id, role: "super_administrator" });
    await writeAudit(tx, context, system, [
      {
        accountId: account.id,
        action: "role.assign",
        address: admin.address,
        after: { role: "Super Administrator" },
      },
    ]);
    return { account: mapAccount(account, null), domains };
  });
  return { ...result, admin: await getUser(context, admin.address) };
}
