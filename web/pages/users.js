import { call, enc } from "../api.js";
import { el, field } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce, announceOnNextPage, errorText } from "../ui.js";
import { facts } from "../components/facts.js";
import { formatNumber, plural, when } from "../components/format.js";
import { fieldForm, formMessages, onSubmit } from "../components/messages.js";
import { keysetPagerFor } from "../components/pager.js";
import { passwordField } from "../components/password-rules.js";
import { searchForm } from "../components/search-form.js";
import { dataTable } from "../components/table.js";
/** @import { User } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

const PAGE_SIZE = 25;

/** How the console names each user type. @type {Record<User["type"], string>} */
const TYPE_NAMES = { directory: "Directory User", imported: "Manually Imported User", manual: "Manual user" };

/** Which form field an error code is about, on the user forms. */
const FIELD_OF_CODE = {
  address_invalid: "email",
  address_taken: "email",
  domain_not_internal: "email",
  user_name_invalid: "name",
  password_weak: "password",
  password_too_short: "password",
  password_too_long: "password",
  group_path_invalid: "groups",
  group_not_found: "groups",
  alias_limit_exceeded: "aliases",
  note_invalid: "note",
};

/**
 * A user's status in words: never empty.
 * @param {User} user
 */
export const statusOf = (user) =>
  user.locked ? "Locked" : user.forceChangePassword ? "Must change password" : "Active";

/** @param {string} text */
const commaList = (text) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * Add user: a manual user with a name, an optional password (the rules beside it) and groups.
 * @param {Page} page
 */
function addUserForm(page) {
  const email = field("Email", { type: "email", name: "email", autocomplete: "off", required: true });
  const name = field("Name", { name: "name", required: true });
  const password = passwordField("Password (optional: without one the user cannot sign in yet)", {
    required: false,
  });
  const force = field("Must change the password at first sign-in", { type: "checkbox", checked: true });
  const groups = field("Groups (comma separated, e.g. Staff/London)", { name: "groups" });
  const messages = formMessages({ email, name, password, groups }, FIELD_OF_CODE);
  const form = fieldForm(
    { class: "add-user narrow", "aria-label": "Add user" },
    [email, name, password, force, groups],
    messages,
    "Add user",
  );
  onSubmit(
    form,
    messages,
    async () => {
      password.rules.markBroken(undefined);
      const user = await call("POST /users", {
        body: {
          email: email.input.value.trim(),
          name: name.input.value.trim(),
          ...(password.input.value ? { password: password.input.value } : {}),
          forceChangePassword: force.input.checked,
          ...(groups.input.value.trim() ? { groups: commaList(groups.input.value) } : {}),
        },
      });
      announceOnNextPage(`${user.email} added.`);
      await page.go(`#/user/${enc(user.email)}`);
    },
    (error) => password.rules.markBroken(error),
  );
  return el("details", { class: "card add-user-card" }, el("summary", {}, "Add user"), form);
}

/**
 * @param {Page} page
 * @param {{ q: string, page: number }} [query]
 */
export async function renderUsers(page, query = { q: "", page: 1 }) {
  /**
   * A labelled select of [value, text] options.
   * @param {string} label
   * @param {string} name
   * @param {[string, string][]} options
   */
  const choice = (label, name, options) => {
    const select = el("select", { name }, ...options.map(([value, text]) => el("option", { value }, text)));
    return { wrapper: el("label", {}, `${label} `, select), select };
  };
  const sort = choice("Sort by", "sort", [
    ["address", "Address"],
    ["name", "Name"],
    ["type", "Type"],
    ["updated", "Last changed"],
  ]);
  const type = choice("Type", "type", [["", "Any type"], ...Object.entries(TYPE_NAMES)]);
  const status = choice("Status", "status", [
    ["", "Any status"],
    ["active", "Active"],
    ["locked", "Locked"],
  ]);
  const group = field("In group", { name: "group", placeholder: "e.g. Staff/London" });
  // The attribute filter: users whose attribute holds exactly this value (an index look-up at any size).
  const attribute = field("Attribute", { name: "attribute", placeholder: "e.g. department" });
  const attributeValue = field("Attribute value (exact)", {
    name: "attributeValue",
    placeholder: "e.g. Engineering",
  });
  const { form, search } = searchForm({
    label: "Search users",
    placeholder: "address, alias or name",
    value: query.q,
    filters: [sort, type, status, group, attribute, attributeValue].map((f) => f.wrapper),
    // The list reads the box itself, with the filters.
    onSearch: () => load(null, 1),
  });
  const results = el("div");
  let pageSize = PAGE_SIZE;
  /**
   * One keyset page of the list as the form asks for it (sort, filters, search: exact matches first).
   * @param {string | null} cursor
   * @param {number} first the position of the page's first user
   */
  const load = async (cursor, first) => {
    const q = search.input.value;
    const data = await call("GET /users", {
      query: {
        q,
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
        sort: /** @type {"address" | "name" | "type" | "updated"} */ (sort.select.value),
        ...(type.select.value ? { type: type.select.value } : {}),
        ...(status.select.value ? { status: /** @type {"locked" | "active"} */ (status.select.value) } : {}),
        ...(group.input.value.trim() ? { group: group.input.value.trim() } : {}),
        ...(attribute.input.value.trim()
          ? { attribute: attribute.input.value.trim(), attributeValue: attributeValue.input.value.trim() }
          : {}),
      },
    });
    const nav = keysetPagerFor(data, {
      label: "User pages",
      shown: data.items.length,
      first,
      pageSize,
      sizes: [25, 50, 100, 200],
      noun: "users",
      go: (move) => {
        pageSize = move.pageSize;
        load(move.cursor, move.first).catch((error) => announce(errorText(error)));
      },
    });
    const table = dataTable({
      caption: q ? `Users matching “${q}”` : "All users",
      headers: ["Email", "Name", "Type", "Aliases", "Status"],
      rows: data.items.map((user) => [
        el("a", { href: `#/user/${enc(user.email)}` }, user.email),
        user.name,
        TYPE_NAMES[user.type],
        user.aliases.join(", ") || "None",
        statusOf(user),
      ]),
      empty: q ? `No user matches “${q}”.` : "No users yet: add one with Add user, or import a spreadsheet.",
    });
    results.replaceChildren(table, nav);
    announce(`${data.totalCapped ? "More than " : ""}${plural(data.total, "user")} found.`);
  };
  sort.select.addEventListener("change", () => form.requestSubmit());
  page.show("Users", addUserForm(page), form, results);
  await load(null, 1);
}

/** @param {boolean} flag */
const yes = (flag) => (flag ? "Yes" : "No");

/**
 * A page of addresses of one direction of delegate access, and how many there are beyond it.
 * @param {{ items: string[], total: number }} list
 */
const delegateText = (list) =>
  list.items.length === 0
    ? "None"
    : list.items.join(", ") +
      (list.total > list.items.length ? ` and ${list.total - list.items.length} more` : "");

/**
 * @param {Page} page
 * @param {string} address
 */
export async function renderUser(page, address) {
  const [user, meta, delegates] = await Promise.all([
    call("GET /users/{address}", { params: { address } }),
    serverFacts(),
    call("GET /users/{address}/delegates", { params: { address }, query: { pageSize: 50 } }),
  ]);
  /**
   * Runs a change; the page is drawn again when it is done, else the error goes beside its field.
   * @param {ReturnType<typeof formMessages>} messages
   * @param {() => Promise<unknown>} work
   * @param {string} done
   * @param {(error: unknown) => void} [also]
   */
  const act = async (messages, work, done, also) => {
    messages.clear();
    try {
      await work();
      await renderUser(page, user.email);
      announce(done);
    } catch (error) {
      also?.(error);
      messages.show(error);
    }
  };
  const params = { address: user.email };

  const password = passwordField("New password");
  const force = field("Must change at next sign-in", { type: "checkbox", checked: true });
  const passwordMessages = formMessages({ password }, FIELD_OF_CODE);
  const passwordForm = fieldForm(
    { class: "card", "aria-labelledby": "set-password" },
    [el("h2", { id: "set-password" }, "Set password"), password, force],
    passwordMessages,
    "Set password",
  );
  passwordForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { password: password.input.value, forceChangePassword: force.input.checked };
    void act(
      passwordMessages,
      () => call("POST /users/{address}/password", { params, body }),
      "Password set.",
      (error) => password.rules.markBroken(error),
    );
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
  const note = field(`Add note (up to ${formatNumber(meta.noteMaxLength)} characters)`, {
    maxlength: meta.noteMaxLength,
  });
  const editMessages = formMessages({ name, aliases, note }, FIELD_OF_CODE);
  const editForm = fieldForm(
    { class: "card", "aria-labelledby": "edit" },
    [el("h2", { id: "edit" }, "Edit"), name, aliases, ...flags, note],
    editMessages,
    "Save changes",
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
    void act(editMessages, () => call("PATCH /users/{address}", { params, body }), "Changes saved.");
  });

  const actionMessages = formMessages({});
  const actions = el("div", { class: "actions" });
  if (user.locked) {
    actions.append(
      el(
        "button",
        {
          type: "button",
          onclick: () =>
            act(actionMessages, () => call("POST /users/{address}/unlock", { params }), "User unlocked."),
        },
        "Unlock",
      ),
      actionMessages.node,
    );
  }

  const trail = el("section", { "aria-labelledby": "trail" }, el("h2", { id: "trail" }, "Audit trail"));
  if (page.me.permissions.includes("view_audit")) {
    const audit = await call("GET /users/{address}/audit", { params, query: { pageSize: 20 } });
    trail.append(
      dataTable({
        caption: `The latest ${formatNumber(audit.items.length)} of ${formatNumber(audit.total)} entries`,
        headers: ["When", "Who", "What"],
        rows: audit.items.map((e) => [when(e.at), e.actor, e.action]),
        empty: "Nothing recorded yet.",
      }),
    );
  } else trail.append(el("p", {}, "Your roles do not include viewing the audit log."));

  page.show(
    user.email,
    el("p", {}, el("a", { href: "#/users" }, "Back to Users")),
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
          ["Status", statusOf(user)],
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
        el("h3", {}, "Delegate Mailbox Access"),
        facts([
          ["May open the mailboxes of", delegateText(delegates.mayOpen)],
          ["Their mailbox may be opened by", delegateText(delegates.openedBy)],
        ]),
        el("h3", {}, "Notes"),
        user.notes.length
          ? el("ul", {}, ...user.notes.map((n) => el("li", {}, `${n.text} — ${n.by}, ${when(n.at)}`)))
          : el("p", {}, "None"),
      ),
      el("div", {}, passwordForm, editForm),
    ),
    trail,
  );
}
