import { listScimActivity } from "../../services/scim/scim-activity.js";
import { ApiRouter } from "../api-router.js";
import { SCIM_PREFIX } from "../scim/scim-router.js";
import { scimActivityPageSchema, scimActivityQuery } from "../scim-schemas.js";
import { requestAccount } from "./request-account.js";

export const scimActivityRoutes = new ApiRouter("/scim", "SCIM").add(
  {
    method: "get",
    path: "/activity",
    summary: "Recent SCIM provisioning requests (changes and refusals), newest first, and the SCIM base URL.",
    access: "signed-in",
    query: scimActivityQuery,
    response: scimActivityPageSchema,
  },
  async ({ c, query, principal, services }) => {
    const page = await listScimActivity(services, {
      account: requestAccount(query, principal),
      before: query.before,
      errorsOnly: query.errorsOnly === "true",
      limit: query.limit,
    });
    return { ...page, baseUrl: `${new URL(c.req.url).origin}${SCIM_PREFIX}` };
  },
);
