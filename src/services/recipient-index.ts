import type { Kysely } from "kysely";
import { parseRecipientValidation } from "../directory/account.js";
import { parseAddress, tryParseAddress } from "../directory/address.js";
import {
  DEFAULT_UNKNOWN_ACTION,
  decideRecipient,
  parseUnknownRecipientAction,
  type DomainPolicy,
  type RecipientVerdict,
  type Verdict,
} from "../directory/recipient-verdict.js";
import { USER_TYPES, parseUserType, type UserType } from "../directory/user.js";
import { countAddresses, findAddressType, pageAddressTypes } from "../store/addresses-repository.js";
import { findDomainPolicy, listDomainPolicies } from "../store/domains-repository.js";
import { AddressFingerprints } from "./address-fingerprints.js";
import type { Database } from "../store/schema.js";
import { readDirectoryVersion } from "../store/directory-version-repository.js";

/** The answer the CLI and the API print. */
export interface RecipientCheck {
  address: string;
  verdict: Verdict;
  smtpCode: 250 | 451 | 550;
}

export interface RecipientIndexOptions {
  /**
   * How long a loaded copy may be trusted without asking the database whether the directory changed.
   * 0 (the default) asks on every check: one primary-key read of directory_version. A busy listener on a
   * remote PostgreSQL may trade a little staleness for fewer round trips.
   */
  readonly maxStalenessMs?: number;
}

/** Addresses read per query while the index loads: bounded memory whatever the directory's size. */
const LOAD_PAGE = 50_000;

/** A user type as the table's code byte (its place in USER_TYPES, from 1) and back. */
const typeCode = (type: UserType): number => USER_TYPES.indexOf(type) + 1;
const typeOfCode = (code: number): UserType | undefined => (code === 0 ? undefined : USER_TYPES[code - 1]);

function domainPolicyOf(row: { recipient_validation: string; unknown_action: string | null }): DomainPolicy {
  return {
    mode: parseRecipientValidation(row.recipient_validation),
    unknownAction:
      row.unknown_action === null ? DEFAULT_UNKNOWN_ACTION : parseUnknownRecipientAction(row.unknown_action),
  };
}

/**
 * One recipient's verdict read straight from the database: two indexed look-ups, nothing loaded. What
 * `mailroster recipients check` answers with (a process that checks one address should not load millions).
 */
export async function checkRecipientInDatabase(
  db: Kysely<Database>,
  address: string,
): Promise<RecipientCheck> {
  const parsed = parseAddress(address);
  const [domain, type] = await Promise.all([
    findDomainPolicy(db, parsed.domain),
    findAddressType(db, parsed.key),
  ]);
  const verdict = decideRecipient(
    domain === undefined ? undefined : domainPolicyOf(domain),
    type === undefined ? undefined : parseUserType(type),
  );
  return { address: parsed.address, verdict: verdict.verdict, smtpCode: verdict.smtpCode };
}

/**
 * Every internal domain and every address, in memory, so a check is a Map and a hash-table look-up: the
 * addresses as 64-bit fingerprints with a type byte (address-fingerprints.ts, ~19 bytes an address), read a
 * page at a time. Triggers bump
 * directory_version in the same transaction as any write to users, addresses, domains or recipient settings;
 * the index reloads when that number moves, so it never serves a directory older than the last commit it saw.
 */
export class RecipientIndex {
  private version = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private domains = new Map<string, DomainPolicy>();
  private types = new AddressFingerprints(0);
  private pending: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RecipientIndexOptions = {},
  ) {}

  /** Reloads when the directory changed since the last load; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    this.pending ??= this.refreshNow().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refreshNow(): Promise<void> {
    const version = await readDirectoryVersion(this.db);
    this.checkedAt = Date.now();
    if (version === this.version) return;
    // The version is read first: a write landing during the load makes the next check reload again.
    const domains = new Map<string, DomainPolicy>();
    for (const row of await listDomainPolicies(this.db)) domains.set(row.name, domainPolicyOf(row));
    // Sized from a count taken before the pages, with room for an import's worth written meanwhile (those
    // bump the version, so the next check reloads anyway).
    const types = new AddressFingerprints((await countAddresses(this.db)) + 100_000);
    for (let after: string | undefined; ;) {
      const rows = await pageAddressTypes(this.db, after, LOAD_PAGE);
      for (const row of rows) types.add(row.address_key, typeCode(parseUserType(row.type)));
      if (rows.length < LOAD_PAGE) break;
      after = rows.at(-1)?.address_key;
    }
    this.domains = domains;
    this.types = types;
    this.version = version;
  }

  /** What the loaded index holds: addresses, and the bytes of its table (reported by the benchmarks). */
  get footprint(): { addresses: number; bytes: number } {
    return { addresses: this.types.size, bytes: this.types.bytes };
  }

  /** The directory changed (PostgreSQL's NOTIFY, from any server): the next check reloads first. */
  invalidate(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  private async ensureFresh(): Promise<void> {
    if (Date.now() - this.checkedAt >= (this.options.maxStalenessMs ?? 0)) await this.refresh();
  }

  /** The verdict from memory, without any I/O; undefined for text that is not an address. */
  verdictOfLoaded(address: string): RecipientVerdict | undefined {
    const parsed = tryParseAddress(address);
    if (!parsed) return undefined;
    return decideRecipient(this.domains.get(parsed.domain), typeOfCode(this.types.get(parsed.key)));
  }

  /** The SMTP listener's call: a fresh verdict, or undefined when the text is not an address. */
  async verdictOf(address: string): Promise<RecipientVerdict | undefined> {
    await this.ensureFresh();
    return this.verdictOfLoaded(address);
  }

  /**
   * The CLI's and the API's call: refuses text that is not an address with `address_invalid`. With a `scope`
   * (the internal domains the caller may know of), an address in any other domain is answered as one in no
   * internal domain, to the byte: the reply is no oracle of other accounts' users. Without one (the
   * operator), every domain answers.
   */
  async check(address: string, scope?: { readonly domains: ReadonlySet<string> }): Promise<RecipientCheck> {
    const parsed = parseAddress(address);
    await this.ensureFresh();
    const verdict =
      scope === undefined || scope.domains.has(parsed.domain)
        ? decideRecipient(this.domains.get(parsed.domain), typeOfCode(this.types.get(parsed.key)))
        : decideRecipient(undefined, undefined);
    return { address: parsed.address, verdict: verdict.verdict, smtpCode: verdict.smtpCode };
  }
}
