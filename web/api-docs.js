// Renders the OpenAPI document as a readable list: method, path, summary, parameters and schemas.
import { el } from "./dom.js";

/**
 * The parts of the OpenAPI document this page reads.
 * @typedef {{ schema: unknown }} Media
 * @typedef {{ name: string, in: string, required?: boolean }} Parameter
 * @typedef {object} Operation
 * @property {string} summary
 * @property {string[]} [tags]
 * @property {Parameter[]} [parameters]
 * @property {{ content: Record<string, Media> }} [requestBody]
 * @property {Record<string, { content?: Record<string, Media> }>} responses
 * @typedef {object} OpenApiDocument
 * @property {{ description: string }} info
 * @property {Record<string, Record<string, Operation>>} paths
 * @property {{ schemas: unknown }} components
 */

const response = await fetch("/api/v1/openapi.json");
const doc = /** @type {OpenApiDocument} */ (await response.json());
const root = document.getElementById("docs");
if (!root) throw new Error("api-docs.html has no #docs");
root.replaceChildren(el("p", {}, doc.info.description));
/** @type {Map<string, { path: string, method: string, op: Operation }[]>} */
const byTag = new Map();
for (const [path, operations] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(operations)) {
    const tag = op.tags?.[0] ?? "Other";
    const list = byTag.get(tag);
    if (list) list.push({ path, method, op });
    else byTag.set(tag, [{ path, method, op }]);
  }
}
for (const [tag, ops] of byTag) {
  root.append(el("h2", {}, tag));
  for (const { path, method, op } of ops) {
    const details = el("details", { class: "op" });
    details.append(el("summary", {}, el("code", {}, `${method.toUpperCase()} ${path}`), ` — ${op.summary}`));
    if (op.parameters?.length) {
      details.append(el("h3", {}, "Parameters"));
      details.append(
        el(
          "ul",
          {},
          ...op.parameters.map((p) =>
            el("li", {}, el("code", {}, p.name), ` (${p.in}${p.required ? ", required" : ""})`),
          ),
        ),
      );
    }
    // JSON, multipart/form-data (uploads) or a file type (downloads): each media type with its schema.
    for (const [type, { schema }] of Object.entries(op.requestBody?.content ?? {})) {
      details.append(el("h3", {}, `Request body (${type})`), el("pre", {}, JSON.stringify(schema, null, 2)));
    }
    for (const [status, reply] of Object.entries(op.responses)) {
      for (const [type, { schema }] of Object.entries(reply.content ?? {})) {
        details.append(
          el("h3", {}, `Response ${status} (${type})`),
          el("pre", {}, JSON.stringify(schema, null, 2)),
        );
      }
    }
    root.append(details);
  }
}
root.append(el("h2", {}, "Schemas"), el("pre", {}, JSON.stringify(doc.components.schemas, null, 2)));
