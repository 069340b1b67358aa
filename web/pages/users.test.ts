// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderUsers } from "./users.js";
import { freshMain, signedIn, stubApi, testPage } from "./test-page.js";

const ME = signedIn(["manage_users"]);

describe("the users page", () => {
  let main: HTMLElement;
  let asked: string[] = [];
  beforeEach(() => {
    main = freshMain();
    asked = stubApi((url) =>
      url.startsWith("/api/v1/users?")
        ? {
            items: [],
            total: 0,
            totalCapped: false,
            page: 1,
            pageSize: 25,
            nextCursor: null,
            prevCursor: null,
          }
        : url.startsWith("/api/v1/password-policy/rules")
          ? { account: "CxAy", rules: [{ code: "min_length", text: "at least 12 characters" }] }
          : {},
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const input = (label: string) => {
    const tag = [...main.querySelectorAll("label")].find((l) => l.textContent === label);
    return main.querySelector(`#${tag?.getAttribute("for") ?? "missing"}`) as HTMLInputElement;
  };

  it("filters by an attribute's exact value, as the API's indexed filter", async () => {
    await renderUsers(testPage(() => main, ME));
    input("Attribute").value = "department";
    input("Attribute value (exact)").value = "Sales";
    main.querySelector<HTMLFormElement>("form.search")?.requestSubmit();
    await vi.waitFor(() => {
      expect(asked.at(-1)).toContain("attribute=department&attributeValue=Sales");
    });
    // Without an attribute the value alone is not sent.
    input("Attribute").value = "";
    main.querySelector<HTMLFormElement>("form.search")?.requestSubmit();
    await vi.waitFor(() => {
      expect(asked.filter((u) => u.startsWith("/api/v1/users?"))).toHaveLength(3);
    });
    expect(asked.at(-1)).not.toContain("attribute");
  });
});
