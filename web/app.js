// The console: a hash router over a few pages. The session is the HttpOnly cookie; this script only ever
// holds the CSRF token, which the server derives from the session.
import { call, ApiError, rememberCsrf } from "./api.js";
import { el, fill } from "./dom.js";
import { announce, announcePageShown, errorText } from "./ui.js";
import { renderChangePassword, renderSignIn } from "./pages/sign-in.js";
import { renderUser, renderUsers } from "./pages/users.js";
import { renderAttributes, renderGroups, renderPolicy } from "./pages/directory.js";
import { renderDomains } from "./pages/domains.js";
import { labelCells } from "./components/table.js";
import { renderSync } from "./pages/directory-sync.js";
import { renderDelegates } from "./pages/delegates.js";
import { renderScim } from "./pages/scim.js";
import { renderOidcClients } from "./pages/oidc-clients.js";
import { renderImports } from "./pages/imports.js";
import { renderImport } from "./pages/import-detail.js";
import { mountImportBanner } from "./components/import-banner.js";
/** @import { Me } from "./api-types.js" */
/** @import { Child } from "./dom.js" */

/**
 * What the sign-in pages are given: how to show themselves and what to do once signed in.
 * @typedef {object} SignInPage
 * @property {(title: string, ...content: Child[]) => void} show
 * @property {(me: Me) => void} onSignedIn
 */
/**
 * What every other page is given: the same, who is signed in, and how to go to another page.
 * @typedef {SignInPage & { me: Me, go: (hash: string) => Promise<void> }} Page
 */

/** @param {string} id */
function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return node;
}

const main = byId("main");
/** @type {{ me: Me | undefined }} */
const state = { me: undefined };
mountImportBanner(main, () => state.me);

/** @param {Me | undefined} me */
function showHeader(me) {
  byId("top").hidden = !me || me.passwordChange !== null;
  byId("who").textContent = me ? `${me.email} (${me.roles.join(", ")})` : "";
}

const menuButton = byId("menu-button");
const nav = byId("main-nav");

/** @param {boolean} open */
function setMenu(open) {
  menuButton.setAttribute("aria-expanded", String(open));
  nav.classList.toggle("open", open);
}

/**
 * Marks the navigation's link to the page shown (aria-current), and folds the narrow-screen menu away.
 * @param {string} hash
 */
function markCurrent(hash) {
  const section = `#/${hash.replace(/^#?\/?/, "").split(/[/?]/)[0] || "users"}`;
  const current = section === "#/user" ? "#/users" : section;
  for (const link of nav.querySelectorAll("a")) {
    if (link.getAttribute("href") === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  setMenu(false);
}

/**
 * Shows a page; moves focus to its heading so a screen reader starts there.
 * @param {string} title
 * @param {...Child} content
 */
function show(title, ...content) {
  const heading = el("h1", { tabindex: "-1" }, title);
  fill(main, heading, ...content);
  announcePageShown();
  document.title = `${title} · mailroster`;
  heading.focus();
}

async function route() {
  const hash = location.hash.replace(/^#/, "") || "/users";
  markCurrent(hash);
  if (!state.me) {
    try {
      state.me = await call("GET /auth/me");
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "not_signed_in") throw error;
    }
  }
  showHeader(state.me);
  if (!state.me) return renderSignIn({ show, onSignedIn });
  /** @type {Page} */
  const page = { show, me: state.me, go, onSignedIn };
  if (state.me.passwordChange !== null) return renderChangePassword(page);
  const [, name, ...rest] = hash.split("/");
  switch (name) {
    case "user":
      return renderUser(page, decodeURIComponent(rest.join("/")));
    case "groups":
      return renderGroups(page);
    case "attributes":
      return renderAttributes(page);
    case "domains":
      return renderDomains(page);
    case "policy":
      return renderPolicy(page);
    case "imports":
      return rest[0] ? renderImport(page, decodeURIComponent(rest[0])) : renderImports(page);
    case "delegates":
      return renderDelegates(page);
    case "sync":
      return renderSync(page);
    case "scim":
      return renderScim(page);
    case "applications":
      return renderOidcClients(page);
    default:
      return renderUsers(page);
  }
}

/** @param {Me} me */
function onSignedIn(me) {
  state.me = me;
  rememberCsrf(me.csrfToken);
  void go(me.passwordChange === null ? "#/users" : location.hash);
}

/** @param {string} hash */
async function go(hash) {
  if (location.hash !== hash) location.hash = hash;
  else await route().catch((error) => announce(errorText(error)));
}

menuButton.addEventListener("click", () => setMenu(menuButton.getAttribute("aria-expanded") !== "true"));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && nav.classList.contains("open")) {
    setMenu(false);
    menuButton.focus();
  }
});
// Every page's tables (built here or by a page's own code) get their cells labelled for the narrow layout.
new window.MutationObserver(() => labelCells(main)).observe(main, { childList: true, subtree: true });

byId("sign-out").addEventListener("click", async () => {
  await call("POST /auth/sign-out");
  state.me = undefined;
  location.hash = "#/";
  await route();
});
window.addEventListener("hashchange", () => route().catch((error) => announce(errorText(error))));
route().catch((error) => announce(errorText(error)));
