import { z } from "zod";

// Delegate mailbox access as every door shows it, declared once (the pattern of services/view-schemas.ts):
// the services' types are inferred, src/http/delegate-schemas.ts gives them their OpenAPI ids.

/** A pair: the Primary Address may open the Delegate Address's mailbox. */
export const delegatePairViewSchema = z.object({
  /** The user who may open the mailbox. */
  primary: z.string(),
  /** The mailbox they may open. */
  delegate: z.string(),
});
export type DelegatePair = z.infer<typeof delegatePairViewSchema>;

/** A page of primary addresses, and how many in all. */
const addressList = z.object({ items: z.array(z.string()), total: z.int() });

/** A user's delegate access in both directions, each a page of primary addresses with its total. */
export const userDelegatesViewSchema = z.object({
  email: z.string(),
  /** The mailboxes this user may open. */
  mayOpen: addressList,
  /** The users who may open this user's mailbox. */
  openedBy: addressList,
  page: z.int(),
  pageSize: z.int(),
});
export type UserDelegates = z.infer<typeof userDelegatesViewSchema>;
