// The console's only way to the server: JSON over /api/v1 with the session cookie and the CSRF header.
// Routes are named as in the OpenAPI document ("GET /users/{address}"), so each call's input and reply
// are the generated types of api-types.d.ts.
/** @import { DownloadRoutes, Error as ErrorReply, JsonRoutes, UploadRoutes } from "./api-types.js" */

/** @type {string | undefined} */
let csrfToken;

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} details
   */
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** @param {string | undefined} token */
export function rememberCsrf(token) {
  if (token) csrfToken = token;
}

export const enc = encodeURIComponent;

/**
 * @typedef {object} RouteInput
 * @property {Record<string, string>} [params] the route's {placeholders}
 * @property {Record<string, string | number | undefined>} [query]
 * @property {unknown} [body]
 */

/**
 * A route name and its input as a method and a URL: "GET /users/{address}" + { params: { address } }.
 * @param {string} route
 * @param {RouteInput} input
 * @returns {{ method: string, url: string }}
 */
export function routeUrl(route, input) {
  const [method = "GET", template = "/"] = route.split(" ");
  const path = template.replace(/\{(\w+)\}/g, (_, /** @type {string} */ name) => {
    const value = input.params?.[name];
    if (value === undefined) throw new TypeError(`${route} needs the parameter ${name}`);
    return enc(value);
  });
  const query = Object.entries(input.query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${enc(name)}=${enc(String(value))}`)
    .join("&");
  return { method, url: `/api/v1${path}${query ? `?${query}` : ""}` };
}

/**
 * The reply's JSON, or the server's error as an ApiError.
 * @param {Response} response
 * @returns {Promise<unknown>}
 */
async function readReply(response) {
  /** @type {unknown} */
  const json = await response.json();
  if (!response.ok) {
    const { error } = /** @type {ErrorReply} */ (json);
    throw new ApiError(response.status, error.code, error.message, error.details);
  }
  return json;
}

/**
 * @param {boolean} change
 * @returns {Record<string, string>}
 */
function headersFor(change) {
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json" };
  if (change && csrfToken) headers["x-csrf-token"] = csrfToken;
  return headers;
}

/**
 * Calls a JSON route. The server parses every reply through its schema, so the reply is the route's type.
 * @template {keyof JsonRoutes} R
 * @param {R} route
 * @param {JsonRoutes[R]["input"]} [input]
 * @returns {Promise<JsonRoutes[R]["reply"]>}
 */
export async function call(route, input) {
  /** @type {RouteInput} */
  const given = input ?? {};
  const { method, url } = routeUrl(route, given);
  const headers = headersFor(method !== "GET");
  if (given.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: given.body === undefined ? null : JSON.stringify(given.body),
  });
  const reply = /** @type {JsonRoutes[R]["reply"]} */ (await readReply(response));
  const token = /** @type {{ csrfToken?: unknown }} */ (reply).csrfToken;
  rememberCsrf(typeof token === "string" ? token : undefined);
  return reply;
}

/**
 * A multipart/form-data POST (a file upload): the text fields and the file as the part `file`; the
 * browser sets the boundary.
 * @template {keyof UploadRoutes} R
 * @param {R} route
 * @param {UploadRoutes[R]["fields"]} fields
 * @param {Blob} file
 * @returns {Promise<UploadRoutes[R]["reply"]>}
 */
export async function upload(route, fields, file) {
  const form = new FormData();
  for (const [name, value] of Object.entries(/** @type {Record<string, string | undefined>} */ (fields))) {
    if (value !== undefined) form.set(name, value);
  }
  form.set("file", file);
  const { method, url } = routeUrl(route, {});
  const response = await fetch(url, {
    method,
    headers: headersFor(true),
    credentials: "same-origin",
    body: form,
  });
  return /** @type {UploadRoutes[R]["reply"]} */ (await readReply(response));
}

/**
 * The URL of a file the server makes (a link's href).
 * @template {keyof DownloadRoutes} R
 * @param {R} route
 * @param {DownloadRoutes[R]} input
 * @returns {string}
 */
export function downloadUrl(route, input) {
  return routeUrl(route, input).url;
}
