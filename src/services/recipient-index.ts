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
import { parseUserType, type UserType } from "../directory/user.js";
import { listAddressTypes } from "../store/addresses-repository.js";
import { listDomainPolicies } from "../store/domains-repository.js";
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

/**
 * Every internal domain and every address, in memory, so a check is two Map look-ups. Triggers bump
 * directory_version in the same transaction as any write to users, addresses, domains or recipient settings;
 * the index reloads when that number moves, so it never serves a directory older than the last commit it saw.
 */
export class RecipientIndex {
  private version = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private domains = new Map<string, DomainPolicy>();
  private types = new Map<string, UserType>();
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
    const [domainRows, addressRows] = await Promise.all([
      listDomainPolicies(this.db),
      listAddressTypes(this.db),
    ]);
    const domains = new Map<string, DomainPolicy>();
    for (const row of domainRows) {
      domains.set(row.name, {
        mode: parseRecipientValidation(row.recipient_validation),
        unknownAction:
          row.unknown_action === null
            ? DEFAULT_UNKNOWN_ACTION
            : parseUnknownRecipientAction(row.unknown_action),
      });
    }
    const types = new Map<string, UserType>();
    for (const row of addressRows) types.set(row.address_key, parseUserType(row.type));
    this.domains = domains;
    this.types = types;
    this.version = version;
  }

  private async ensureFresh(): Promise<void> {
    if (Date.now() - this.checkedAt >= (this.options.maxStalenessMs ?? 0)) await this.refresh();
  }

  /** The verdict from memory, without any I/O; undefined for text that is not an address. */
  verdictOfLoaded(address: string): RecipientVerdict | undefined {
    const parsed = tryParseAddress(address);
    if (!parsed) return undefined;
    return decideRecipient(this.domains.get(parsed.domain), this.types.get(parsed.key));
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
        ? decideRecipient(this.domains.get(parsed.domain), this.types.get(parsed.key))
        : decideRecipient(undefined, undefined);
    return { address: parsed.address, verdict: verdict.verdict, smtpCode: verdict.smtpCode };
  }
}
