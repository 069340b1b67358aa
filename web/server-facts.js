// The server's limits, states and labels (GET /api/v1/meta): the console keeps no copy of its own.
import { call } from "./api.js";
/** @import { Meta } from "./api-types.js" */

/** @type {Promise<Meta> | undefined} */
let asked;

/**
 * Asked once per page load; a failed ask (e.g. before sign-in) is asked again next time.
 * @returns {Promise<Meta>}
 */
export function serverFacts() {
  asked ??= call("GET /meta").catch((/** @type {unknown} */ error) => {
    asked = undefined;
    throw error;
  });
  return asked;
}
