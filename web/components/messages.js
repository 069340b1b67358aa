// Messages written for people: the sentence first, the code after it, small, for a search or a ticket; each
// beside the field it is about; cleared on the next action. One way for every page.
import { ApiError } from "../api.js";
import { el, fill } from "../dom.js";
/** @import { AttributeValue, Child } from "../dom.js" */

/**
 * What to say about an error: the server's sentence (it says how to fix) and its code, kept apart.
 * @param {unknown} error
 * @returns {{ text: string, code: string | undefined }}
 */
export function describeError(error) {
  if (error instanceof ApiError) return { text: error.message, code: error.code };
  if (error instanceof Error) return { text: error.message, code: undefined };
  return { text: String(error), code: undefined };
}

/**
 * The content of a message: the sentence, then the code in small print.
 * @param {unknown} error an error, or a sentence to say as it is
 * @returns {Child[]}
 */
export function messageContent(error) {
  const { text, code } = typeof error === "string" ? { text: error, code: undefined } : describeError(error);
  return [el("span", { class: "message-text" }, text), code ? el("small", { class: "code" }, code) : null];
}

/**
 * A message box for a form or a page: empty (and hidden) until told something.
 * @returns {{ node: HTMLParagraphElement, show: (error: unknown, kind?: "error" | "ok") => void, clear: () => void }}
 */
export function messageBox() {
  const node = el("p", { class: "message", role: "alert", hidden: true });
  return {
    node,
    show(error, kind = "error") {
      node.className = `message ${kind}`;
      fill(node, ...messageContent(error));
      node.hidden = false;
    },
    clear() {
      fill(node);
      node.hidden = true;
    },
  };
}

/**
 * @typedef {object} FormField
 * @property {HTMLElement} wrapper
 * @property {HTMLInputElement | HTMLSelectElement} input
 */

let slotCount = 0;

/**
 * A form's messages: an error about one field (named by the code, or by the server's `details.field`) goes
 * beside that field, marked invalid and described by the message; anything else at the form's foot. A
 * field's message clears when the field is changed, and all of them on the next submit (call clear()).
 * @param {Readonly<Record<string, FormField>>} fields by name
 * @param {Readonly<Record<string, string>>} [fieldOfCode] error code -> field name
 */
export function formMessages(fields, fieldOfCode = {}) {
  const general = messageBox();
  /** @type {Map<string, HTMLElement>} */
  const slots = new Map();
  for (const [name, { wrapper, input }] of Object.entries(fields)) {
    const slot = el("p", { class: "field-message", id: `field-message-${++slotCount}`, hidden: true });
    wrapper.append(slot);
    slots.set(name, slot);
    input.addEventListener("input", () => clearField(name));
  }
  /** @param {string} name */
  const clearField = (name) => {
    const slot = slots.get(name);
    const input = fields[name]?.input;
    if (!slot || !input || slot.hidden) return;
    fill(slot);
    slot.hidden = true;
    input.removeAttribute("aria-invalid");
    const rest = (input.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter((id) => id && id !== slot.id);
    if (rest.length) input.setAttribute("aria-describedby", rest.join(" "));
    else input.removeAttribute("aria-describedby");
  };
  /** @param {unknown} error */
  const fieldOf = (error) => {
    if (!(error instanceof ApiError)) return undefined;
    const named = error.details.field;
    if (typeof named === "string" && slots.has(named)) return named;
    return fieldOfCode[error.code];
  };
  return {
    /** The message at the form's foot (place it before the submit button). */
    node: general.node,
    /** @param {unknown} error */
    show(error) {
      this.showAt(fieldOf(error), error);
    },
    /**
     * The message beside the named field (a check the console makes itself), or at the foot.
     * @param {string | undefined} name
     * @param {unknown} error an error, or a sentence
     */
    showAt(name, error) {
      const slot = name === undefined ? undefined : slots.get(name);
      const input = name === undefined ? undefined : fields[name]?.input;
      if (!slot || !input) {
        general.show(error);
        return;
      }
      fill(slot, ...messageContent(error));
      slot.hidden = false;
      input.setAttribute("aria-invalid", "true");
      const described = (input.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
      if (!described.includes(slot.id))
        input.setAttribute("aria-describedby", [...described, slot.id].join(" "));
      input.focus();
    },
    clear() {
      general.clear();
      for (const name of slots.keys()) clearField(name);
    },
  };
}

/**
 * A form's submit, the one way: the default prevented, the messages cleared, `work` run, and a refusal shown
 * where it belongs (beside its field, else at the foot); `onError` may add to that (mark password rules).
 * @param {HTMLFormElement} form
 * @param {{ clear: () => void, show: (error: unknown) => void }} messages
 * @param {() => Promise<unknown>} work
 * @param {(error: unknown) => void} [onError]
 */
export function onSubmit(form, messages, work, onError) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    messages.clear();
    work().catch((/** @type {unknown} */ error) => {
      onError?.(error);
      messages.show(error);
    });
  });
}

/**
 * A form laid out the one way: its fields (a field is placed by its wrapper), then the messages that belong
 * to no field, then the submit button, so a refusal is read just before the button it is about.
 * @param {Record<string, AttributeValue>} attributes the form's
 * @param {(Child | { wrapper: HTMLElement })[]} fields in order, with any headings or text among them
 * @param {{ node: HTMLElement }} messages
 * @param {string} submit the submit button's text
 * @returns {HTMLFormElement}
 */
export function fieldForm(attributes, fields, messages, submit) {
  return el(
    "form",
    attributes,
    ...fields.map((f) => (f && typeof f === "object" && "wrapper" in f ? f.wrapper : f)),
    messages.node,
    el("button", { type: "submit" }, submit),
  );
}
