import { parseAddress, type Address } from "../../directory/address.js";
import { parseAttributeName } from "../../directory/attribute-name.js";
import { parseGroupPath } from "../../directory/group-path.js";
import { parseNoteText } from "../../directory/note.js";
import { assertPasswordAcceptable, type PasswordPolicy } from "../../directory/password-policy.js";
import { newUserRow } from "../../directory/new-user-row.js";
import { parseUserName, type UserType } from "../../directory/user.js";
import { AppError } from "../../errors/app-error.js";
import { findDomainByName } from "../../store/domains-repository.js";
import type { Executor } from "../../store/schema.js";
import { deleteAliases, findAddressesByKeys, insertAddresses } from "../../store/addresses-repository.js";
import {
  deleteAttributeValue,
  findAttributeDefinitions,
  insertAttributeDefinition,
  upsertAttributeValue,
  type AttributeDefinitionRow,
} from "../../store/attributes-repository.js";
import { insertNote } from "../../store/notes-repository.js";
import { findUsersByIds, insertUser, updateUser, type UserRow } from "../../store/users-repository.js";
import { insertGroupMembers } from "../../store/groups-repository.js";
import { resolveAccountIfNamed } from "../account-lookup.js";
import { addressRow } from "./address-rows.js";
import { assertUserChange, describeUserChange } from "./assert-user-change.js";
import { authorize, newId, writeAudit, type Authorized, type ServiceContext, type Tx } from "../context.js";
import { auditCreatedGroups, ensureGroupPath } from "../groups-service.js";
import { loadPasswordPolicy } from "../password-policy-service.js";
import { assertNotReused, recordPassword } from "./password-history.js";
import { loadUserViews, type UserView } from "./user-view.js";

/**
 * One user to create or update, as the console, the API and the CLI describe it. Fields left undefined
 * are left as they are on update (and take their defaults on create).
 */
export interface UserInput {
  email: string;
  name?: string | undefined;
  type?: UserType | undefined;
  /** Plain text: checked against the policy, hashed, then forgotten. */
  password?: string | undefined;
  forceChangePassword?: boolean | undefined;
  passwordNeverExpires?: boolean | undefined;
  locked?: boolean | undefined;
  pop?: boolean | undefined;
  submit?: boolean | undefined;
  /** Replaces the user's aliases. */
  aliases?: readonly string[] | undefined;
  /** Sets these attributes; an empty value removes one. Others are kept. */
  attributes?: Readonly<Record<string, string>> | undefined;
  /** Adds the user to these groups (creating missing paths); existing memberships are kept. */
  groups?: readonly string[] | undefined;
  /** Adds these notes. */
  notes?: readonly string[] | undefined;
}

export interface SaveUsersRequest {
  /** Restrict the change to this account: every address must be in one of its internal domains. */
  account?: string | undefined;
  users: readonly UserInput[];
  /** Refuse an address that already exists instead of updating it (`users add`). */
  createOnly?: boolean | undefined;
}

export interface SaveUsersResult {
  created: string[];
  updated: string[];
}

/** Finds the account that owns the address's domain, or refuses with `domain_not_internal`. */
async function findDomainAccount(
  db: Executor,
  address: Address,
  accountId: string | undefined,
): Promise<string> {
  const domain = await findDomainByName(db, address.domain);
  if (!domain || (accountId !== undefined && domain.account_id !== accountId)) {
    throw new AppError("domain_not_internal", `${address.domain} is not an internal domain of the account.`, {
      address: address.address,
      domain: address.domain,
    });
  }
  return domain.account_id;
}

/** Checks every password against its account's policy and hashes it, before any transaction opens. */
async function hashPasswords(
  context: ServiceContext,
  inputs: readonly { input: UserInput; address: Address }[],
  accountId: string | undefined,
): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const policies = new Map<string, PasswordPolicy>();
  for (const { input, address } of inputs) {
    if (input.password === undefined) continue;
    const owner = await findDomainAccount(context.db, address, accountId);
    let policy = policies.get(owner);
    if (!policy) {
      policy = await loadPasswordPolicy(context.db, owner);
      policies.set(owner, policy);
    }
    assertPasswordAcceptable(policy, input.password, context.isCommonPassword);
    hashes.set(address.key, await context.hasher.hash(input.password));
  }
  return hashes;
}

const flag = (value: boolean | undefined, current: number): number =>
  value === undefined ? current : value ? 1 : 0;

/** A request whose addresses are parsed and passwords checked and hashed, ready for a transaction. */
export interface PreparedUsers {
  readonly request: SaveUsersRequest;
  readonly parsed: readonly { input: UserInput; address: Address }[];
  readonly accountId: string | undefined;
  readonly hashes: ReadonlyMap<string, string>;
}

/**
 * The slow part outside any transaction: parse every address and hash every password (argon2id takes tens
 * of milliseconds each, too long to hold a write lock for).
 */
export async function prepareUsers(
  context: ServiceContext,
  request: SaveUsersRequest,
): Promise<PreparedUsers> {
  const parsed = request.users.map((input) => ({ input, address: parseAddress(input.email) }));
  const seen = new Set<string>();
  for (const { address } of parsed) {
    if (seen.has(address.key)) {
      throw new AppError("address_taken", `${address.address} appears twice in the request.`, {
        address: address.address,
      });
    }
    seen.add(address.key);
  }
  const requested = await resolveAccountIfNamed(context.db, context.actor, request.account);
  const hashes = await hashPasswords(context, parsed, requested?.id);
  return { request, parsed, accountId: requested?.id, hashes };
}

/**
 * Creates or updates many users in one transaction: all of them or none. The console, the API and the CLI
 * come through here; the import and sync write in bulk and ask the same rulebook for each row.
 */
export async function saveUsers(
  context: ServiceContext,
  request: SaveUsersRequest,
): Promise<SaveUsersResult> {
  const prepared = await prepareUsers(context, request);
  return context.db.transaction().execute((tx) => saveUsersWithin(tx, context, prepared));
}

/** saveUsers inside a transaction the caller owns (init creates an account and its first user at once). */
export async function saveUsersWithin(
  tx: Tx,
  context: ServiceContext,
  prepared: PreparedUsers,
): Promise<SaveUsersResult> {
  const { request, parsed, hashes } = prepared;
  const requestedId = prepared.accountId;
  const result: SaveUsersResult = { created: [], updated: [] };
  const actors = new Map<string, Authorized>();
  const definitions = new Map<string, Map<string, AttributeDefinitionRow>>();
  const attributeDefinitionsOf = async (accountId: string): Promise<Map<string, AttributeDefinitionRow>> => {
    let accountDefinitions = definitions.get(accountId);
    if (!accountDefinitions) {
      accountDefinitions = new Map(
        (await findAttributeDefinitions(tx, accountId)).map((d) => [d.name_key, d]),
      );
      definitions.set(accountId, accountDefinitions);
    }
    return accountDefinitions;
  };
  for (const { input, address } of parsed) {
    const accountId = await findDomainAccount(tx, address, requestedId);
    const permission = input.type === "imported" ? "import_users" : "manage_users";
    const actorKey = `${accountId}:${permission}`;
    let actor = actors.get(actorKey);
    if (!actor) {
      actor = await authorize(tx, context.actor, accountId, permission);
      actors.set(actorKey, actor);
    }
    const [existingAddress] = await findAddressesByKeys(tx, [address.key]);
    if (existingAddress && (existingAddress.kind !== "primary" || request.createOnly === true)) {
      throw new AppError("address_taken", `${address.address} is already in use.`, {
        address: address.address,
      });
    }
    const now = context.now().toISOString();
    let user: UserRow;
    let before: UserView | undefined;
    if (existingAddress) {
      const [row] = await findUsersByIds(tx, [existingAddress.user_id]);
      if (!row) throw new Error(`address ${address.key} points at a missing user`);
      user = row;
      before = (await loadUserViews(tx, [user.id])).get(user.id);
      const hash = hashes.get(address.key);
      const known = await attributeDefinitionsOf(accountId);
      await assertUserChange(
        tx,
        actor,
        accountId,
        user.id,
        describeUserChange(input, { row: user, view: before }, hash !== undefined, new Set(known.keys())),
      );
      if (hash !== undefined) await assertNotReused(tx, context, user, input.password ?? "");
      await updateUser(tx, user.id, {
        name: input.name === undefined ? user.name : parseUserName(input.name),
        type: input.type ?? user.type,
        password_hash: hash ?? user.password_hash,
        password_set_at: hash === undefined ? user.password_set_at : now,
        force_change_password: flag(input.forceChangePassword, user.force_change_password),
        password_never_expires: flag(input.passwordNeverExpires, user.password_never_expires),
        locked: flag(input.locked, user.locked),
        pop: flag(input.pop, user.pop),
        submit: flag(input.submit, user.submit),
        updated_at: now,
      });
      if (hash !== undefined) await recordPassword(tx, user, hash, now);
      result.updated.push(user.email);
    } else {
      if (input.name === undefined) {
        throw new AppError("user_name_invalid", `A new user needs a name (${address.address}).`, {
          address: address.address,
        });
      }
      const hash = hashes.get(address.key) ?? null;
      const known = await attributeDefinitionsOf(accountId);
      await assertUserChange(
        tx,
        actor,
        accountId,
        undefined,
        describeUserChange(input, undefined, hash !== null, new Set(known.keys())),
      );
      user = newUserRow({
        accountId,
        email: address,
        name: parseUserName(input.name),
        type: input.type ?? "manual",
        passwordHash: hash,
        setting: (s) => input[s.field],
        now,
      });
      await insertUser(tx, user);
      await insertAddresses(tx, [addressRow(address, accountId, user.id, "primary")]);
      if (hash !== null) await recordPassword(tx, user, hash, now);
      result.created.push(user.email);
    }
    if (input.aliases !== undefined) await replaceAliases(tx, user, input.aliases);
    if (input.attributes !== undefined) {
      await writeAttributes(tx, user, input.attributes, await attributeDefinitionsOf(accountId));
    }
    for (const path of input.groups ?? []) {
      const { group, created } = await ensureGroupPath(tx, accountId, parseGroupPath(path));
      await auditCreatedGroups(tx, context, actor, accountId, created);
      await insertGroupMembers(tx, [{ account_id: accountId, group_id: group.id, user_id: user.id }]);
    }
    for (const text of input.notes ?? []) {
      await insertNote(tx, {
        id: newId(),
        account_id: accountId,
        user_id: user.id,
        address: user.email,
        text: parseNoteText(text),
        author: actor.name,
        created_at: now,
      });
    }
    const after = (await loadUserViews(tx, [user.id])).get(user.id);
    await writeAudit(tx, context, actor, [
      {
        accountId,
        action: before ? "user.update" : "user.create",
        address: user.email,
        before,
        // Never the password: only that one was set.
        after: hashes.has(address.key) ? { ...after, passwordChanged: true } : after,
      },
    ]);
  }
  return result;
}

async function replaceAliases(tx: Tx, user: UserRow, aliases: readonly string[]): Promise<void> {
  const parsed = aliases.map((alias) => parseAddress(alias));
  const keys = new Set<string>();
  for (const alias of parsed) {
    await findDomainAccount(tx, alias, user.account_id);
    if (alias.key === user.email_key || keys.has(alias.key)) {
      throw new AppError("address_taken", `${alias.address} is given twice.`, { address: alias.address });
    }
    keys.add(alias.key);
  }
  const taken = (await findAddressesByKeys(tx, [...keys])).filter((a) => a.user_id !== user.id);
  const [first] = taken;
  if (first) {
    throw new AppError("address_taken", `${first.address} is already in use.`, { address: first.address });
  }
  await deleteAliases(tx, user.id);
  await insertAddresses(
    tx,
    parsed.map((alias) => addressRow(alias, user.account_id, user.id, "alias")),
  );
}

async function writeAttributes(
  tx: Tx,
  user: UserRow,
  attributes: Readonly<Record<string, string>>,
  definitions: Map<string, AttributeDefinitionRow>,
): Promise<void> {
  for (const [rawName, value] of Object.entries(attributes)) {
    const name = parseAttributeName(rawName);
    let definition = definitions.get(name.key);
    if (!definition) {
      // Created on first use; later spellings of the same name reuse it.
      definition = { id: newId(), account_id: user.account_id, name: name.name, name_key: name.key };
      await insertAttributeDefinition(tx, definition);
      definitions.set(name.key, definition);
    }
    if (value.trim() === "") await deleteAttributeValue(tx, user.id, definition.id);
    else
      await upsertAttributeValue(tx, {
        account_id: user.account_id,
        user_id: user.id,
        definition_id: definition.id,
        value: value.trim(),
      });
  }
}
