// Add domain: the form (on the Internal Domains page) and the same form in a dialog, opened beside a domain
// error of an import preview so the preview stays where it is.
import { call } from "../api.js";
import { el, field } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce } from "../ui.js";
import { fieldForm, formMessages, onSubmit } from "./messages.js";
/** @import { Domain, Meta } from "../api-types.js" */

let modeCount = 0;

/**
 * A labelled select of the recipient validation modes, labelled as the server names them (GET /meta).
 * @param {string} label
 * @param {Meta["recipientValidations"]} modes
 * @param {string} value
 */
export function modeField(label, modes, value) {
  const id = `mode-${++modeCount}`;
  const input = el(
    "select",
    { id },
    ...modes.map((m) => el("option", { value: m.mode, selected: m.mode === value }, m.label)),
  );
  const wrapper = el("div", { class: "field" }, el("label", { for: id }, label), input);
  return { wrapper, input };
}

/**
 * The Add domain form: the domain and its recipient validation; `onAdded` gets the domain the server made.
 * @param {{ meta: Meta, domain?: string, onAdded: (domain: Domain) => void }} options
 * @returns {HTMLFormElement}
 */
export function domainForm({ meta, domain = "", onAdded }) {
  const name = field("Domain", { name: "domain", value: domain, required: true, placeholder: "example.com" });
  const mode = modeField("Recipient validation", meta.recipientValidations, "known-recipients");
  const messages = formMessages(
    { domain: name, recipientValidation: mode },
    { domain_invalid: "domain", domain_taken: "domain", domain_held_elsewhere: "domain" },
  );
  const form = fieldForm(
    { class: "card narrow", "aria-label": "Add domain" },
    [name, mode],
    messages,
    "Add domain",
  );
  onSubmit(form, messages, async () => {
    const added = await call("POST /domains", {
      body: {
        domain: name.input.value.trim(),
        recipientValidation: /** @type {Domain["recipientValidation"]} */ (mode.input.value),
      },
    });
    onAdded(added);
  });
  return form;
}

/**
 * Add domain in a dialog, over the page that needs it (an import preview keeps its state); resolves with the
 * domain added, or undefined when closed.
 * @param {HTMLElement} returnFocus
 * @returns {Promise<Domain | undefined>}
 */
export async function addDomainDialog(returnFocus) {
  const meta = await serverFacts();
  const dialog = el("dialog", { class: "lookup", "aria-labelledby": "add-domain-title" });
  return new Promise((resolve) => {
    /** @param {Domain | undefined} added */
    const close = (added) => {
      dialog.close();
      dialog.remove();
      returnFocus.focus();
      if (added) announce(`${added.domain} added as an internal domain: preview the file again.`);
      resolve(added);
    };
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(undefined);
    });
    dialog.append(
      el("h2", { id: "add-domain-title" }, "Add an internal domain"),
      domainForm({ meta, onAdded: close }),
      el("button", { type: "button", onclick: () => close(undefined) }, "Cancel"),
    );
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("input")?.focus();
  });
}
