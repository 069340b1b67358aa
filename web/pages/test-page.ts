import { vi } from "vitest";
import type { Me, Permission } from "../api-types.js";
import type { Page } from "../app.js";
import { fill } from "../dom.js";

/**
 * The console's page object as a unit test drives a page with it: what the page shows lands in the element
 * `main()` returns at that moment (tests make a fresh one before each case).
 */
export function testPage(main: () => HTMLElement, me: Me): Page {
  return {
    show: (title, ...content) => void fill(main(), title, ...content),
    me,
    go: () => Promise.resolve(),
    onSignedIn: () => {},
  };
}

/** A fresh, empty `<main>` as the document's only content, for a page to show itself in. */
export function freshMain(): HTMLElement {
  const main = document.createElement("main");
  document.body.replaceChildren(main);
  return main;
}

/** admin@example.com of account CxAy, signed in with just the permissions a test gives (roles aside). */
export function signedIn(permissions: Permission[]): Me {
  return {
    email: "admin@example.com",
    name: "Admin",
    account: "CxAy",
    roles: ["Super Administrator"],
    permissions,
    passwordChange: null,
  };
}

/** A reply from a stubbed `fetch`, JSON as the API sends it. */
export function jsonReply(body: unknown, status = 200): Promise<Response> {
  return Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
  );
}

/**
 * Stubs `fetch` with a server that answers each URL with `answer(url)` as JSON; the URLs asked are recorded,
 * in order, in the list returned. (vi.unstubAllGlobals() takes the stub away.)
 */
export function stubApi(answer: (url: string) => unknown): string[] {
  const asked: string[] = [];
  vi.stubGlobal("fetch", (url: string) => {
    asked.push(url);
    return jsonReply(answer(url));
  });
  return asked;
}
