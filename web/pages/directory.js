import { call, enc } from "../api.js";
import { el, field } from "../dom.js";
import { announce, errorText } from "../ui.js";
/** @import { GroupNode, PasswordPolicy } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

/**
 * The group tree as nested lists (a tree a screen reader reads as nested lists); a group opens its members.
 * @param {Page} page
 */
export async function renderGroups(page) {
  const groups = await call("GET /groups");
  const members = el(
    "section",
    { class: "card", "aria-live": "polite" },
    el("p", {}, "Choose a group to see its members."),
  );
  /** @type {Map<string, GroupNode[]>} */
  const children = new Map();
  for (const group of groups) {
    const key = group.parent ?? "";
    const siblings = children.get(key);
    if (siblings) siblings.push(group);
    else children.set(key, [group]);
  }
  /** @param {string} path */
  const showMembers = async (path) => {
    const data = await call("GET /groups/members", { query: { path } });
    members.replaceChildren(
      el("h2", {}, `Members of ${data.path}`),
      data.members.length
        ? el("ul", {}, ...data.members.map((m) => el("li", {}, el("a", { href: `#/user/${enc(m)}` }, m))))
        : el("p", {}, "No direct members."),
    );
  };
  /**
   * @param {string} parent
   * @returns {HTMLUListElement}
   */
  const build = (parent) =>
    el(
      "ul",
      { class: "tree" },
      ...(children.get(parent) ?? []).map((group) =>
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: "link",
              onclick: () => showMembers(group.path).catch((e) => announce(errorText(e))),
            },
            `${group.name} (${group.members})`,
          ),
          children.has(group.path) ? build(group.path) : null,
        ),
      ),
    );
  page.show(
    "Groups",
    el(
      "div",
      { class: "columns" },
      el(
        "section",
        { class: "card", "aria-label": "Group tree" },
        groups.length ? build("") : el("p", {}, "No groups yet."),
      ),
      members,
    ),
  );
}

/** @param {Page} page */
export async function renderAttributes(page) {
  const attributes = await call("GET /attributes");
  page.show(
    "Attributes",
    attributes.length
      ? el(
          "table",
          {},
          el("caption", {}, "Custom attributes of the account"),
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              el("th", { scope: "col" }, "Attribute"),
              el("th", { scope: "col" }, "Users with a value"),
            ),
          ),
          el(
            "tbody",
            {},
            ...attributes.map((a) => el("tr", {}, el("td", {}, a.name), el("td", {}, String(a.users)))),
          ),
        )
      : el("p", {}, "No custom attributes yet: they are created on first use."),
  );
}

/** @type {[keyof PasswordPolicy, string][]} */
const NUMBERS = [
  ["minLength", "Minimum length"],
  ["minClasses", "At least this many of upper, lower, digit, symbol (0 to 4)"],
  ["maxAgeDays", "Maximum age in days (0: never expires)"],
  ["history", "Remembered previous passwords"],
  ["lockoutThreshold", "Lock out after this many failed sign-ins (0: never)"],
  ["lockoutMinutes", "Lockout minutes"],
];
/** @type {[keyof PasswordPolicy, string][]} */
const FLAGS = [
  ["requireUpper", "Require an upper-case letter"],
  ["requireLower", "Require a lower-case letter"],
  ["requireDigit", "Require a digit"],
  ["requireSymbol", "Require a symbol"],
  ["refuseCommon", "Refuse the most common passwords"],
];

/** @param {Page} page */
export async function renderPolicy(page) {
  const { account, policy } = await call("GET /password-policy");
  const numbers = NUMBERS.map(([key, label]) => ({
    key,
    ...field(label, { type: "number", min: 0, value: policy[key], required: true }),
  }));
  const flags = FLAGS.map(([key, label]) => ({
    key,
    ...field(label, { type: "checkbox", checked: policy[key] }),
  }));
  const message = el("p", { class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "card narrow" },
    el("p", {}, `Account ${account}`),
    ...numbers.map((n) => n.wrapper),
    ...flags.map((f) => f.wrapper),
    message,
    el("button", { type: "submit" }, "Save policy"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      await call("PATCH /password-policy", {
        body: {
          ...Object.fromEntries(numbers.map((n) => [n.key, Number(n.input.value)])),
          ...Object.fromEntries(flags.map((f) => [f.key, f.input.checked])),
        },
      });
      announce("Password policy saved.");
    } catch (error) {
      message.textContent = errorText(error);
    }
  });
  page.show("Password Complexity and Expiration", form);
}

/**
 * No connector exists in this version of the directory: the page says so rather than pretend.
 * @param {Page} page
 */
export function renderSync(page) {
  page.show(
    "Directory Synchronization",
    el(
      "section",
      { class: "card" },
      el("p", {}, "No directory connector is configured."),
      el("p", {}, "Users come from the console, the command line and the API."),
    ),
  );
}
