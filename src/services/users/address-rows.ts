import type { Address } from "../../directory/address.js";
import type { AddressRow } from "../../store/addresses-repository.js";

/** An addresses row as every door writes one: the address under its unique key, owned by a user. */
export function addressRow(
  address: Pick<Address, "key" | "address">,
  accountId: string,
  userId: string,
  kind: "primary" | "alias",
): AddressRow {
  return { address_key: address.key, account_id: accountId, user_id: userId, address: address.address, kind };
}

/** A user's rows: the primary address, then the aliases. */
export function addressRows(
  accountId: string,
  userId: string,
  primary: Address,
  aliases: readonly Address[],
): AddressRow[] {
  return [
    addressRow(primary, accountId, userId, "primary"),
    ...aliases.map((a) => addressRow(a, accountId, userId, "alias")),
  ];
}
