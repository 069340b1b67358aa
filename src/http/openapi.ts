import { z } from "zod";
import type { RegisteredRoute } from "./api-router.js";
import { errorSchema } from "./schemas.js";

type JsonObject = Record<string, unknown>;

/** Path parameters become OpenAPI parameters; query fields become query parameters. */
function parametersOf(route: RegisteredRoute): JsonObject[] {
  const out: JsonObject[] = [];
  const add = (schema: z.ZodType | undefined, where: "path" | "query"): void => {
    if (!(schema instanceof z.ZodObject)) return;
    const shape: Readonly<Record<string, z.ZodType>> = schema.shape;
    for (const [name, field] of Object.entries(shape)) {
      out.push({
        name,
        in: where,
        required: where === "path" || !field.safeParse(undefined).success,
        schema: z.toJSONSchema(field, { io: "input", target: "draft-2020-12", unrepresentable: "any" }),
      });
    }
  };
  add(route.spec.params, "path");
  add(route.spec.query, "query");
  return out;
}

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and filter replies,
 * so the document cannot drift from what the server does. Named schemas (`.meta({ id })`) become components.
 */
export function buildOpenApiDocument(routes: readonly RegisteredRoute[], prefix: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  const components: Record<string, unknown> = {};
  const schemaOf = (schema: z.ZodType, io: "input" | "output"): unknown => {
    const generated = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });
    // References point into $defs; in the document they live under components.
    const json = JSON.parse(
      JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/'),
    ) as JsonObject;
    // Hoist named definitions into components so every route refers to one User, one Error, ...
    const defs = json.$defs as Record<string, unknown> | undefined;
    if (defs) Object.assign(components, defs);
    delete json.$defs;
    delete json.$schema;
    return json;
  };
  const binary = { type: "string", format: "binary" };
  for (const route of routes) {
    const path = prefix + route.fullPath;
    const { spec } = route;
    const reply =
      spec.produces !== undefined
        ? { [spec.produces]: { schema: binary } }
        : spec.response
          ? { "application/json": { schema: schemaOf(spec.response, "output") } }
          : {};
    const operation: JsonObject = {
      summary: spec.summary,
      tags: [route.tag],
      security: spec.access === "public" ? [] : [{ session: [] }, { bearer: [] }],
      parameters: parametersOf(route),
      responses: {
        [String(spec.status ?? 200)]: { description: "OK", content: reply },
        default: {
          description: "An error: its code is stable (see the registry); the HTTP status follows from it.",
          content: { "application/json": { schema: schemaOf(errorSchema, "output") } },
        },
      },
    };
    if (spec.multipart === true) {
      // The text fields come from the body schema; the one file part is added beside them.
      const fields = (spec.body ? schemaOf(spec.body, "input") : { type: "object" }) as JsonObject;
      const properties = { ...(fields.properties as JsonObject | undefined), file: binary };
      const required = [...((fields.required as string[] | undefined) ?? []), "file"];
      operation.requestBody = {
        required: true,
        content: { "multipart/form-data": { schema: { ...fields, properties, required } } },
      };
    } else if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: schemaOf(spec.body, "input") } },
      };
    }
    (paths[path] ??= {})[spec.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "mailroster API",
      version: "1",
      description:
        "The directory of an e-mail security gateway. Console sessions use an HttpOnly cookie and send the " +
        "X-CSRF-Token header (from sign-in or /auth/me) on every change; automation sends an API token as " +
        "Authorization: Bearer.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "mailroster_session" },
        bearer: { type: "http", scheme: "bearer" },
      },
    },
  };
}
