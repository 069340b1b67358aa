import { z } from "zod";
import { MAX_ATTRIBUTE_NAME_LENGTH, MAX_ATTRIBUTE_VALUE_LENGTH } from "../../directory/attribute-name.js";
import { assignRole } from "../../services/users/assign-role.js";
import { createManualUser } from "../../services/users/create-user.js";
import { showUser } from "../../services/users/find-users.js";
import { searchUsers } from "../../services/users/search-users.js";
import { setUserPassword } from "../../services/users/set-user-password.js";
import { unlockUser } from "../../services/users/unlock-user.js";
import { updateUserDetails } from "../../services/users/update-user.js";
import { listUserAudit } from "../../services/users/user-audit.js";
import { ApiRouter } from "../api-router.js";
import {
  accountQuery,
  auditEntrySchema,
  keysetPageOf,
  keysetQuery,
  noteText,
  pageQuery,
  userSchema,
} from "../schemas.js";
import { requestAccount } from "./request-account.js";

const addressParams = z.object({ address: z.string().min(3).max(254) });

const searchQuery = z.object({
  ...accountQuery,
  ...pageQuery,
  ...keysetQuery,
  q: z.string().max(254).optional(),
  field: z.enum(["any", "address", "alias", "name", "attribute"]).optional(),
  attribute: z.string().max(100).optional(),
  attributeValue: z.string().max(MAX_ATTRIBUTE_VALUE_LENGTH).optional(),
  sort: z.enum(["address", "name", "type", "updated"]).optional(),
  type: z.string().max(40).optional(),
  status: z.enum(["locked", "active"]).optional(),
  group: z.string().max(1000).optional(),
});

const editableFields = {
  name: z.string().max(200).optional(),
  forceChangePassword: z.boolean().optional(),
  passwordNeverExpires: z.boolean().optional(),
  locked: z.boolean().optional(),
  pop: z.boolean().optional(),
  submit: z.boolean().optional(),
  aliases: z.array(z.string().max(254)).max(100).optional(),
  // Units, not characters: twice the rulebook's limit lets every value through to the rulebook, which counts
  // characters and answers attribute_value_too_long, while a body still cannot grow without bound.
  attributes: z
    .record(z.string().max(MAX_ATTRIBUTE_NAME_LENGTH), z.string().max(2 * MAX_ATTRIBUTE_VALUE_LENGTH))
    .optional(),
  groups: z.array(z.string().max(1000)).max(100).optional(),
  notes: z.array(noteText).max(10).optional(),
};

const createBody = z
  .object({
    ...editableFields,
    email: z.string().min(3).max(254),
    name: z.string().min(1).max(200),
    password: z.string().min(1).max(1024).optional(),
  })
  .meta({
    examples: [
      {
        email: "jane.doe@example.com",
        name: "Jane Doe",
        password: "Copper-Kettle-93",
        forceChangePassword: true,
        groups: ["Staff/London"],
      },
    ],
  });

const usersPage = keysetPageOf(userSchema, "UserPage");
const auditPage = keysetPageOf(auditEntrySchema, "AuditPage");

export const userRoutes = new ApiRouter("/users", "Users")
  .add(
    {
      method: "get",
      path: "",
      summary:
        "Search users by address, alias or name (any part, any case, through a trigram index; exact matches first), or with field=attribute by attribute value (a scan); filter by type, status, group or attribute = value (indexed), sort; keyset pages (cursor, limit) or the older page/pageSize.",
      access: "signed-in",
      query: searchQuery,
      response: usersPage,
    },
    ({ query, principal, services }) =>
      searchUsers(services, {
        account: requestAccount(query, principal),
        text: query.q,
        field: query.field,
        attribute: query.attribute,
        attributeValue: query.attributeValue,
        sort: query.sort,
        type: query.type,
        status: query.status,
        group: query.group,
        cursor: query.cursor,
        limit: query.limit,
        page: query.page,
        pageSize: query.pageSize,
      }),
  )
  .add(
    {
      method: "post",
      path: "",
      summary: "Create a manual user.",
      access: "signed-in",
      query: z.object(accountQuery),
      body: createBody,
      response: userSchema,
      status: 201,
    },
    ({ query, body, principal, services }) =>
      createManualUser(services, { ...body, account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "get",
      path: "/{address}",
      summary: "Show a user by their primary address or an alias.",
      access: "signed-in",
      params: addressParams,
      response: userSchema,
    },
    ({ params, services }) => showUser(services, params.address),
  )
  .add(
    {
      method: "patch",
      path: "/{address}",
      summary:
        "Update a user: name, flags, aliases (replaced), attributes (set; empty removes), groups and notes (added).",
      access: "signed-in",
      params: addressParams,
      body: z.object(editableFields),
      response: userSchema,
    },
    ({ params, body, services }) => updateUserDetails(services, params.address, body),
  )
  .add(
    {
      method: "post",
      path: "/{address}/password",
      summary: "Set a user's password; by default they must change it at their next sign-in.",
      access: "signed-in",
      params: addressParams,
      body: z.object({ password: z.string().min(1).max(1024), forceChangePassword: z.boolean().optional() }),
      response: userSchema,
    },
    ({ params, body, services }) => setUserPassword(services, params.address, body),
  )
  .add(
    {
      method: "post",
      path: "/{address}/unlock",
      summary: "Unlock a user locked by an administrator or by repeated failed sign-ins.",
      access: "signed-in",
      params: addressParams,
      response: userSchema,
    },
    ({ params, services }) => unlockUser(services, params.address),
  )
  .add(
    {
      method: "post",
      path: "/{address}/roles",
      summary:
        "Assign an administrator role by its name or short name, any case (Basic Administrator or Basic; GET /meta lists them).",
      access: "signed-in",
      params: addressParams,
      body: z.object({ role: z.string().min(1).max(100) }),
      response: userSchema,
    },
    ({ params, body, services }) => assignRole(services, { email: params.address, role: body.role }),
  )
  .add(
    {
      method: "get",
      path: "/{address}/audit",
      summary: "The user's audit trail, newest first.",
      access: "signed-in",
      params: addressParams,
      query: z.object({ ...pageQuery, ...keysetQuery }),
      response: auditPage,
    },
    ({ params, query, services }) => listUserAudit(services, params.address, query),
  );
