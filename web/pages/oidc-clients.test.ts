// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OidcClient } from "../api-types.js";
import { renderOidcClients } from "./oidc-clients.js";
import { freshMain, jsonReply, signedIn, testPage } from "./test-page.js";

const ME = signedIn(["manage_applications"]);

const client = (clientId: string, name: string): OidcClient => ({
  clientId,
  name,
  account: "CxAy",
  redirectUris: [`https://${name.toLowerCase()}.example.com/callback`],
  public: false,
  createdBy: "admin@example.com",
  createdAt: "2026-01-05T09:00:00.000Z",
});

describe("the OpenID Connect applications page", () => {
  let main: HTMLElement;
  const calls: { method: string; url: string; body: unknown }[] = [];
  let stored: OidcClient[];

  beforeEach(() => {
    main = freshMain();
    calls.length = 0;
    stored = [client("c-wiki", "Wiki")];
    vi.stubGlobal("fetch", (url: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
      calls.push({ method, url, body });
      if (url.startsWith("/oidc/.well-known")) return jsonReply({ issuer: "https://mail.example.com/oidc" });
      if (method === "GET") return jsonReply({ items: stored, next: null });
      if (method === "DELETE") {
        const removed = stored.find((c) => url.endsWith(c.clientId));
        stored = stored.filter((c) => c !== removed);
        return jsonReply(removed);
      }
      const { name } = body as { name: string };
      if (name === "Bad/Name") {
        return jsonReply(
          {
            error: {
              code: "oidc_client_name_invalid",
              message: "A name is 1 to 100 characters.",
              details: {},
            },
          },
          400,
        );
      }
      const made = client("c-new", name);
      stored = [...stored, made];
      return jsonReply({ clientId: made.clientId, clientSecret: "s3cret-shown-once", client: made }, 201);
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const page = testPage(() => main, ME);
  const rows = () => [...main.querySelectorAll("tbody tr")].map((r) => r.textContent);
  const button = (text: string) => [...main.querySelectorAll("button")].find((b) => b.textContent === text);

  async function register(name: string): Promise<void> {
    const form = main.querySelector("form");
    const input = form?.querySelector<HTMLInputElement>("input[name=name]");
    const uris = form?.querySelector("textarea");
    if (!form || !input || !uris) throw new Error("no registration form");
    input.value = name;
    uris.value = "https://new.example.com/callback\nhttps://new.example.com/other";
    form.requestSubmit();
    await vi.waitFor(() => {
      expect(calls.some((c) => c.method === "POST")).toBe(true);
    });
  }

  it("lists the applications with the discovery URL the server announces", async () => {
    await renderOidcClients(page);
    expect(main.querySelector("p code")?.textContent).toBe(
      "https://mail.example.com/oidc/.well-known/openid-configuration",
    );
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toContain("c-wiki");
    expect(rows()[0]).toContain("Confidential");
  });

  it("registers an application and shows its secret once, above the list", async () => {
    await renderOidcClients(page);
    await register("New App");
    await vi.waitFor(() => {
      expect(main.textContent).toContain("s3cret-shown-once");
    });
    const post = calls.find((c) => c.method === "POST");
    expect(post?.body).toEqual({
      name: "New App",
      redirectUris: ["https://new.example.com/callback", "https://new.example.com/other"],
      public: false,
    });
    expect(rows()).toHaveLength(2);
    // Shown once: the page drawn again (a reload, a removal) has no secret.
    await renderOidcClients(page);
    expect(main.textContent).not.toContain("s3cret-shown-once");
  });

  it("puts a refused name's message beside the Name field", async () => {
    await renderOidcClients(page);
    await register("Bad/Name");
    await vi.waitFor(() => {
      const input = main.querySelector("input[name=name]");
      expect(input?.getAttribute("aria-invalid")).toBe("true");
    });
    expect(rows()).toHaveLength(1);
  });

  it("removes an application after the administrator confirms", async () => {
    vi.stubGlobal("confirm", () => true);
    await renderOidcClients(page);
    button("Remove Wiki")?.click();
    await vi.waitFor(() => {
      expect(main.textContent).toContain("No application registered yet.");
    });
    expect(calls.find((c) => c.method === "DELETE")?.url).toBe("/api/v1/oidc-clients/c-wiki");
  });

  it("tells an administrator without manage_applications that the page is not theirs", async () => {
    await renderOidcClients({ ...page, me: { ...ME, permissions: [] } });
    expect(main.textContent).toContain("do not include managing applications");
    expect(calls).toEqual([]);
  });
});
