import type { AccountKind } from "../directory/account.js";
import type { PasswordPolicy } from "../directory/password-policy.js";
import type { RoleId } from "../directory/roles.js";
import type { FlagKey } from "./map-columns.js";

/** A user as the import needs to know them, loaded in bulk for every address of the file. */
export interface ExistingUser {
  readonly id: string;
  readonly accountId: string;
  readonly email: string;
  readonly name: string;
  readonly type: string;
  readonly flags: Readonly<Record<FlagKey, boolean>>;
  /** By attribute name key. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly roles: readonly RoleId[];
  /**
   * How many aliases the user holds today, which the ten-alias limit counts with the file's new ones. Loaded
   * only for users whose row names aliases (undefined for the others: their rows add none).
   */
  readonly aliasCount: number | undefined;
}

/** Everything about the directory the plan depends on; the service loads it, the plan stays pure. */
export interface DirectoryFacts {
  readonly account: { readonly id: string; readonly code: string; readonly kind: AccountKind };
  /** Internal domains by name, with their account and recipient validation. */
  readonly domains: ReadonlyMap<string, { readonly accountId: string; readonly recipientValidation: string }>;
  /** Accounts nested (at any depth) under the importing account, by code key. */
  readonly nestedAccounts: ReadonlyMap<
    string,
    { readonly id: string; readonly code: string; readonly kind: AccountKind }
  >;
  readonly policies: ReadonlyMap<string, PasswordPolicy>;
  readonly defaultPolicy: PasswordPolicy;
  readonly isCommonPassword: (password: string) => boolean;
  /** The importing administrator's roles; "all" for the operator. */
  readonly actorRoles: readonly RoleId[] | "all";
  /** Owners of every address of the file that exists, by address key. */
  readonly addresses: ReadonlyMap<string, { readonly userId: string; readonly kind: string }>;
  readonly users: ReadonlyMap<string, ExistingUser>;
  /** Attribute definition keys per account id. */
  readonly attributeKeys: ReadonlyMap<string, ReadonlySet<string>>;
  /** The group the users go into, or undefined for Upload Only. */
  readonly group:
    | {
        readonly path: string;
        readonly override: "add" | "overwrite";
        /** Current members (in add mode only those the file names): user id -> primary address. */
        readonly members: ReadonlyMap<string, string>;
      }
    | undefined;
}
