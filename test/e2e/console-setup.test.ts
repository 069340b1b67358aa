import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { writeXls } from "../../src/sheet/xls/write-xls.js";
import { firstPage, requireChromium, screenshots } from "../support/chromium.js";
import { useServedConsole } from "../support/e2e-seed.js";
import { expectNoHorizontalOverflow } from "../support/page-overflow.js";
import type { Served } from "../support/serve-process.js";

// Issue 13, the console's part: every setup job (a group, a domain from a preview's error, a user) done in
// the console, and every page without sideways scrolling at a desktop's and a phone's width. The real
// `mailroster serve` (dist/) on a temporary SQLite file, in the Debian chromium.
const WIDTHS = [
  { name: "1280", width: 1280, height: 800 },
  { name: "390", width: 390, height: 844 },
] as const;

/** Every page of the console, by its hash and the heading it shows. */
const PAGES: readonly (readonly [string, string])[] = [
  ["#/users", "Users"],
  ["#/groups", "Groups"],
  ["#/attributes", "Attributes"],
  ["#/domains", "Internal Domains"],
  ["#/policy", "Password Complexity and Expiration"],
  ["#/imports", "Imports"],
  ["#/delegates", "Delegate Mailbox Access"],
  ["#/sync", "Directory Synchronization"],
  ["#/scim", "SCIM Provisioning"],
];

const haveChromium = requireChromium("the console setup end-to-end test (test/e2e/console-setup.test.ts)");

describe.skipIf(!haveChromium)("console setup jobs and layout, in Chromium", () => {
  const e2e = useServedConsole("setup");
  let dir: string;
  let served: Served;
  let page: Page;
  const password = "Copper-Kettle-93";

  const takeShot = screenshots("setup-");
  const shot = (name: string): Promise<Buffer> => takeShot(page, name);
  const heading = (name: string) => page.getByRole("heading", { level: 1, name, exact: true });

  beforeAll(async () => {
    ({ dir, served } = e2e());
    page = await firstPage(e2e().browser);
  });

  it("signs in; the forced change shows the password rules beside the field", async () => {
    const first = served.firstSignIn;
    if (!first) throw new Error("serve printed no first sign-in");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(served.url);
    await page.getByLabel("Email").fill(first.email);
    await page.getByLabel("Password", { exact: true }).fill(first.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading("Change your password").waitFor();
    await page.getByText("Not a commonly used password").waitFor();
    await page.getByLabel("Current password").fill(first.password);
    await page.getByLabel("New password", { exact: true }).fill("short");
    await page.getByLabel("Repeat new password").fill("short");
    await page.getByRole("button", { name: "Change password" }).click();
    // The refusal beside the field, in words, the code small after it; the broken rule marked.
    const refusal = page.locator(".field-message").filter({ hasText: "does not meet the policy" });
    await refusal.waitFor();
    expect(await refusal.locator("small.code").textContent()).toBe("password_weak");
    await page.locator(".rules li.broken").first().waitFor();
    await shot("01-password-rules-390");
    await expectNoHorizontalOverflow(page, "change password at 390");
    await page.getByLabel("New password", { exact: true }).fill(password);
    await page.getByLabel("Repeat new password").fill(password);
    await page.getByRole("button", { name: "Change password" }).click();
    await heading("Users").waitFor();
  }, 60_000);

  for (const size of WIDTHS) {
    it(`shows every page without sideways scrolling at ${size.width}x${size.height}`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const [hash, title] of PAGES) {
        await page.goto(`${served.url}/${hash}`);
        await heading(title).waitFor();
        await page.waitForLoadState("networkidle");
        await expectNoHorizontalOverflow(page, `${hash} at ${size.width}`);
        const link = page.locator(`nav a[href="${hash}"]`);
        expect(await link.getAttribute("aria-current")).toBe("page");
        await shot(`page-${hash.slice(2)}-${size.name}`);
      }
      const me = served.firstSignIn?.email ?? "";
      await page.goto(`${served.url}/#/user/${encodeURIComponent(me)}`);
      await heading(me).waitFor();
      await page.waitForLoadState("networkidle");
      await expectNoHorizontalOverflow(page, `user page at ${size.width}`);
      // The details card and the forms beside (or, narrow, below) it never overlap.
      const details = await page.locator("section[aria-labelledby=details]").boundingBox();
      const forms = await page.locator("form[aria-labelledby=set-password]").boundingBox();
      if (!details || !forms) throw new Error("the user page has no details or no forms");
      const apart = details.x + details.width <= forms.x + 1 || details.y + details.height <= forms.y + 1;
      expect(apart).toBe(true);
      await shot(`page-user-${size.name}`);
    }, 120_000);
  }

  it("opens the navigation from the menu button on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${served.url}/#/users`);
    await heading("Users").waitFor();
    const menu = page.getByRole("button", { name: "Menu" });
    expect(await page.getByRole("link", { name: "Groups", exact: true }).isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await shot("02-menu-open-390");
    await page.getByRole("link", { name: "Groups", exact: true }).click();
    await heading("Groups").waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
  });

  for (const size of WIDTHS) {
    it(`creates a group, a domain from a preview's error and a user at ${size.width}`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const n = size.name;
      const domain = `w${n}.example.test`;

      await page.goto(`${served.url}/#/groups`);
      await heading("Groups").waitFor();
      await page.getByLabel("New group").fill(`Staff${n}/London`);
      await page.getByRole("button", { name: "Create group" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: `Created Staff${n}, Staff${n}/London.` })
        .waitFor();
      await page.getByRole("button", { name: new RegExp(`^Staff${n} \\(`) }).waitFor();
      await expectNoHorizontalOverflow(page, `group created at ${n}`);
      await shot(`03-group-created-${n}`);

      // A preview whose address is in a domain the account does not have: Add domain, beside the error.
      const sheet = join(dir, `domain-${n}.xls`);
      writeFileSync(
        sheet,
        writeXls([
          {
            name: "Staff",
            rows: [
              ["email", "name"],
              [`amy@${domain}`, "Amy Pond"],
            ],
          },
        ]),
      );
      await page.goto(`${served.url}/#/imports`);
      await heading("Imports").waitFor();
      await page.getByLabel("Import Into Profile Group").fill(`Staff${n}/London`);
      await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(sheet);
      await page.getByRole("button", { name: "Preview Changes" }).click();
      const errorRow = page.getByRole("row").filter({ hasText: "domain_not_internal" });
      await errorRow.waitFor();
      await expectNoHorizontalOverflow(page, `preview with a domain error at ${n}`);
      await shot(`04-preview-domain-error-${n}`);
      await errorRow.getByRole("button", { name: "Add domain" }).click();
      const dialog = page.getByRole("dialog", { name: "Add an internal domain" });
      await dialog.getByLabel("Domain", { exact: true }).fill(domain);
      await shot(`05-add-domain-dialog-${n}`);
      await dialog.getByRole("button", { name: "Add domain" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: `${domain} added` })
        .waitFor();
      await page.getByRole("button", { name: "Preview Changes" }).click();
      await page.getByText("No errors.").waitFor();
      await shot(`06-preview-after-domain-${n}`);

      await page.goto(`${served.url}/#/domains`);
      await page.locator("td", { hasText: domain }).first().waitFor();
      await expectNoHorizontalOverflow(page, `domains at ${n}`);
      await shot(`07-domains-${n}`);

      await page.goto(`${served.url}/#/users`);
      await heading("Users").waitFor();
      await page.locator("summary", { hasText: "Add user" }).click();
      const form = page.getByRole("form", { name: "Add user" });
      await form.getByLabel("Email").fill(`rory@${domain}`);
      await form.getByLabel("Name").fill("Rory Williams");
      await form.getByLabel(/^Password/).fill("rory");
      await form.getByLabel(/^Groups/).fill(`Staff${n}/London`);
      await form.getByRole("button", { name: "Add user" }).click();
      await form.locator(".field-message").filter({ hasText: "does not meet the policy" }).waitFor();
      await expectNoHorizontalOverflow(page, `add user refused at ${n}`);
      await shot(`08-add-user-refused-${n}`);
      await form.getByLabel(/^Password/).fill("Tidal-Lantern-7");
      await form.getByRole("button", { name: "Add user" }).click();
      await heading(`rory@${domain}`).waitFor();
      await page
        .getByRole("status")
        .filter({ hasText: `rory@${domain} added.` })
        .waitFor();
      await expectNoHorizontalOverflow(page, `new user at ${n}`);
      await shot(`09-user-added-${n}`);
    }, 120_000);
  }
  for (const size of WIDTHS) {
    it(`shows the API docs in the bundled viewer, under the CSP, at ${size.width}`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const blocked: string[] = [];
      const listen = (message: { type(): string; text(): string }): void => {
        if (message.type() === "error") blocked.push(message.text());
      };
      page.on("console", listen);
      await page.goto(`${served.url}/api/docs`);
      // $ref resolved, each operation listed; an example from the schemas shown in the request body.
      const create = page.locator(".opblock-post", { hasText: "/api/v1/users" }).first();
      await create.waitFor();
      await create.locator(".opblock-summary").click();
      await create.getByText("jane.doe@example.com").first().waitFor();
      // An upload's multipart body is documented too (the same selector console.test.ts uses).
      const upload = page
        .locator(".opblock-post")
        .filter({ has: page.locator('[data-path="/api/v1/imports/preview"]') });
      await upload.locator(".opblock-summary").click();
      await upload
        .locator("option", { hasText: "multipart/form-data" })
        .first()
        .waitFor({ state: "attached" });
      page.off("console", listen);
      expect(blocked.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
      await expectNoHorizontalOverflow(page, `API docs at ${size.width}`);
      await shot(`10-api-docs-${size.name}`);
    }, 60_000);
  }
});
