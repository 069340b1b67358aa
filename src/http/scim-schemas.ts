import { z } from "zod";
import { scimActivityViewSchema } from "../services/scim/scim-activity.js";

// The JSON API's view of SCIM (the console and the CLI): recent activity. /scim/v2 itself speaks SCIM's own
// schemas (src/scim/), not these.

export const scimActivityItemSchema = scimActivityViewSchema.meta({ id: "ScimActivity" });

export const scimActivityPageSchema = z
  .object({
    /** Where identity providers are pointed: the tenant URL of Entra, the base URL of Okta. */
    baseUrl: z.string(),
    items: z.array(scimActivityItemSchema),
    /** Pass as `before` for the next (older) page; null on the last. */
    next: z.string().nullable(),
  })
  .meta({ id: "ScimActivityPage" });

export const scimActivityQuery = z.object({
  account: z.string().max(32).optional(),
  before: z.string().max(64).optional(),
  errorsOnly: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
