// The console: a hash router over a few pages. The session is the HttpOnly cookie; this script only ever
// holds the CSRF token, which the server derives from the session.
import { api, ApiError, rememberCsrf } from "./api.js";
import { el } from "./dom.js";
import { announce, errorText } from "./ui.js";
import { renderChangePassword, renderSignIn } from "./pages/sign-in.js";
import { renderUser, renderUsers } from "./pages/users.js";
import { renderAttributes, renderGroups, renderPolicy, renderSync } from "./pages/directory.js";
import { renderImport, renderImports } from "./pages/imports.js";

const main = document.getElementById("main");
const state = { me: undefined };

function showHeader(me) {
  document.getElementById("top").hidden = !me || me.passwordChange !== null;
  document.getElementById("who").textContent = me ? `${me.email} (${me.roles.join(", ")})` : "";
}

/** Shows a page; moves focus to its heading so a screen reader starts there. */
function show(title, ...content) {
  const heading = el("h1", { tabindex: "-1" }, title);
  main.replaceChildren(heading, ...content);
  announce("");
  document.title = `${title} · mailroster`;
  heading.focus();
}

async function route() {
  const hash = location.hash.replace(/^#/, "") || "/users";
  if (!state.me) {
    try {
      state.me = await api("GET", "/auth/me");
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "not_signed_in") throw error;
    }
  }
  showHeader(state.me);
  const page = { show, me: state.me, go, onSignedIn };
  if (!state.me) return renderSignIn(page);
  if (state.me.passwordChange !== null) return renderChangePassword(page);
  const [, name, ...rest] = hash.split("/");
  switch (name) {
    case "user":
      return renderUser(page, decodeURIComponent(rest.join("/")));
    case "groups":
      return renderGroups(page);
    case "attributes":
      return renderAttributes(page);
    case "policy":
      return renderPolicy(page);
    case "imports":
      return rest[0] ? renderImport(page, decodeURIComponent(rest[0])) : renderImports(page);
    case "sync":
      return renderSync(page);
    default:
      return renderUsers(page);
  }
}

function onSignedIn(me) {
  state.me = me;
  rememberCsrf(me.csrfToken);
  void go(me.passwordChange === null ? "#/users" : location.hash);
}

async function go(hash) {
  if (location.hash !== hash) location.hash = hash;
  else await route().catch((error) => announce(errorText(error)));
}

document.getElementById("sign-out").addEventListener("click", async () => {
  await api("POST", "/auth/sign-out");
  state.me = undefined;
  location.hash = "#/";
  await route();
});
window.addEventListener("hashchange", () => route().catch((error) => announce(errorText(error))));
route().catch((error) => announce(errorText(error)));
