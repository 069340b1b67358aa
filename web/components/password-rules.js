// The password rules in force, beside a password field: asked of the server (GET /password-policy/rules),
// which words them from the rulebook, so the console keeps no copy of the policy.
import { ApiError, call } from "../api.js";
import { el, field, fill } from "../dom.js";
/** @import { PasswordRules } from "../api-types.js" */

/** @type {Map<string, Promise<PasswordRules>>} */
const asked = new Map();

/**
 * The rules of an account (the signed-in administrator's own when absent), asked once per page load.
 * @param {string} [account]
 * @returns {Promise<PasswordRules>}
 */
export function loadPasswordRules(account) {
  const key = account ?? "";
  let rules = asked.get(key);
  if (!rules) {
    rules = call("GET /password-policy/rules", { query: account ? { account } : {} });
    rules.catch(() => asked.delete(key));
    asked.set(key, rules);
  }
  return rules;
}

let listCount = 0;

/**
 * The rules as a list the field is described by; after a `password_weak` refusal the broken ones are marked.
 * @param {HTMLInputElement} input
 * @param {{ account?: string, load?: (account?: string) => Promise<PasswordRules> }} [options]
 */
export function passwordRules(input, { account, load = loadPasswordRules } = {}) {
  const id = `password-rules-${++listCount}`;
  const list = el("ul");
  const node = el("div", { class: "rules", id }, el("p", {}, "The password needs:"), list);
  const described = input.getAttribute("aria-describedby");
  input.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
  const ready = load(account).then(
    ({ rules }) => {
      fill(list, ...rules.map((rule) => el("li", { "data-code": rule.code }, rule.text)));
    },
    () => {
      // The field still works: the server checks every password and says which rule it broke.
      node.hidden = true;
    },
  );
  return {
    node,
    ready,
    /**
     * Marks the rules a refusal names (details.rules of password_weak); clears the marks on anything else.
     * @param {unknown} error
     */
    markBroken(error) {
      const broken =
        error instanceof ApiError && Array.isArray(error.details.rules)
          ? error.details.rules.map(String)
          : [];
      for (const item of list.querySelectorAll("li")) {
        const code = item.getAttribute("data-code") ?? "";
        item.classList.toggle("broken", broken.includes(code));
      }
    },
  };
}

/**
 * A password field with the account's rules beside it, as every password field of the console has.
 * @param {string} label
 * @param {{ required?: boolean }} [options]
 */
export function passwordField(label, { required = true } = {}) {
  const password = field(label, {
    type: "password",
    name: "password",
    autocomplete: "new-password",
    required,
  });
  const rules = passwordRules(password.input);
  password.wrapper.append(rules.node);
  return { ...password, rules };
}
