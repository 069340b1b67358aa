// The API docs: Swagger UI (served from the npm package swagger-ui-dist, never a CDN) over the server's
// OpenAPI document, with $ref resolved and the schemas' examples. Started here, not inline: the CSP allows no
// inline script. "Try it out" uses the console session; a change sends the CSRF token as the console does.

/**
 * The one part of Swagger UI's global this page uses.
 * @typedef {{ url: string, headers: Record<string, string>, method?: string }} SwaggerRequest
 * @typedef {(options: Record<string, unknown>) => unknown} SwaggerUiBundle
 */

const root = document.getElementById("docs");
if (!root) throw new Error("api-docs.html has no #docs");
const bundle = /** @type {{ SwaggerUIBundle?: SwaggerUiBundle }} */ (/** @type {unknown} */ (window))
  .SwaggerUIBundle;

/** @type {Promise<string | undefined> | undefined} */
let csrf;

/** The CSRF token of the console session, if there is one (asked once). */
function csrfToken() {
  csrf ??= fetch("/api/v1/auth/me", { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : undefined))
    .then((/** @type {{ csrfToken?: string } | undefined} */ me) => me?.csrfToken)
    .catch(() => undefined);
  return csrf;
}

if (!bundle) {
  root.textContent = "The API viewer could not be loaded: read the OpenAPI document (link above) instead.";
} else {
  root.textContent = "";
  bundle({
    url: "/api/v1/openapi.json",
    dom_id: "#docs",
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    // The viewer's own fetch: no third-party validator badge (it would call out to another host).
    validatorUrl: null,
    requestInterceptor: async (/** @type {SwaggerRequest} */ request) => {
      const method = (request.method ?? "GET").toUpperCase();
      if (method !== "GET" && method !== "HEAD") {
        const token = await csrfToken();
        if (token) request.headers["x-csrf-token"] = token;
      }
      return request;
    },
  });
}
