import { call, enc } from "../api.js";
import { el, field } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce, errorText } from "../ui.js";
import { facts } from "../components/facts.js";
import { when } from "../components/format.js";
import { pageCount, pager } from "../components/pager.js";
/** @import { User } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

const PAGE_SIZE = 25;

/** How the console names each user type. @type {Record<User["type"], string>} */
const TYPE_NAMES = { directory: "Directory User", imported: "Manually Imported User", manual: "Manual user" };

/**
 * @param {Page} page
 * @param {{ q: string, page: number }} [query]
 */
export async function renderUsers(page, query = { q: "", page: 1 }) {
  const search = field("Search users", {
    type: "search",
    name: "q",
    value: query.q,
    placeholder: "address, alias, name or attribute",
  });
  const form = el(
    "form",
    { class: "search", role: "search" },
    search.wrapper,
    el("button", { type: "submit" }, "Search"),
  );
  const results = el("div");
  /**
   * @param {string} q
   * @param {number} number
   */
  const load = async (q, number) => {
    const data = await call("GET /users", { query: { q, page: number, pageSize: PAGE_SIZE } });
    const rows = data.items.map((user) =>
      el(
        "tr",
        {},
        el("td", {}, el("a", { href: `#/user/${enc(user.email)}` }, user.email)),
        el("td", {}, user.name),
        el("td", {}, user.type),
        el("td", {}, user.aliases.join(", ")),
        el("td", {}, user.locked ? "Locked" : ""),
      ),
    );
    const nav = pager({
      label: "Pages",
      page: number,
      pages: pageCount(data.total, PAGE_SIZE),
      go: (next) => void load(q, next),
      suffix: ` (${data.total} users)`,
      always: true,
    });
    const table = el(
      "table",
      {},
      el("caption", {}, q ? `Users matching “${q}”` : "All users"),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...["Email", "Name", "Type", "Aliases", "Status"].map((h) => el("th", { scope: "col" }, h)),
        ),
      ),
      el("tbody", {}, ...rows),
    );
    results.replaceChildren(table, ...(nav ? [nav] : []));
    announce(data.total === 1 ? "1 user found." : `${data.total} users found.`);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(search.input.value, 1).catch((error) => announce(errorText(error)));
  });
  page.show("Users", form, results);
  await load(query.q, query.page);
}

/** @param {boolean} flag */
const yes = (flag) => (flag ? "Yes" : "No");

/**
 * @param {Page} page
 * @param {string} address
 */
export async function renderUser(page, address) {
  const [user, meta] = await Promise.all([
    call("GET /users/{address}", { params: { address } }),
    serverFacts(),
  ]);
  const message = el("p", { class: "error", role: "alert" });
  /**
   * @param {() => Promise<unknown>} work
   * @param {string} done
   */
  const act = async (work, done) => {
    message.textContent = "";
    try {
      await work();
      await renderUser(page, user.email);
      announce(done);
    } catch (error) {
      message.textContent = errorText(error);
    }
  };
  const params = { address: user.email };

  const password = field("New password", { type: "password", autocomplete: "new-password", required: true });
  const force = field("Must change at next sign-in", { type: "checkbox", checked: true });
  const passwordForm = el(
    "form",
    { class: "card", "aria-labelledby": "set-password" },
    el("h2", { id: "set-password" }, "Set password"),
    password.wrapper,
    force.wrapper,
    el("button", { type: "submit" }, "Set password"),
  );
  passwordForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { password: password.input.value, forceChangePassword: force.input.checked };
    void act(() => call("POST /users/{address}/password", { params, body }), "Password set.");
  });

  const name = field("Name", { value: user.name, required: true });
  const aliases = field("Aliases (comma separated)", { value: user.aliases.join(", ") });
  /** @type {["pop" | "submit" | "passwordNeverExpires" | "forceChangePassword", string][]} */
  const flagLabels = [
    ["pop", "Allow POP3"],
    ["submit", "Allow SMTP submission"],
    ["passwordNeverExpires", "Password never expires"],
    ["forceChangePassword", "Force password change at next sign-in"],
  ];
  const flags = flagLabels.map(([key, label]) => ({
    key,
    ...field(label, { type: "checkbox", checked: user[key] }),
  }));
  const note = field("Add note", { maxlength: meta.noteMaxLength });
  const editForm = el(
    "form",
    { class: "card", "aria-labelledby": "edit" },
    el("h2", { id: "edit" }, "Edit"),
    name.wrapper,
    aliases.wrapper,
    ...flags.map((f) => f.wrapper),
    note.wrapper,
    el("button", { type: "submit" }, "Save changes"),
  );
  editForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {
      name: name.input.value,
      aliases: aliases.input.value
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean),
      ...Object.fromEntries(flags.map((f) => [f.key, f.input.checked])),
      ...(note.input.value.trim() ? { notes: [note.input.value] } : {}),
    };
    void act(() => call("PATCH /users/{address}", { params, body }), "Changes saved.");
  });

  const actions = el("div", { class: "actions" });
  if (user.locked) {
    actions.append(
      el(
        "button",
        {
          type: "button",
          onclick: () => act(() => call("POST /users/{address}/unlock", { params }), "User unlocked."),
        },
        "Unlock",
      ),
    );
  }

  const trail = el("section", { "aria-labelledby": "trail" }, el("h2", { id: "trail" }, "Audit trail"));
  if (page.me.permissions.includes("view_audit")) {
    const audit = await call("GET /users/{address}/audit", { params, query: { pageSize: 20 } });
    trail.append(
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, ...["When", "Who", "What"].map((h) => el("th", { scope: "col" }, h)))),
        el(
          "tbody",
          {},
          ...audit.items.map((e) =>
            el("tr", {}, el("td", {}, when(e.at)), el("td", {}, e.actor), el("td", {}, e.action)),
          ),
        ),
      ),
    );
  } else trail.append(el("p", {}, "Your roles do not include viewing the audit log."));

  page.show(
    user.email,
    el("p", {}, el("a", { href: "#/users" }, "Back to Users")),
    message,
    actions,
    el(
      "div",
      { class: "columns" },
      el(
        "section",
        { class: "card", "aria-labelledby": "details" },
        el("h2", { id: "details" }, "Details"),
        facts([
          ["Name", user.name],
          ["Type", TYPE_NAMES[user.type]],
          ["Account", user.account],
          ["Locked out", yes(user.locked)],
          ["Has a password", yes(user.hasPassword)],
          ["Force change at next sign-in", yes(user.forceChangePassword)],
          ["Password never expires", yes(user.passwordNeverExpires)],
          ["Allow POP3", yes(user.pop)],
          ["Allow SMTP submission", yes(user.submit)],
          ["Aliases", user.aliases.join(", ") || "None"],
          ["Groups", user.groups.join(", ") || "None"],
          ["Roles", user.roles.join(", ") || "None"],
        ]),
        el("h3", {}, "Attributes"),
        Object.keys(user.attributes).length ? facts(Object.entries(user.attributes)) : el("p", {}, "None"),
        el("h3", {}, "Notes"),
        user.notes.length
          ? el("ul", {}, ...user.notes.map((n) => el("li", {}, `${n.text} — ${n.by}, ${n.at.slice(0, 10)}`)))
          : el("p", {}, "None"),
      ),
      el("div", {}, passwordForm, editForm),
    ),
    trail,
  );
}
