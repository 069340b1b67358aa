import { z } from "zod";
import { PERMISSIONS } from "../directory/roles.js";
import { USER_TYPES } from "../directory/user.js";

// What the services hand to every door, declared once as zod schemas: the services' types are inferred from
// them, the API parses its replies through them (an object schema keeps only the keys it names, so a field a
// service did not mean to expose never leaves), and the OpenAPI document, hence the console's generated types,
// is written from them.

/** A user as the CLI and the API show it. Built field by field: never a serialised row. */
export const userViewSchema = z.object({
  email: z.string(),
  name: z.string(),
  type: z.enum(USER_TYPES),
  account: z.string(),
  forceChangePassword: z.boolean(),
  passwordNeverExpires: z.boolean(),
  locked: z.boolean(),
  pop: z.boolean(),
  submit: z.boolean(),
  hasPassword: z.boolean(),
  aliases: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
  groups: z.array(z.string()),
  roles: z.array(z.string()),
  notes: z.array(z.object({ text: z.string(), by: z.string(), at: z.string() })),
});
export type UserView = z.infer<typeof userViewSchema>;

/** One audit row as shown: who did what to which address, before and after. */
export const auditViewSchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  account: z.string(),
  address: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditView = z.infer<typeof auditViewSchema>;

/** An API token as listed: never its secret. `actsAs` is the administrator whose roles it carries. */
export const apiTokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  actsAs: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenView = z.infer<typeof apiTokenViewSchema>;

/** The signed-in administrator as the console shows them. */
export const meViewSchema = z.object({
  email: z.string(),
  name: z.string(),
  account: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.enum(PERMISSIONS)),
  passwordChange: z.enum(["forced", "expired"]).nullable(),
});
export type MeView = z.infer<typeof meViewSchema>;
