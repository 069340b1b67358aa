import type { IncomingMessage, ServerResponse } from "node:http";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { Hono, type Context } from "hono";
import { secureHeaders } from "hono/secure-headers";
import Provider, { type InteractionResults, type KoaContextWithOIDC } from "oidc-provider";
import { AppError } from "../../errors/app-error.js";
import {
  ensureOidcKeys,
  loadOidcKeySet,
  oidcKeyVersion,
  type OidcKeySet,
} from "../../services/oidc/oidc-keys.js";
import type { OidcStoreDependencies } from "../../services/oidc/oidc-model-adapter.js";
import { SECURITY_HEADERS } from "../security-headers.js";
import { buildOidcConfiguration } from "./oidc-configuration.js";

export const OIDC_PREFIX = "/oidc";
// A rotation reaches a running server within this long (the key set's version is one small query).
const KEY_CHECK_MS = 1000;
// Issuers derived from requests (no --public-url): a few names for the one server, never an unbounded map.
const MAX_ISSUERS = 8;

export interface OidcHostOptions extends OidcStoreDependencies {
  /** `serve --public-url`: the issuer is this URL + /oidc; else it comes from each request's host. */
  readonly publicUrl?: string | undefined;
  /** `serve --trust-proxy`: X-Forwarded-Proto and X-Forwarded-Host name the public scheme and host. */
  readonly trustProxy?: boolean | undefined;
}

interface NodeBindings {
  readonly incoming: IncomingMessage & { originalUrl?: string };
  readonly outgoing: ServerResponse;
}

/** The Node request and response under Hono's request (served by @hono/node-server); absent in app.request(). */
function nodeBindingsOf(c: Context): NodeBindings {
  const env = c.env as Partial<NodeBindings> | undefined;
  if (env?.incoming === undefined || env.outgoing === undefined) {
    throw new AppError("oidc_unavailable", "OpenID Connect is served by `mailroster serve` only.", {});
  }
  return { incoming: env.incoming, outgoing: env.outgoing };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(",")[0]?.trim() || undefined;
}

/** The same headers every other page gets, as name/value pairs (computed once by Hono's own middleware). */
async function securityHeaderValues(): Promise<[string, string][]> {
  const probe = new Hono();
  probe.use(secureHeaders(SECURITY_HEADERS));
  probe.get("/", (c) => c.body(null));
  const response = await probe.request("/");
  return [...response.headers.entries()].filter(([name]) => name !== "content-type");
}

/** Widens a CSP's form-action to `origin`: the browser checks it on every redirect after a form's post. */
export function allowFormActionTo(csp: string, origin: string | undefined): string {
  if (origin === undefined) return csp;
  return csp.replace(/form-action ([^;]*)/, (_all, sources: string) => `form-action ${sources} ${origin}`);
}

function originOf(uri: unknown): string | undefined {
  return typeof uri === "string" && URL.canParse(uri) ? new URL(uri).origin : undefined;
}

/**
 * The OpenID Connect provider (oidc-provider, a Koa app) mounted at /oidc under Hono: built from the keys in
 * the database, rebuilt when they rotate, one per issuer. Its state lives in the database, so a rebuilt
 * provider (or another server) carries on every session, grant and token.
 */
export class OidcHost {
  readonly #options: OidcHostOptions;
  readonly #providers = new Map<string, { provider: Provider; handle: ReturnType<Provider["callback"]> }>();
  #keys: OidcKeySet | undefined;
  #checkedAt = 0;
  #headers: [string, string][] = [];

  private constructor(options: OidcHostOptions) {
    this.#options = options;
  }

  /** Creates the first signing key when there is none (the first start with MAILROSTER_SECRET_KEY). */
  static async start(options: OidcHostOptions): Promise<OidcHost> {
    await ensureOidcKeys(options.db, options.secrets, options.now());
    const host = new OidcHost(options);
    host.#headers = await securityHeaderValues();
    await host.#refreshKeys();
    return host;
  }

  async #refreshKeys(): Promise<OidcKeySet> {
    const now = this.#options.now();
    if (this.#keys !== undefined && now.getTime() - this.#checkedAt < KEY_CHECK_MS) return this.#keys;
    this.#checkedAt = now.getTime();
    if (this.#keys === undefined || this.#keys.version !== (await oidcKeyVersion(this.#options.db))) {
      this.#keys = await loadOidcKeySet(this.#options.db, this.#options.secrets, now);
      this.#providers.clear();
    }
    return this.#keys;
  }

  /** The key that seals client secrets and signing keys. */
  get secrets(): OidcHostOptions["secrets"] {
    return this.#options.secrets;
  }

  /** The Content-Security-Policy every page gets. */
  contentSecurityPolicy(): string {
    return this.#headers.find(([name]) => name === "content-security-policy")?.[1] ?? "";
  }

  /** The issuer a request is answered as: the public URL, else its own scheme and host. */
  issuerOf(incoming: IncomingMessage): string {
    if (this.#options.publicUrl !== undefined)
      return `${this.#options.publicUrl.replace(/\/+$/, "")}${OIDC_PREFIX}`;
    const proxied = this.#options.trustProxy === true;
    const proto =
      (proxied ? firstHeader(incoming.headers["x-forwarded-proto"]) : undefined) ??
      ("encrypted" in incoming.socket && incoming.socket.encrypted === true ? "https" : "http");
    const host =
      (proxied ? firstHeader(incoming.headers["x-forwarded-host"]) : undefined) ?? incoming.headers.host;
    if (host === undefined || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) {
      throw new AppError("request_invalid", "The request names no valid Host.", {});
    }
    return `${proto === "https" ? "https" : "http"}://${host.toLowerCase()}${OIDC_PREFIX}`;
  }

  async #providerFor(incoming: IncomingMessage) {
    const keys = await this.#refreshKeys();
    const issuer = this.issuerOf(incoming);
    const cached = this.#providers.get(issuer);
    if (cached) return cached;
    const provider = new Provider(issuer, buildOidcConfiguration(this.#options, keys));
    provider.proxy = this.#options.trustProxy === true;
    provider.on("server_error", (_ctx: unknown, error: unknown) => this.#options.onError?.(error));
    provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
      // Before the provider answers: its form_post page adds its script's hash to this CSP's script-src.
      for (const [name, value] of this.#headers) ctx.set(name, value);
      await next();
      // Its redirects to the client (form_post) post to the client's redirect URI.
      const csp = ctx.response.get("content-security-policy");
      // ctx.oidc is absent on a path the provider does not route (its 404).
      const oidc = ctx.oidc as KoaContextWithOIDC["oidc"] | undefined;
      const origin = originOf(oidc?.params?.redirect_uri);
      if (typeof csp === "string" && csp !== "")
        ctx.set("content-security-policy", allowFormActionTo(csp, origin));
    });
    const entry = { provider, handle: provider.callback() };
    if (this.#providers.size >= MAX_ISSUERS) {
      const oldest = this.#providers.keys().next().value;
      if (oldest !== undefined) this.#providers.delete(oldest);
    }
    this.#providers.set(issuer, entry);
    return entry;
  }

  /** Answers a request under /oidc: the provider writes the Node response itself. */
  async handle(c: Context): Promise<Response> {
    const { incoming, outgoing } = nodeBindingsOf(c);
    const { handle } = await this.#providerFor(incoming);
    // Mounted like Express does: the provider reads its own path from url, its mount point from originalUrl.
    const url = incoming.url ?? "/";
    incoming.originalUrl = url;
    incoming.url = url.slice(OIDC_PREFIX.length) || "/";
    await handle(incoming, outgoing);
    return RESPONSE_ALREADY_SENT;
  }

  /** The interaction the browser is in (by its cookie), or undefined when it is unknown or has expired. */
  async interactionOf(c: Context): Promise<InteractionOf | undefined> {
    const { incoming, outgoing } = nodeBindingsOf(c);
    const { provider } = await this.#providerFor(incoming);
    try {
      const details = await provider.interactionDetails(incoming, outgoing);
      return {
        uid: details.uid,
        prompt: details.prompt.name,
        clientId: typeof details.params.client_id === "string" ? details.params.client_id : "",
        accountId: details.session?.accountId,
        redirectOrigin: originOf(details.params.redirect_uri),
      };
    } catch (error) {
      if (error instanceof Error && error.name === "SessionNotFound") return undefined;
      throw error;
    }
  }

  /** Finishes the interaction (a sign-in); returns where the browser goes on (the provider's resume). */
  async finishInteraction(c: Context, result: InteractionResults): Promise<string> {
    const { incoming, outgoing } = nodeBindingsOf(c);
    const { provider } = await this.#providerFor(incoming);
    return provider.interactionResult(incoming, outgoing, result, { mergeWithLastSubmission: false });
  }

  /** Grants the consent prompt outright (every client is an administrator's): the scopes offered. */
  async grantConsent(c: Context, accountId: string, clientId: string, scopes: string): Promise<string> {
    const { incoming } = nodeBindingsOf(c);
    const { provider } = await this.#providerFor(incoming);
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(scopes);
    return grant.save();
  }
}

export interface InteractionOf {
  readonly uid: string;
  readonly prompt: string;
  readonly clientId: string;
  /** The user already signed in to the provider (a consent prompt), if any. */
  readonly accountId: string | undefined;
  /** The origin of the redirect URI this sign-in returns to (a registered one: the provider checked it). */
  readonly redirectOrigin: string | undefined;
}
