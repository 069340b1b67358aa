import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { AppError } from "../errors/app-error.js";
import type { Principal } from "../services/auth-service.js";
import type { ServiceContext } from "../services/context.js";
import type { AppEnv, Authentication } from "./http-env.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

/**
 * Who may call a route: anyone; a signed-in administrator whose password is in order; or one who must
 * change their password first (only whoami, sign-out and the password change allow that).
 */
export type RouteAccess = "public" | "signed-in" | "during-password-change";

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: Method;
  /** Relative to the router's base, OpenAPI style: `/{address}/unlock`. */
  readonly path: string;
  readonly summary: string;
  readonly access: RouteAccess;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  readonly status?: 200 | 201;
}

/** What a handler receives: validated input, the caller, and a service context acting as them. */
export interface HandlerInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly c: Context<AppEnv>;
  readonly auth: Authentication | undefined;
  /** The caller (undefined only on public routes). */
  readonly principal: Principal | undefined;
  readonly services: ServiceContext;
}

export interface RegisteredRoute {
  readonly fullPath: string;
  readonly tag: string;
  readonly spec: RouteSpec;
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.code}`);
}

function parseInput<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("request_invalid", `The request's ${where} does not match the schema.`, {
      where,
      issues: issuesOf(result.error),
    });
  }
  return result.data;
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError("request_invalid", "Send the body as application/json.", { where: "body" });
  }
  try {
    return await c.req.json();
  } catch {
    throw new AppError("request_invalid", "The body is not valid JSON.", { where: "body" });
  }
}

/**
 * A group of routes under one base path. Each route declares its schemas once: they validate the request,
 * filter the response, and describe the route in the OpenAPI document.
 */
export class ApiRouter {
  readonly hono = new Hono<AppEnv>();
  readonly routes: RegisteredRoute[] = [];

  constructor(
    readonly base: string,
    readonly tag: string,
  ) {}

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    spec: RouteSpec<P, Q, B, R>,
    handler: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.input<R>>,
  ): this {
    this.routes.push({ fullPath: this.base + spec.path, tag: this.tag, spec });
    const honoPath = spec.path.replace(/\{(\w+)\}/g, ":$1") || "/";
    this.hono.on(spec.method.toUpperCase(), honoPath, async (c) => {
      const auth = c.get("auth");
      if (spec.access !== "public") {
        if (!auth) throw new AppError("not_signed_in", "Sign in, or send a valid API token.", {});
        if (auth.principal.passwordChange !== null && spec.access !== "during-password-change") {
          throw new AppError("password_change_required", "Set a new password first.", {
            reason: auth.principal.passwordChange,
          });
        }
      }
      const params = parseInput(spec.params, c.req.param(), "path");
      const query = parseInput(spec.query, c.req.query(), "query");
      const body = spec.body ? parseInput(spec.body, await readJson(c), "body") : (undefined as z.output<B>);
      const deps = c.get("deps");
      const services: ServiceContext = {
        db: deps.db,
        hasher: deps.hasher,
        isCommonPassword: deps.isCommonPassword,
        now: deps.now,
        // Never the all-powerful system actor for an anonymous caller: an address no user has is denied
        // by every authorize() check, should a public route ever reach one.
        actor: { kind: "user", email: auth ? auth.principal.email : "anonymous@invalid" },
      };
      const result = await handler({ params, query, body, c, auth, principal: auth?.principal, services });
      // Parsing the reply strips any key the schema does not name; a mismatch is our bug, not the caller's.
      const reply = spec.response.parse(result);
      return c.json(reply as never, (spec.status ?? 200) as ContentfulStatusCode);
    });
    return this;
  }
}
