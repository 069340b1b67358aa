import type { z } from "zod";

/**
 * The spec of an upload (multipart, `file` and the fields of `body`) that starts an import in the server's
 * background and answers 202 with `response` (its id and state) at once; add `path` and `summary`.
 */
export function backgroundUpload<B extends z.ZodObject, R extends z.ZodType>(body: B, response: R) {
  return { method: "post", access: "signed-in", body, multipart: true, response, status: 202 } as const;
}
