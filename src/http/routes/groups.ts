import { z } from "zod";
import { addGroupMembers, createGroup } from "../../services/groups-service.js";
import { listGroupTree, showGroupMembers } from "../../services/directory-views-service.js";
import { ApiRouter } from "../api-router.js";
import { accountQuery, keysetQuery } from "../schemas.js";
import { requestAccount } from "./request-account.js";

const groupNode = z
  .object({
    path: z.string(),
    name: z.string(),
    parent: z.string().nullable(),
    members: z.int(),
    totalMembers: z.int().meta({ description: "Members of the group and of every group under it." }),
  })
  .meta({ id: "GroupNode" });
const groupMembers = z
  .object({ path: z.string(), members: z.array(z.string()) })
  .meta({ id: "GroupMembers" });
const groupMembersPage = groupMembers
  .extend({
    total: z.int(),
    totalCapped: z.boolean(),
    nextCursor: z.string().nullable(),
    prevCursor: z.string().nullable(),
  })
  .meta({ id: "GroupMembersPage" });
const pathField = z.string().min(1).max(1000);

// A group is addressed by its path, which holds slashes: it travels in the query or body, not the URL path.
export const groupRoutes = new ApiRouter("/groups", "Groups")
  .add(
    {
      method: "get",
      path: "",
      summary:
        "Every profile group of the account, parents before children, with direct member counts and totals with subgroups.",
      access: "signed-in",
      query: z.object(accountQuery),
      response: z.array(groupNode),
    },
    ({ query, principal, services }) =>
      listGroupTree(services, { account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "post",
      path: "",
      summary: "Create a group and its missing parents.",
      access: "signed-in",
      query: z.object(accountQuery),
      body: z.object({ path: pathField }).meta({ examples: [{ path: "Staff/London" }] }),
      response: z
        .object({ path: z.string(), created: z.array(z.string()) })
        .meta({ examples: [{ path: "Staff/London", created: ["Staff", "Staff/London"] }] }),
      status: 201,
    },
    ({ query, body, principal, services }) =>
      createGroup(services, { path: body.path, account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "get",
      path: "/members",
      summary:
        "A page of one group's direct members by address (200 unless `limit` says; `cursor` for the next).",
      access: "signed-in",
      query: z.object({ ...accountQuery, ...keysetQuery, path: pathField }),
      response: groupMembersPage,
    },
    ({ query, principal, services }) =>
      showGroupMembers(services, {
        path: query.path,
        account: requestAccount(query, principal),
        cursor: query.cursor,
        limit: query.limit,
      }),
  )
  .add(
    {
      method: "post",
      path: "/members",
      summary: "Add users (by any of their addresses) to a group, creating the path if needed.",
      access: "signed-in",
      query: z.object(accountQuery),
      body: z.object({ path: pathField, members: z.array(z.string().max(254)).min(1).max(1000) }),
      response: groupMembers,
    },
    ({ query, body, principal, services }) =>
      addGroupMembers(services, { ...body, account: requestAccount(query, principal) }),
  );
