import { call, enc } from "../api.js";
import { el, field } from "../dom.js";
import { announce, errorText } from "../ui.js";
import { formatNumber } from "../components/format.js";
import { fieldForm, formMessages, onSubmit } from "../components/messages.js";
import { groupTree } from "../components/group-tree.js";
import { newGroupForm } from "../components/new-group-form.js";
import { keysetPagerFor } from "../components/pager.js";
import { dataTable } from "../components/table.js";
/** @import { PasswordPolicy } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

const MEMBERS_PER_PAGE = 100;

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
  /**
   * A page of the group's direct members, with a keyset pager (a group may hold a million).
   * @param {string} path
   * @param {string | null} [cursor]
   * @param {number} [first] the position of the page's first member
   */
  const showMembers = async (path, cursor = null, first = 1) => {
    const data = await call("GET /groups/members", {
      query: { path, limit: MEMBERS_PER_PAGE, ...(cursor ? { cursor } : {}) },
    });
    const nav = keysetPagerFor(data, {
      label: "Member pages",
      shown: data.members.length,
      first,
      pageSize: MEMBERS_PER_PAGE,
      noun: "members",
      go: (move) => void showMembers(path, move.cursor, move.first).catch((e) => announce(errorText(e))),
    });
    members.replaceChildren(
      el("h2", {}, `Members of ${data.path}`),
      data.members.length
        ? el("ul", {}, ...data.members.map((m) => el("li", {}, el("a", { href: `#/user/${enc(m)}` }, m))))
        : el("p", { class: "empty" }, "No direct members."),
      ...(data.total > MEMBERS_PER_PAGE ? [nav] : []),
    );
  };
  const create = newGroupForm({
    onCreated: (path, created) =>
      void renderGroups(page).then(() =>
        announce(created.length ? `Created ${created.join(", ")}.` : `${path} already exists.`),
      ),
  });
  page.show(
    "Groups",
    create,
    el(
      "div",
      { class: "columns" },
      el(
        "section",
        { class: "card", "aria-label": "Group tree" },
        groups.length
          ? groupTree(groups, (group) =>
              el(
                "button",
                {
                  type: "button",
                  class: "link",
                  onclick: () => showMembers(group.path).catch((e) => announce(errorText(e))),
                },
                // The total with subgroups: a parent of groups holding 65k users is not "(0)".
                group.totalMembers === group.members
                  ? `${group.name} (${formatNumber(group.members)})`
                  : `${group.name} (${formatNumber(group.totalMembers)}, ${formatNumber(group.members)} direct)`,
              ),
            )
          : el("p", { class: "empty" }, "No groups yet: create the first one with New group."),
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
    dataTable({
      caption: "Custom attributes of the account",
      headers: ["Attribute", "Users with a value"],
      rows: attributes.map((a) => [a.name, formatNumber(a.users)]),
      empty: "No custom attributes yet: they are created on first use.",
    }),
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
  // policy_invalid names its field (details.field): the message goes beside that field.
  const messages = formMessages(Object.fromEntries(numbers.map((n) => [n.key, n])));
  const form = fieldForm(
    { class: "card narrow" },
    [el("p", {}, `Account ${account}`), ...numbers, ...flags],
    messages,
    "Save policy",
  );
  onSubmit(form, messages, async () => {
    await call("PATCH /password-policy", {
      body: {
        ...Object.fromEntries(numbers.map((n) => [n.key, Number(n.input.value)])),
        ...Object.fromEntries(flags.map((f) => [f.key, f.input.checked])),
      },
    });
    announce("Password policy saved.");
  });
  page.show("Password Complexity and Expiration", form);
}
