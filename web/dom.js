// A small element builder: text goes in as text nodes, never as HTML, so nothing a user typed is parsed.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined || value === null) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces a node's children, skipping absent ones as el() does (replaceChildren would print "null"). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

let fieldCount = 0;

/** A labelled input: the label's `for` names the input, so screen readers announce it. */
export function field(label, attributes = {}) {
  const id = attributes.id ?? `f${++fieldCount}`;
  const input = el("input", { ...attributes, id });
  const wrapper = el("div", { class: attributes.type === "checkbox" ? "field check" : "field" });
  if (attributes.type === "checkbox") wrapper.append(input, el("label", { for: id }, label));
  else wrapper.append(el("label", { for: id }, label), input);
  return { wrapper, input };
}
