// A small element builder: text goes in as text nodes, never as HTML, so nothing a user typed is parsed.

/**
 * An attribute's value: false, null and undefined leave it out, true sets it empty; `on…` takes a listener.
 * @typedef {string | number | boolean | null | undefined | ((event: Event) => unknown)} AttributeValue
 */
/** A child: a node, or text; null, undefined and false are skipped. @typedef {Node | string | number | null | undefined | false} Child */

/**
 * @param {(Child | Child[])[]} children
 * @returns {(Node | string)[]}
 */
function present(children) {
  return children
    .flat()
    .filter((child) => child !== undefined && child !== null && child !== false)
    .map((child) => (typeof child === "number" ? String(child) : child));
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttributeValue>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined || value === null) continue;
    if (typeof value === "function") {
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    } else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of present(children))
    node.append(child instanceof Node ? child : document.createTextNode(child));
  return node;
}

/**
 * Replaces a node's children, skipping absent ones as el() does (replaceChildren would print "null").
 * @template {Element} N
 * @param {N} node
 * @param {...(Child | Child[])} children
 * @returns {N}
 */
export function fill(node, ...children) {
  node.replaceChildren(...present(children));
  return node;
}

let fieldCount = 0;

/**
 * A labelled input: the label's `for` names the input, so screen readers announce it.
 * @param {string} label
 * @param {Record<string, AttributeValue>} [attributes]
 * @returns {{ wrapper: HTMLDivElement, input: HTMLInputElement }}
 */
export function field(label, attributes = {}) {
  const id = String(attributes.id ?? `f${++fieldCount}`);
  const input = el("input", { ...attributes, id });
  const wrapper = el("div", { class: attributes.type === "checkbox" ? "field check" : "field" });
  if (attributes.type === "checkbox") wrapper.append(input, el("label", { for: id }, label));
  else wrapper.append(el("label", { for: id }, label), input);
  return { wrapper, input };
}
