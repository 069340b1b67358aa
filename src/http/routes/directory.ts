import { z } from "zod";
import { addDomain } from "../../services/accounts-service.js";
import {
  getPasswordPolicy,
  listAttributes,
  listDomains,
  listPasswordRules,
  listRoles,
} from "../../services/directory-views-service.js";
import { setRecipientValidation } from "../../services/recipient-settings-service.js";
import { setPasswordPolicy } from "../../services/password-policy-service.js";
import { listAccountAudit } from "../../services/users/user-audit.js";
import { PERMISSIONS } from "../../directory/roles.js";
import { ApiRouter } from "../api-router.js";
import {
  accountQuery,
  auditEntrySchema,
  keysetPageOf,
  keysetQuery,
  pageQuery,
  passwordPolicySchema,
} from "../schemas.js";
import { requestAccount } from "./request-account.js";

const recipientValidation = z.enum(["accept-all", "known-recipients", "directory-users"]).meta({
  description:
    "What the SMTP listener accepts for the domain: accept-all, known-recipients (any user or alias of the directory) or directory-users (only users synchronised from a directory).",
});
const domainSchema = z.object({ domain: z.string(), account: z.string(), recipientValidation }).meta({
  id: "Domain",
  examples: [{ domain: "example.com", account: "acme", recipientValidation: "known-recipients" }],
});
const policyReply = z.object({ account: z.string(), policy: passwordPolicySchema });
const accountOnly = z.object(accountQuery);

export const attributeRoutes = new ApiRouter("/attributes", "Attributes").add(
  {
    method: "get",
    path: "",
    summary: "The account's custom attributes and how many users carry each.",
    access: "signed-in",
    query: accountOnly,
    response: z.array(z.object({ name: z.string(), users: z.int() }).meta({ id: "Attribute" })),
  },
  ({ query, principal, services }) => listAttributes(services, { account: requestAccount(query, principal) }),
);

export const domainRoutes = new ApiRouter("/domains", "Domains")
  .add(
    {
      method: "get",
      path: "",
      summary: "The account's internal domains.",
      access: "signed-in",
      query: accountOnly,
      response: z.array(domainSchema),
    },
    ({ query, principal, services }) => listDomains(services, { account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "post",
      path: "",
      summary: "Add an internal domain.",
      access: "signed-in",
      query: accountOnly,
      body: z.object({
        domain: z.string().min(1).max(253),
        recipientValidation: recipientValidation.optional(),
      }),
      response: domainSchema,
      status: 201,
    },
    ({ query, body, principal, services }) =>
      addDomain(services, { ...body, account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "patch",
      path: "/{domain}",
      summary: "Change an internal domain's recipient validation.",
      access: "signed-in",
      params: z.object({ domain: z.string().min(1).max(253) }),
      body: z.object({ recipientValidation }),
      response: domainSchema,
    },
    ({ params, body, services }) => setRecipientValidation(services, { domain: params.domain, ...body }),
  );

export const roleRoutes = new ApiRouter("/roles", "Roles").add(
  {
    method: "get",
    path: "",
    summary: "The built-in administrator roles and their permissions.",
    access: "signed-in",
    response: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          protected: z.boolean(),
          masterOnly: z.boolean(),
          permissions: z.array(z.enum(PERMISSIONS)),
        })
        .meta({ id: "Role" }),
    ),
  },
  () => Promise.resolve(listRoles()),
);

export const policyRoutes = new ApiRouter("/password-policy", "Password policy")
  .add(
    {
      method: "get",
      path: "",
      summary: "Password Complexity and Expiration of the account.",
      access: "signed-in",
      query: accountOnly,
      response: policyReply,
    },
    ({ query, principal, services }) =>
      getPasswordPolicy(services, { account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "patch",
      path: "",
      summary: "Change some fields of the password policy; returns the policy now in force.",
      access: "signed-in",
      query: accountOnly,
      body: passwordPolicySchema.partial(),
      response: policyReply,
    },
    ({ query, body, principal, services }) =>
      setPasswordPolicy(services, { account: requestAccount(query, principal), changes: body }),
  )
  .add(
    {
      method: "get",
      path: "/rules",
      summary:
        "The password rules in force, in words, as shown beside password fields; readable by anyone signed in, also before a forced password change.",
      access: "during-password-change",
      query: accountOnly,
      response: z
        .object({
          account: z.string(),
          rules: z.array(z.object({ code: z.string(), text: z.string() })),
        })
        .meta({
          id: "PasswordRules",
          examples: [
            {
              account: "acme",
              rules: [
                { code: "password_too_short", text: "At least 8 characters" },
                { code: "password_too_common", text: "Not a commonly used password" },
              ],
            },
          ],
        }),
    },
    ({ query, principal, services }) =>
      listPasswordRules(services, { account: requestAccount(query, principal) }),
  );

export const auditRoutes = new ApiRouter("/audit", "Audit log").add(
  {
    method: "get",
    path: "",
    summary: "The account's audit log, newest first; optionally about one address.",
    access: "signed-in",
    query: z.object({
      ...accountQuery,
      ...pageQuery,
      ...keysetQuery,
      address: z.string().max(254).optional(),
    }),
    response: keysetPageOf(auditEntrySchema, "AuditPage"),
  },
  ({ query, principal, services }) =>
    listAccountAudit(services, { ...query, account: requestAccount(query, principal) }),
);
