import { ApiError } from "./api.js";

/** Tells screen readers (and everyone) what just happened, through the polite live region. */
export function announce(text) {
  document.getElementById("status").textContent = text;
}

export function errorText(error) {
  if (error instanceof ApiError) {
    const rules = Array.isArray(error.details?.rules) ? ` (${error.details.rules.join(", ")})` : "";
    return `${error.message}${rules} [${error.code}]`;
  }
  return String(error);
}
