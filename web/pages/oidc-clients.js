// OpenID Connect: the applications that sign users in with the directory. Register one (its secret is shown
// here once), see the discovery URL to give it, and remove one (its sign-ins and tokens stop at once).
import { call } from "../api.js";
import { el, field } from "../dom.js";
import { when } from "../components/format.js";
import { fieldForm, formMessages, messageBox, onSubmit } from "../components/messages.js";
import { dataTable } from "../components/table.js";
import { showRefusal } from "../components/refusal.js";
import { announce } from "../ui.js";
/** @import { OidcClient, OidcClientCreated, OidcClientPage } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

const TITLE = "Applications | OpenID Connect";

/** The issuer as the server announces it (its discovery document), never guessed here. */
async function discoveryUrl() {
  const url = "/oidc/.well-known/openid-configuration";
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) return undefined;
  const { issuer } = /** @type {{ issuer: string }} */ (await response.json());
  return `${issuer}/.well-known/openid-configuration`;
}

/** @param {OidcClientCreated} created */
function secretCard(created) {
  return el(
    "section",
    { class: "card", "aria-labelledby": "oidc-created" },
    el("h2", { id: "oidc-created" }, `${created.client.name} registered`),
    el(
      "dl",
      {},
      el("dt", {}, "Client id"),
      el("dd", {}, el("code", {}, created.clientId)),
      el("dt", {}, "Client secret"),
      el(
        "dd",
        {},
        created.clientSecret === null
          ? "None: a public client signs in with PKCE."
          : el("code", {}, created.clientSecret),
      ),
    ),
    el("p", {}, "Copy the secret now: it is not shown again."),
  );
}

/** @param {Page} page @param {OidcClientCreated} [created] */
export async function renderOidcClients(page, created) {
  if (!page.me.permissions.includes("manage_applications")) {
    showRefusal(page, TITLE, "managing applications");
    return;
  }
  /** @type {OidcClient[]} */
  const clients = [];
  /** @type {string | null} */
  let after = null;
  do {
    /** @type {OidcClientPage} */
    const data = await call("GET /oidc-clients", { query: after === null ? {} : { after } });
    clients.push(...data.items);
    after = data.next;
    // Bounded: an account registers a handful of applications; past 1,000 the CLI lists them all.
  } while (after !== null && clients.length < 1000);
  const discovery = await discoveryUrl().catch(() => undefined);
  const message = messageBox();
  const rows = clients.map((client) => {
    const remove = el("button", { type: "button", class: "secondary" }, `Remove ${client.name}`);
    remove.addEventListener("click", async () => {
      if (!window.confirm(`Remove ${client.name}? Its users are signed out of it at once.`)) return;
      try {
        await call("DELETE /oidc-clients/{clientId}", { params: { clientId: client.clientId } });
        await renderOidcClients(page);
        announce(`${client.name} removed.`);
      } catch (error) {
        message.show(error);
      }
    });
    return [
      client.name,
      el("code", {}, client.clientId),
      client.redirectUris.join("\n"),
      client.public ? "Public (PKCE)" : "Confidential",
      when(client.createdAt),
      remove,
    ];
  });

  const name = field("Name", { name: "name", required: true, maxlength: 100 });
  const urisId = "oidc-redirect-uris";
  const uris = el("textarea", { id: urisId, name: "redirectUris", required: true, rows: 3 });
  const isPublic = field("Public client (a browser or native app: no secret, PKCE required)", {
    type: "checkbox",
    name: "public",
  });
  const messages = formMessages({ name }, { oidc_client_name_invalid: "name" });
  const form = fieldForm(
    { class: "card narrow", "aria-label": "Register an application" },
    [
      name,
      el("div", { class: "field" }, el("label", { for: urisId }, "Redirect URIs (one a line)"), uris),
      isPublic,
    ],
    messages,
    "Register application",
  );
  onSubmit(form, messages, async () => {
    const made = await call("POST /oidc-clients", {
      body: {
        name: name.input.value.trim(),
        redirectUris: uris.value.split(/\s+/).filter((u) => u !== ""),
        public: isPublic.input.checked,
      },
    });
    await renderOidcClients(page, made);
    announce(`${made.client.name} registered.`);
  });

  page.show(
    TITLE,
    el(
      "p",
      {},
      "Applications sign your users in with their directory address and password. Discovery URL: ",
      el("code", {}, discovery ?? "OpenID Connect is off (the server has no MAILROSTER_SECRET_KEY)"),
    ),
    created ? secretCard(created) : null,
    message.node,
    dataTable({
      caption: "Registered applications",
      headers: ["Name", "Client id", "Redirect URIs", "Type", "Registered", ""],
      rows,
      empty: "No application registered yet.",
    }),
    el("h2", {}, "Register an application"),
    form,
  );
}
