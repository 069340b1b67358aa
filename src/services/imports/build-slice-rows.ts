import { newUserRow } from "../../directory/new-user-row.js";
import type { FlagKey } from "../../import/map-columns.js";
import type { PlannedUser } from "../../import/plan-import.js";
import type { AttributeValueRow } from "../../store/attributes-repository.js";
import type { UserPatch, UserRow } from "../../store/users-repository.js";
import type { AddressRow } from "../../store/addresses-repository.js";
import type { NoteRow } from "../../store/notes-repository.js";
import type { PasswordHistoryRow } from "../../store/password-history-repository.js";
import { addressRow } from "../users/address-rows.js";
import { newId, type AuditEntry } from "../context.js";
import type { ImportRun } from "./import-request.js";

/** What every slice of one save shares. */
export interface SliceContext {
  readonly run: ImportRun;
  /** The group's path, for the audit of users who join it. */
  readonly groupPath: string | undefined;
  /** Password hashes by address key. */
  readonly hashes: ReadonlyMap<string, string>;
  readonly note: string | null;
  /** Users who already hold a note of the same text: they get no second copy. */
  readonly noted: ReadonlySet<string>;
  readonly groupId: string | undefined;
  readonly now: string;
  /** Attribute definition ids by `accountId:nameKey`. */
  readonly definitionIds: ReadonlyMap<string, string>;
}

/** The rows one slice of users writes, table by table. */
export interface SliceRows {
  readonly inserts: UserRow[];
  readonly patches: UserPatch[];
  readonly addresses: AddressRow[];
  /** Values of users created by this import: no stored value can be in the way. */
  readonly newValues: AttributeValueRow[];
  /** Values of existing users: each replaces the stored one. */
  readonly changedValues: AttributeValueRow[];
  readonly roles: { account_id: string; user_id: string; role: string }[];
  readonly history: PasswordHistoryRow[];
  readonly members: { account_id: string; group_id: string; user_id: string }[];
  readonly notes: NoteRow[];
  readonly audit: AuditEntry[];
}

/** Planned users -> the rows to write for them, each table's apart; writes nothing. */
export function buildSliceRows(slice: SliceContext, users: readonly PlannedUser[]): SliceRows {
  const { run, hashes, note, noted, groupId, now, definitionIds } = slice;
  const { actor } = run;
  const rows: SliceRows = {
    inserts: [],
    patches: [],
    addresses: [],
    newValues: [],
    changedValues: [],
    roles: [],
    history: [],
    members: [],
    notes: [],
    audit: [],
  };
  const { inserts, patches, addresses, roles, history, members, notes, audit } = rows;

  for (const planned of users) {
    const { source } = planned;
    const userId = planned.existing?.id ?? newId();
    const email = planned.existing?.email ?? source.email.address;
    const hash = planned.setPassword ? hashes.get(source.email.key) : undefined;
    const flag = (key: FlagKey): number | null => {
      const value = planned.flags.get(key);
      return value === undefined ? null : value ? 1 : 0;
    };
    if (planned.action === "create") {
      inserts.push(
        newUserRow({
          id: userId,
          accountId: planned.accountId,
          email: source.email,
          name: planned.name ?? "",
          type: "imported",
          passwordHash: hash,
          setting: (setting) => planned.flags.get(setting.header),
          now,
        }),
      );
      addresses.push(
        addressRow({ key: source.email.key, address: email }, planned.accountId, userId, "primary"),
      );
    } else if (planned.action === "update") {
      patches.push({
        id: userId,
        name: planned.name ?? null,
        type: planned.becomesImported ? "imported" : null,
        password_hash: hash ?? null,
        password_set_at: hash === undefined ? null : now,
        force_change_password: flag("changepassword"),
        password_never_expires: flag("passwordneverexpire"),
        locked: flag("accountlockedout"),
        pop: flag("pop"),
        submit: flag("submit"),
        updated_at: now,
      });
    }
    for (const alias of planned.aliasesToAdd) {
      addresses.push(addressRow(alias, planned.accountId, userId, "alias"));
    }
    for (const a of planned.attributes) {
      const definitionId = definitionIds.get(`${planned.accountId}:${a.key}`);
      if (definitionId === undefined) throw new Error(`no definition for attribute ${a.key}`);
      (planned.existing ? rows.changedValues : rows.newValues).push({
        account_id: planned.accountId,
        user_id: userId,
        definition_id: definitionId,
        value: a.value,
      });
    }
    if (planned.roleToAssign)
      roles.push({ account_id: planned.accountId, user_id: userId, role: planned.roleToAssign });
    if (hash !== undefined) {
      history.push({
        id: newId(),
        account_id: planned.accountId,
        user_id: userId,
        password_hash: hash,
        set_at: now,
      });
    }
    if (planned.joinsGroup && groupId !== undefined)
      members.push({ account_id: run.account.id, group_id: groupId, user_id: userId });
    const touched = planned.action !== "unchanged" || planned.joinsGroup;
    // "This note is associated with all of them": every row of the file, changed or not.
    if (note !== null && !noted.has(userId)) {
      notes.push({
        id: newId(),
        account_id: planned.accountId,
        user_id: userId,
        address: email,
        text: note,
        author: actor.name,
        created_at: now,
      });
    }
    if (touched) {
      audit.push({
        accountId: planned.accountId,
        action: planned.action === "create" ? "user.create" : "user.update",
        address: email,
        // What changed, never a value of the password: only that one was set.
        after: {
          importId: run.id,
          ...(planned.name !== undefined ? { name: planned.name } : {}),
          ...(planned.becomesImported ? { type: "imported" } : {}),
          ...Object.fromEntries(planned.flags),
          ...(hash !== undefined ? { passwordChanged: true } : {}),
          ...(planned.aliasesToAdd.length > 0
            ? { aliasesAdded: planned.aliasesToAdd.map((a) => a.address) }
            : {}),
          ...(planned.attributes.length > 0
            ? { attributes: Object.fromEntries(planned.attributes.map((a) => [a.name, a.value])) }
            : {}),
          ...(planned.roleToAssign ? { role: planned.roleToAssign } : {}),
          ...(planned.joinsGroup && slice.groupPath !== undefined ? { groupAdded: slice.groupPath } : {}),
        },
      });
    }
  }
  return rows;
}
