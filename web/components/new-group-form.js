// New group: one path, its missing parents made too (POST /groups), on the Groups page and in the Lookup dialog.
import { call } from "../api.js";
import { el, field } from "../dom.js";
import { formMessages, onSubmit } from "./messages.js";

/**
 * New group: a path (parents are made too); `onCreated` gets the path and the groups the server made.
 * @param {{ path?: string, onCreated: (path: string, created: string[]) => void }} options
 * @returns {HTMLDivElement} the form and its message
 */
export function newGroupForm({ path = "", onCreated }) {
  const input = field("New group", {
    name: "path",
    value: path,
    required: true,
    placeholder: "Staff/London",
  });
  const messages = formMessages({ path: input }, { group_path_invalid: "path" });
  const form = el(
    "form",
    { class: "inline new-group" },
    input.wrapper,
    el("button", { type: "submit" }, "Create group"),
  );
  const wrapper = el("div", {}, form, messages.node);
  onSubmit(form, messages, async () => {
    const reply = await call("POST /groups", { body: { path: input.input.value.trim() } });
    onCreated(reply.path, reply.created);
  });
  return wrapper;
}
