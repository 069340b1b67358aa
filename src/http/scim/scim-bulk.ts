import { AppError } from "../../errors/app-error.js";
import { SCIM_LIMITS } from "../../scim/discovery.js";
import { getIgnoringCase, isJsonObject, type JsonObject } from "../../scim/json-resource.js";
import { BULK_REQUEST, BULK_RESPONSE } from "../../scim/scim-urns.js";
import type { ScimCaller } from "../../services/scim/scim-caller.js";
import { scimErrorOf } from "./scim-errors.js";
import { runResourceOperation, type ResourceKind } from "./scim-dispatch.js";

interface BulkOperation {
  readonly method: string;
  readonly bulkId: string | undefined;
  readonly path: string;
  readonly data: unknown;
}

const syntax = (message: string) => new AppError("scim_syntax_invalid", message, {});

/** Reads a BulkRequest (RFC 7644 3.7); more operations than the limit is 413 before anything runs. */
export function parseBulkRequest(body: unknown): {
  failOnErrors: number | undefined;
  operations: BulkOperation[];
} {
  if (!isJsonObject(body)) throw syntax("A Bulk body is a BulkRequest message.");
  const schemas = getIgnoringCase(body, "schemas");
  if (Array.isArray(schemas) && !schemas.includes(BULK_REQUEST))
    throw syntax(`schemas must name ${BULK_REQUEST}.`);
  const operations = getIgnoringCase(body, "Operations");
  if (!Array.isArray(operations)) throw syntax("A BulkRequest holds Operations.");
  if (operations.length > SCIM_LIMITS.bulkMaxOperations) {
    throw new AppError(
      "scim_bulk_too_large",
      `A Bulk request holds at most ${SCIM_LIMITS.bulkMaxOperations} operations.`,
      {
        maxOperations: SCIM_LIMITS.bulkMaxOperations,
      },
    );
  }
  const failOnErrors = getIgnoringCase(body, "failOnErrors");
  if (failOnErrors !== undefined && (typeof failOnErrors !== "number" || failOnErrors < 1)) {
    throw syntax("failOnErrors is a number of 1 or more.");
  }
  return {
    failOnErrors,
    operations: operations.map((raw: unknown) => {
      if (!isJsonObject(raw)) throw syntax("Each Bulk operation is an object.");
      const method = getIgnoringCase(raw, "method");
      const path = getIgnoringCase(raw, "path");
      const bulkId = getIgnoringCase(raw, "bulkId");
      if (typeof method !== "string" || typeof path !== "string")
        throw syntax("Each operation has a method and a path.");
      return {
        method: method.toUpperCase(),
        path,
        bulkId: typeof bulkId === "string" ? bulkId : undefined,
        data: getIgnoringCase(raw, "data"),
      };
    }),
  };
}

/** Replaces every "bulkId:x" (a path segment, a member value) with the id the earlier operation made. */
function resolveReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string" && value.startsWith("bulkId:")) {
    const id = ids.get(value.slice("bulkId:".length));
    if (id === undefined) {
      throw new AppError(
        "scim_value_invalid",
        `${value.slice(0, 100)} names no resource made earlier in this request.`,
        {},
      );
    }
    return id;
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, ids));
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, ids)]));
  }
  return value;
}

function parsePath(path: string): { kind: ResourceKind; id: string | undefined } {
  const match = /^\/(Users|Groups)(?:\/([^/?#]+))?$/i.exec(path.trim());
  if (!match)
    throw new AppError("scim_value_invalid", "A Bulk path is /Users, /Groups or one of theirs.", {});
  const kind: ResourceKind = match[1]?.toLowerCase() === "users" ? "Users" : "Groups";
  return { kind, id: match[2] };
}

/**
 * Runs the operations in order, each on its own (a failure does not undo the ones before, RFC 7644 3.7), until
 * failOnErrors errors; a bulkId made by an earlier operation may be named by the later ones.
 */
export async function runBulk(
  caller: ScimCaller,
  body: unknown,
): Promise<{ body: JsonObject; operations: number; errors: number }> {
  const request = parseBulkRequest(body);
  const ids = new Map<string, string>();
  const results: JsonObject[] = [];
  let errors = 0;
  for (const operation of request.operations) {
    if (request.failOnErrors !== undefined && errors >= request.failOnErrors) break;
    const entry: JsonObject = { method: operation.method };
    if (operation.bulkId !== undefined) entry.bulkId = operation.bulkId;
    try {
      const path = operation.path.replace(/bulkId:([^/?#]+)/g, (ref: string) =>
        String(resolveReferences(ref, ids)),
      );
      const target = parsePath(path);
      const result = await runResourceOperation(caller, {
        method: operation.method,
        kind: target.kind,
        id: target.id,
        body: resolveReferences(operation.data, ids),
      });
      const createdId = (result.body as { id?: unknown } | undefined)?.id;
      if (operation.method === "POST" && operation.bulkId !== undefined && typeof createdId === "string") {
        ids.set(operation.bulkId, createdId);
      }
      if (result.location !== undefined) entry.location = result.location;
      else if (typeof createdId === "string")
        entry.location = (result.body?.meta as { location?: string } | undefined)?.location;
      entry.status = String(result.status);
    } catch (error) {
      errors++;
      const reply = scimErrorOf(error);
      entry.status = String(reply.status);
      entry.response = reply.body;
    }
    results.push(entry);
  }
  return { body: { schemas: [BULK_RESPONSE], Operations: results }, operations: results.length, errors };
}
