import { ApiError } from "./api.js";

/**
 * Tells screen readers (and everyone) what just happened, through the polite live region.
 * @param {string} text
 */
export function announce(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

/**
 * @param {unknown} error
 * @returns {string}
 */
export function errorText(error) {
  if (error instanceof ApiError) {
    const rules = error.details.rules;
    const listed = Array.isArray(rules) ? ` (${rules.map(String).join(", ")})` : "";
    return `${error.message}${listed} [${error.code}]`;
  }
  return String(error);
}
