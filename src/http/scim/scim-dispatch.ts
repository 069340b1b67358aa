import { parseFilter } from "../../scim/filter.js";
import { parsePaging } from "../../scim/discovery.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { parseAttributeList, projectResource, type Projection } from "../../scim/project-attributes.js";
import { listResponse } from "../../scim/discovery.js";
import { AppError } from "../../errors/app-error.js";
import { createScimGroup } from "../../services/scim/create-scim-group.js";
import { createScimUser } from "../../services/scim/create-scim-user.js";
import { deleteScimUser } from "../../services/scim/delete-scim-user.js";
import { getScimGroup, listScimGroups } from "../../services/scim/list-scim-groups.js";
import { getScimUser, listScimUsers } from "../../services/scim/list-scim-users.js";
import type { ScimCaller } from "../../services/scim/scim-caller.js";
import { deleteScimGroup, patchScimGroup, replaceScimGroup } from "../../services/scim/update-scim-group.js";
import { patchScimUser, replaceScimUser } from "../../services/scim/update-scim-user.js";
import { isJsonObject } from "../../scim/json-resource.js";

/** What a SCIM operation answers, before it is a Response (the Bulk endpoint nests these). */
export interface ScimResult {
  readonly status: 200 | 201 | 204;
  readonly body?: JsonObject | undefined;
  readonly location?: string | undefined;
}

/** The query (or a SearchRequest's fields) of a list or a read. */
export interface ScimQuery {
  readonly filter?: string | undefined;
  readonly startIndex?: string | number | undefined;
  readonly count?: string | number | undefined;
  readonly attributes?: string | undefined;
  readonly excludedAttributes?: string | undefined;
}

function projectionOf(query: ScimQuery): Projection {
  return {
    attributes: parseAttributeList(query.attributes),
    excludedAttributes: parseAttributeList(query.excludedAttributes),
  };
}

function excludesMembers(projection: Projection): boolean {
  const named = (list: Projection["attributes"]) =>
    list?.some((p) => p.attribute.toLowerCase() === "members") ?? false;
  if (projection.attributes !== undefined) return !named(projection.attributes);
  return named(projection.excludedAttributes);
}

function objectBody(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw new AppError("scim_syntax_invalid", "The body must be a JSON object.", {});
  return body;
}

const created = (resource: JsonObject, projection: Projection): ScimResult => ({
  status: 201,
  body: projectResource(resource, projection),
  location: (resource.meta as { location?: string } | undefined)?.location,
});

export type ResourceKind = "Users" | "Groups";

/** Lists a resource type (GET /Users, GET /Groups, POST /.search). */
export async function listResources(
  caller: ScimCaller,
  kind: ResourceKind,
  query: ScimQuery,
): Promise<ScimResult> {
  const projection = projectionOf(query);
  const filter =
    query.filter === undefined || query.filter.trim() === "" ? undefined : parseFilter(query.filter);
  const paging = parsePaging(query.startIndex, query.count);
  const page =
    kind === "Users"
      ? await listScimUsers(caller, { filter, ...paging })
      : await listScimGroups(caller, { filter, ...paging, withMembers: !excludesMembers(projection) });
  const resources = page.resources.map((r) => projectResource(r, projection));
  return { status: 200, body: listResponse(resources, page.totalResults, page.startIndex) };
}

/** One operation on /Users or /Groups (with or without an id): the routes and Bulk both come through here. */
export async function runResourceOperation(
  caller: ScimCaller,
  request: {
    method: string;
    kind: ResourceKind;
    id?: string | undefined;
    body?: unknown;
    query?: ScimQuery | undefined;
  },
): Promise<ScimResult> {
  const projection = projectionOf(request.query ?? {});
  const { kind, id } = request;
  const method = request.method.toUpperCase();
  const users = kind === "Users";
  if (id === undefined) {
    if (method === "GET") return listResources(caller, kind, request.query ?? {});
    if (method === "POST") {
      const body = objectBody(request.body);
      const made = users ? await createScimUser(caller, body) : await createScimGroup(caller, body);
      return created(made.resource, projection);
    }
  } else {
    switch (method) {
      case "GET": {
        const found = users
          ? await getScimUser(caller, id)
          : await getScimGroup(caller, id, !excludesMembers(projection));
        return { status: 200, body: projectResource(found.resource, projection) };
      }
      case "PUT": {
        const body = objectBody(request.body);
        const done = users
          ? await replaceScimUser(caller, id, body)
          : await replaceScimGroup(caller, id, body);
        return { status: 200, body: projectResource(done.resource, projection) };
      }
      case "PATCH": {
        const done = users
          ? await patchScimUser(caller, id, request.body)
          : await patchScimGroup(caller, id, request.body);
        return { status: 200, body: projectResource(done.resource, projection) };
      }
      case "DELETE":
        if (users) await deleteScimUser(caller, id);
        else await deleteScimGroup(caller, id);
        return { status: 204 };
      default:
        break;
    }
  }
  throw new AppError(
    "route_not_found",
    `${method} is not an operation of /${kind}${id === undefined ? "" : "/{id}"}.`,
    {},
  );
}
