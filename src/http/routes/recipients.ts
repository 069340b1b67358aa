import { Hono } from "hono";
import { z } from "zod";
import type { RecipientIndex } from "../../services/recipient-index.js";

/** The response, parsed on the way out so a reply holds exactly what the API promises. */
export const RecipientCheckResponse = z.strictObject({
  address: z.string(),
  verdict: z.enum(["accept", "defer", "reject"]),
  smtpCode: z.union([z.literal(250), z.literal(451), z.literal(550)]),
});
export type RecipientCheckResponse = z.infer<typeof RecipientCheckResponse>;

/** GET /api/v1/recipients/{address}: the verdict the SMTP listener would give for RCPT TO. */
export function recipientsRoutes(index: RecipientIndex) {
  return new Hono().get("/:address", async (c) => {
    const result = await index.check(c.req.param("address"));
    return c.json(RecipientCheckResponse.parse(result));
  });
}
