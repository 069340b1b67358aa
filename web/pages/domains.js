// Internal Domains: the account's domains, each with its recipient validation (changeable), and Add domain.
import { call } from "../api.js";
import { el } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce } from "../ui.js";
import { domainForm, modeField } from "../components/domain-form.js";
import { messageBox } from "../components/messages.js";
import { dataTable } from "../components/table.js";
/** @import { Domain } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

/**
 * @param {Page} page
 */
export async function renderDomains(page) {
  const [domains, meta] = await Promise.all([call("GET /domains"), serverFacts()]);
  const message = messageBox();
  const rows = domains.map((d) => {
    const mode = modeField(
      `Recipient validation of ${d.domain}`,
      meta.recipientValidations,
      d.recipientValidation,
    );
    mode.wrapper.classList.add("compact");
    mode.wrapper.querySelector("label")?.classList.add("visually-hidden");
    mode.input.addEventListener("change", async () => {
      message.clear();
      try {
        const changed = await call("PATCH /domains/{domain}", {
          params: { domain: d.domain },
          body: { recipientValidation: /** @type {Domain["recipientValidation"]} */ (mode.input.value) },
        });
        announce(`${changed.domain}: recipient validation changed.`);
      } catch (error) {
        mode.input.value = d.recipientValidation;
        message.show(error);
      }
    });
    return [d.domain, mode.wrapper, d.account];
  });
  const form = domainForm({
    meta,
    onAdded: (added) => {
      void renderDomains(page).then(() => announce(`${added.domain} added as an internal domain.`));
    },
  });
  page.show(
    "Internal Domains",
    el("p", {}, "Users' addresses and aliases must be in one of these domains."),
    message.node,
    dataTable({
      caption: "Internal domains of the account",
      headers: ["Domain", "Recipient validation", "Account"],
      rows,
      empty: "No internal domains yet: add the first one below.",
    }),
    el("h2", {}, "Add domain"),
    form,
  );
}
