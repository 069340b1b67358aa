import { z } from "zod";
import {
  delegatePairViewSchema,
  userDelegatesViewSchema,
} from "../services/delegates/delegate-view-schemas.js";
import { importOutcomeSchema, pageOf } from "./schemas.js";

// The shapes of the delegate mailbox access routes (routes/delegates.ts).

export const delegatePairSchema = delegatePairViewSchema.meta({ id: "DelegatePair" });

export const delegatePageSchema = pageOf(delegatePairSchema, "DelegatePage");

export const delegateSummarySchema = z
  .object({ rows: z.int(), add: z.int(), remove: z.int(), unchanged: z.int() })
  .meta({ id: "DelegateSummary" });

/** Exactly the object `mailroster delegates import --json` prints. */
export const delegateImportOutcomeSchema = importOutcomeSchema
  .extend({ summary: delegateSummarySchema })
  .meta({ id: "DelegateImportInformation" });

export const userDelegatesSchema = userDelegatesViewSchema.meta({ id: "UserDelegates" });

export const delegateListQuery = z.object({
  account: z.string().max(32).optional(),
  q: z.string().max(254).optional(),
  primary: z.string().max(254).optional(),
});
