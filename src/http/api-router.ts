import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { AppError } from "../errors/app-error.js";
import type { Principal } from "../services/auth-service.js";
import type { ServiceContext } from "../services/context.js";
import { DEFAULT_MAX_XLS_BYTES } from "../sheet/xls/read-xls.js";
import type { AppEnv, Authentication } from "./http-env.js";
import { parseMultipart, type UploadedFile } from "./multipart.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

/**
 * Who may call a route: anyone; a signed-in administrator whose password is in order; or one who must
 * change their password first (only whoami, sign-out and the password change allow that).
 */
export type RouteAccess = "public" | "signed-in" | "during-password-change";

/** What the OpenAPI document needs to know of any route, JSON or file. */
export interface RouteDoc {
  readonly method: Method;
  /** Relative to the router's base, OpenAPI style: `/{address}/unlock`. */
  readonly path: string;
  readonly summary: string;
  readonly access: RouteAccess;
  readonly params?: z.ZodType | undefined;
  readonly query?: z.ZodType | undefined;
  readonly body?: z.ZodType | undefined;
  /**
   * The body is multipart/form-data: `body` validates its text fields and its one file part, named
   * `file`, reaches the handler as `file`. The upload size limit is the import runner's.
   */
  readonly multipart?: boolean | undefined;
  /** A JSON reply's schema; absent for a file reply. */
  readonly response?: z.ZodType | undefined;
  /** A file reply's media type. */
  readonly produces?: string | undefined;
  readonly status?: 200 | 201 | 202 | undefined;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> extends RouteDoc {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  readonly produces?: undefined;
}

/** A route that answers with a file (a report, a template) instead of JSON. */
export interface DownloadSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
> extends RouteDoc {
  readonly method: "get";
  readonly params?: P;
  readonly query?: Q;
  readonly body?: undefined;
  readonly response?: undefined;
  readonly produces: string;
}

export interface Download {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** What a handler receives: validated input, the caller, and a service context acting as them. */
export interface HandlerInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The uploaded file of a multipart route. */
  readonly file: UploadedFile | undefined;
  readonly c: Context<AppEnv>;
  readonly auth: Authentication | undefined;
  /** The caller (undefined only on public routes). */
  readonly principal: Principal | undefined;
  readonly services: ServiceContext;
}

export interface RegisteredRoute {
  readonly fullPath: string;
  readonly tag: string;
  readonly spec: RouteDoc;
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

/** Text fields of an upload are short (a group path is the longest, at most 1000 characters). */
const MAX_FIELD_BYTES = 4096;

async function readMultipart(
  c: Context<AppEnv>,
  schema: z.ZodType | undefined,
): Promise<{ fields: unknown; file: UploadedFile | undefined }> {
  const type = c.req.header("content-type") ?? "";
  const shape: Readonly<Record<string, unknown>> = schema instanceof z.ZodObject ? schema.shape : {};
  // The body was read under the upload limit (app.ts); the parse counts every part against these.
  const form = parseMultipart(new Uint8Array(await c.req.arrayBuffer()), type, {
    maxFileBytes: c.get("deps").imports?.maxFileBytes ?? DEFAULT_MAX_XLS_BYTES,
    maxFields: Object.keys(shape).length,
    maxFieldBytes: MAX_FIELD_BYTES,
  });
  return { fields: form.fields, file: form.file };
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
    return this.register<P, Q, B>(spec, async (input) => {
      const result = await handler(input);
      // Parsing the reply strips any key the schema does not name; a mismatch is our bug, not the caller's.
      const reply = spec.response.parse(result);
      return input.c.json(reply as never, (spec.status ?? 200) as ContentfulStatusCode);
    });
  }

  /** A route answering with a file, sent as an attachment under the name the handler gives. */
  download<P extends z.ZodType, Q extends z.ZodType>(
    spec: DownloadSpec<P, Q>,
    handler: (input: HandlerInput<z.output<P>, z.output<Q>, undefined>) => Promise<Download>,
  ): this {
    return this.register<P, Q, z.ZodUndefined>(spec, async (input) => {
      const file = await handler(input);
      // An ASCII name for every client, and the exact one (RFC 6266 filename*) for those that read it.
      const ascii = file.fileName.replace(/[^A-Za-z0-9._-]/g, "_");
      // RFC 5987 attr-chars: encodeURIComponent leaves ' ( ) * ! as they are.
      const exact = encodeURIComponent(file.fileName).replace(
        /['()*!]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
      return new Response(new Uint8Array(file.bytes), {
        headers: {
          "Content-Type": file.contentType,
          "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`,
        },
      });
    });
  }

  private register<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    spec: RouteDoc,
    respond: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Response>,
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
      const params = parseInput(spec.params, c.req.param(), "path") as z.output<P>;
      const query = parseInput(spec.query, c.req.query(), "query") as z.output<Q>;
      let body = undefined as z.output<B>;
      let file: UploadedFile | undefined;
      if (spec.multipart === true) {
        const form = await readMultipart(c, spec.body);
        body = parseInput(spec.body, form.fields, "body") as z.output<B>;
        file = form.file;
      } else if (spec.body) body = parseInput(spec.body, await readJson(c), "body") as z.output<B>;
      const deps = c.get("deps");
      const services: ServiceContext = {
        db: deps.db,
        hasher: deps.hasher,
        isCommonPassword: deps.isCommonPassword,
        now: deps.now,
        // Never the all-powerful system actor for an anonymous caller: an address no user has is denied
        // by every authorize() check, should a public route ever reach one.
        actor: {
          kind: "user",
          email: auth ? auth.principal.email : "anonymous@invalid",
          token: auth?.via === "token" ? auth.token : undefined,
        },
      };
      return respond({ params, query, body, file, c, auth, principal: auth?.principal, services });
    });
    return this;
  }
}
