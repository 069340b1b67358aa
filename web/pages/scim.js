// SCIM provisioning: the base URL to paste into Entra ID or Okta, and the recent SCIM requests that changed
// something or were refused, newest first, a page at a time (GET /scim/activity).
import { call } from "../api.js";
import { el, field, fill } from "../dom.js";
import { when } from "../components/format.js";
import { showRefusal } from "../components/refusal.js";
import { announce, errorText } from "../ui.js";
/** @import { ScimActivity } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

const PAGE_SIZE = 50;

/** @param {ScimActivity} item */
function activityRow(item) {
  const outcome =
    item.errorCode === null ? String(item.status) : `${item.status} ${item.scimType ?? item.errorCode}`;
  return el(
    "tr",
    { class: item.status >= 400 ? "error" : "" },
    el("td", {}, when(item.at)),
    el("td", {}, item.token),
    el(
      "td",
      {},
      `${item.method} ${item.path}${item.operations > 1 ? ` (${item.operations} operations)` : ""}`,
    ),
    el("td", {}, outcome),
    el("td", {}, item.message ?? ""),
  );
}

/** @param {Page} page */
export async function renderScim(page) {
  if (!page.me.permissions.includes("view_audit")) {
    showRefusal(page, "SCIM Provisioning", "viewing the audit log");
    return;
  }
  const errorsOnly = field("Errors only", { type: "checkbox" });
  const results = el("div");
  const baseUrl = el("code", {});
  /** @type {string | null} */
  let next = null;
  /** @type {ScimActivity[]} */
  let shown = [];
  const more = el("button", { type: "button", hidden: "" }, "Older requests");
  /** @param {boolean} fresh */
  const load = async (fresh) => {
    const data = await call("GET /scim/activity", {
      query: {
        limit: PAGE_SIZE,
        errorsOnly: errorsOnly.input.checked ? "true" : "false",
        ...(fresh || next === null ? {} : { before: next }),
      },
    });
    fill(baseUrl, data.baseUrl);
    shown = fresh ? data.items : [...shown, ...data.items];
    next = data.next;
    more.hidden = next === null;
    const table = el(
      "table",
      { class: "scim-activity" },
      el("caption", {}, "Recent SCIM requests"),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...["When", "Token", "Request", "Status", "Message"].map((h) => el("th", { scope: "col" }, h)),
        ),
      ),
      el("tbody", {}, ...shown.map(activityRow)),
    );
    fill(results, shown.length ? table : el("p", {}, "No SCIM requests yet."));
  };
  errorsOnly.input.addEventListener(
    "change",
    () => void load(true).catch((error) => announce(errorText(error))),
  );
  more.addEventListener("click", () => void load(false).catch((error) => announce(errorText(error))));
  page.show(
    "SCIM Provisioning",
    el(
      "section",
      { class: "card", "aria-labelledby": "scim-setup" },
      el("h2", { id: "scim-setup" }, "Connect an identity provider"),
      el("p", {}, "SCIM base URL (Entra ID: Tenant URL; Okta: SCIM connector base URL): ", baseUrl),
      el(
        "p",
        {},
        "Secret token / API token: an API token made under API tokens; it acts as the administrator who made it.",
      ),
    ),
    el(
      "section",
      { class: "card", "aria-labelledby": "scim-activity" },
      el("h2", { id: "scim-activity" }, "Activity"),
      errorsOnly.wrapper,
      results,
      more,
    ),
  );
  await load(true);
}
