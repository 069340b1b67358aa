// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Meta } from "../api-types.js";
import { domainForm } from "./domain-form.js";
import { newGroupForm } from "./new-group-form.js";
import { jsonReply } from "../pages/test-page.js";

const META = {
  recipientValidations: [
    { mode: "accept-all", label: "Accept all" },
    { mode: "known-recipients", label: "Known recipients" },
    { mode: "directory-users", label: "Directory users" },
  ],
} as Meta;

/** The server as the forms see it: each POST answered by `reply(url, body)`; the calls recorded. */
function stubServer(reply: (url: string, body: unknown) => [number, unknown]) {
  const calls: { url: string; body: unknown }[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
    const body: unknown = typeof init.body === "string" ? JSON.parse(init.body) : null;
    calls.push({ url, body });
    const [status, json] = reply(url, body);
    return jsonReply(json, status);
  });
  return calls;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const input = (root: ParentNode, name: string) => root.querySelector(`[name=${name}]`) as HTMLInputElement;

describe("setup forms", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("New group posts the path and hands back what the server made", async () => {
    const calls = stubServer(() => [201, { path: "Staff/London", created: ["Staff", "Staff/London"] }]);
    const made: string[][] = [];
    const form = newGroupForm({ onCreated: (path, created) => made.push([path, ...created]) });
    document.body.replaceChildren(form);
    input(form, "path").value = " Staff/London ";
    form.querySelector("form")?.requestSubmit();
    await settle();
    expect(calls).toEqual([{ url: "/api/v1/groups", body: { path: "Staff/London" } }]);
    expect(made).toEqual([["Staff/London", "Staff", "Staff/London"]]);
  });

  it("New group shows a refused path beside the field, code small", async () => {
    stubServer(() => [
      400,
      { error: { code: "group_path_invalid", message: "A group path is folder names.", details: {} } },
    ]);
    const form = newGroupForm({ onCreated: () => {} });
    document.body.replaceChildren(form);
    input(form, "path").value = "Staff//London";
    form.querySelector("form")?.requestSubmit();
    await settle();
    const slot = form.querySelector(".field-message");
    expect(slot?.querySelector(".message-text")?.textContent).toBe("A group path is folder names.");
    expect(slot?.querySelector("small.code")?.textContent).toBe("group_path_invalid");
    expect(input(form, "path").getAttribute("aria-invalid")).toBe("true");
  });

  it("Add domain posts the domain and the mode chosen, labelled as the server names them", async () => {
    const calls = stubServer((_, body) => [
      201,
      {
        domain: "example.net",
        account: "acme",
        recipientValidation: (body as { recipientValidation: string }).recipientValidation,
      },
    ]);
    const added: string[] = [];
    const form = domainForm({
      meta: META,
      domain: "example.net",
      onAdded: (d) => added.push(d.recipientValidation),
    });
    document.body.replaceChildren(form);
    const select = form.querySelector("select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      "Accept all",
      "Known recipients",
      "Directory users",
    ]);
    expect(select.value).toBe("known-recipients");
    select.value = "accept-all";
    form.requestSubmit();
    await settle();
    expect(calls).toEqual([
      { url: "/api/v1/domains", body: { domain: "example.net", recipientValidation: "accept-all" } },
    ]);
    expect(added).toEqual(["accept-all"]);
  });

  it("Add domain puts a taken domain's refusal beside the domain", async () => {
    stubServer(() => [
      409,
      { error: { code: "domain_taken", message: "example.com is already an internal domain.", details: {} } },
    ]);
    const form = domainForm({ meta: META, domain: "example.com", onAdded: () => {} });
    document.body.replaceChildren(form);
    form.requestSubmit();
    await settle();
    expect(input(form, "domain").getAttribute("aria-invalid")).toBe("true");
    expect(form.querySelector(".field-message small.code")?.textContent).toBe("domain_taken");
  });
});
