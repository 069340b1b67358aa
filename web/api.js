// The console's only way to the server: JSON over /api/v1 with the session cookie and the CSRF header.
let csrfToken;

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function rememberCsrf(token) {
  if (token) csrfToken = token;
}

export async function api(method, path, body) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok)
    throw new ApiError(response.status, json.error.code, json.error.message, json.error.details);
  rememberCsrf(json.csrfToken);
  return json;
}

/** A multipart/form-data POST (a file upload); the browser sets the boundary. */
export async function upload(path, form) {
  const headers = { accept: "application/json" };
  if (csrfToken) headers["x-csrf-token"] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method: "POST",
    headers,
    credentials: "same-origin",
    body: form,
  });
  const json = await response.json();
  if (!response.ok)
    throw new ApiError(response.status, json.error.code, json.error.message, json.error.details);
  return json;
}

export const enc = encodeURIComponent;
