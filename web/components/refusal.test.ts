// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { renderScim } from "../pages/scim.js";
import { signedIn, testPage } from "../pages/test-page.js";
import { showRefusal } from "./refusal.js";

const NOBODY = signedIn([]);

describe("showRefusal", () => {
  it("shows the page's title and which permission the roles lack", () => {
    const main = document.createElement("main");
    showRefusal(
      testPage(() => main, NOBODY),
      "Imports",
      "importing users",
    );
    expect(main.textContent).toBe("ImportsYour roles do not include importing users.");
    expect(main.querySelector("p.card")?.textContent).toBe("Your roles do not include importing users.");
  });

  it("is what a page shows without its permission, before asking the server anything", async () => {
    const main = document.createElement("main");
    await renderScim(testPage(() => main, NOBODY));
    expect(main.querySelector("p.card")?.textContent).toBe(
      "Your roles do not include viewing the audit log.",
    );
  });
});
