// Renders the OpenAPI document as a readable list: method, path, summary, parameters and schemas.
import { el } from "./dom.js";

const response = await fetch("/api/v1/openapi.json");
const doc = await response.json();
const root = document.getElementById("docs");
root.replaceChildren(el("p", {}, doc.info.description));
const byTag = new Map();
for (const [path, operations] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(operations)) {
    const tag = op.tags?.[0] ?? "Other";
    if (!byTag.has(tag)) byTag.set(tag, []);
    byTag.get(tag).push({ path, method, op });
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
