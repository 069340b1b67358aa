import { z } from "zod";
import { AppError } from "../../errors/app-error.js";
import { checkRecipientAs } from "../../services/recipient-settings-service.js";
import { ApiRouter } from "../api-router.js";

/** The response, parsed on the way out so a reply holds exactly what the API promises. */
export const RecipientCheckResponse = z
  .strictObject({
    address: z.string(),
    verdict: z.enum(["accept", "defer", "reject"]),
    smtpCode: z.union([z.literal(250), z.literal(451), z.literal(550)]),
  })
  .meta({ id: "RecipientCheck" });
export type RecipientCheckResponse = z.infer<typeof RecipientCheckResponse>;

/** GET /api/v1/recipients/{address}: the gateway's lookup, the HTTP twin of the listener's RCPT TO answer. */
export const recipientRoutes = new ApiRouter("/recipients", "Recipients").add(
  {
    method: "get",
    path: "/{address}",
    summary: "The verdict the SMTP listener gives for RCPT TO this address (needs manage_domains).",
    access: "signed-in",
    params: z.object({ address: z.string().max(320) }),
    response: RecipientCheckResponse,
  },
  ({ params, principal, services, c }) => {
    const index = c.get("deps").recipients;
    // Only a server that answers RCPT TO (serve) keeps the index this route reads.
    if (!index) throw new AppError("route_not_found", "There is no such endpoint.", {});
    return checkRecipientAs(services, index, { address: params.address, account: principal?.accountCode });
  },
);
