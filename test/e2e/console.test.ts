import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getUser } from "../../src/services/users/find-users.js";
import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";
import {
  downloadSheet,
  E2E_ARTIFACTS,
  firstPage,
  fitsWidth,
  requireChromium,
  screenshots,
  signInFirstAdministrator,
} from "../support/chromium.js";
import { e2eContext, useServedConsole } from "../support/e2e-seed.js";

// End to end: the real `mailroster serve` (compiled dist/, as `npm test` builds it first) on a free loopback
// port and a temporary SQLite file, driven by the Debian chromium through playwright-core. Never a
// downloaded browser.
const haveChromium = requireChromium("the console end-to-end test (test/e2e/console.test.ts)");

describe.skipIf(!haveChromium)("the console in Chromium", () => {
  const e2e = useServedConsole("console", () => [
    // A locked user to find, on the same SQLite file (WAL lets the server and the test share it).
    {
      email: "jane.doe@mailroster.local",
      name: "Jane Doe",
      locked: true,
      aliases: ["jd@mailroster.local"],
      attributes: { Department: "Sales" },
      groups: ["Staff/London"],
    },
  ]);

  const shot = screenshots();
  const noHorizontalScroll = fitsWidth;

  it("signs in with the forced change, finds a user, sets their password and unlocks them", async () => {
    const { served, open, browser } = e2e();
    const page = await firstPage(browser);
    await signInFirstAdministrator(page, served, {
      signInFilled: () => shot(page, "01-sign-in"),
      changeFilled: () => shot(page, "02-forced-password-change"),
    });
    await page.getByLabel("Search users").fill("jd@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("caption").filter({ hasText: "jd@" }).waitFor();
    await shot(page, "03-users-search");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.getByRole("link", { name: "jane.doe@mailroster.local" }).click();

    await page.getByRole("heading", { name: "jane.doe@mailroster.local" }).waitFor();
    await shot(page, "04-user-page");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.getByLabel("New password").fill("Marble-Harbour-27");
    await page.getByRole("button", { name: "Set password" }).click();
    await page.getByRole("status").filter({ hasText: "Password set." }).waitFor();
    await shot(page, "05-password-set");

    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByRole("status").filter({ hasText: "User unlocked." }).waitFor();
    await shot(page, "06-unlocked");

    await page.getByRole("link", { name: "Groups", exact: true }).click();
    await page.getByRole("button", { name: "London (1)" }).click();
    await page.getByRole("link", { name: "jane.doe@mailroster.local" }).waitFor();
    await shot(page, "07-groups");
    await page.getByRole("link", { name: "Attributes", exact: true }).click();
    await page.getByRole("cell", { name: "Department" }).waitFor();
    await shot(page, "08-attributes");
    await page.getByRole("link", { name: "Account | Password Complexity and Expiration" }).click();
    await page.getByLabel("Minimum length").waitFor();
    await shot(page, "09-password-policy");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.getByRole("link", { name: "Users & Groups | Directory Synchronization" }).click();
    await page.getByText("No directory connector is configured.").waitFor();
    await shot(page, "10-directory-sync");

    const jane = await getUser(e2eContext(open), "jane.doe@mailroster.local");
    expect(jane).toMatchObject({ locked: false, hasPassword: true, forceChangePassword: true });
  }, 60_000);

  // The same administrator, still signed in, imports users: a file with an error, then the fixed file.
  it("previews an import with an error at its cell, saves the fixed file, finds the users, downloads the report", async () => {
    const { dir, served, browser } = e2e();
    const page = await firstPage(browser);
    const workbook = (name: string, pop: string): string => {
      const rows: XlsValue[][] = [
        ["email", "name", "password", "pop"],
        ["amy.pond@mailroster.local", "Amy Pond", null, "yes"],
        ["rory.williams@mailroster.local", "Rory Williams", null, pop],
      ];
      // Passwords to hash make the save last long enough to leave the page while it runs.
      for (let i = 0; i < 30; i++)
        rows.push([`staff${i}@mailroster.local`, `Staff ${i}`, `Tidal-Lantern-${i}x`, "no"]);
      const path = join(dir, name);
      writeFileSync(path, writeXls([{ name: "Staff", rows }]));
      return path;
    };
    const bad = workbook("new-staff.xls", "perhaps");
    const fixed = workbook("new-staff-fixed.xls", "no");

    await page.getByRole("link", { name: "Users & Groups | Imports" }).click();
    await page.getByRole("heading", { name: "Imports", exact: true }).waitFor();
    expect(await page.getByLabel("Import Format").inputValue()).toBe("Mimecast Import");
    await page.getByLabel("Upload Only (No Folder)").check();
    expect(await page.getByLabel("Import Into Profile Group").isDisabled()).toBe(true);
    expect(await page.getByLabel("Group Override").isDisabled()).toBe(true);
    await page.getByLabel("Upload Only (No Folder)").uncheck();
    await shot(page, "11-imports");
    expect(await noHorizontalScroll(page)).toBe(true);

    await page.getByRole("button", { name: "Lookup" }).click();
    const dialog = page.getByRole("dialog", { name: "Choose a profile group" });
    await dialog.getByLabel("Search groups").fill("lon");
    await shot(page, "12-group-lookup");
    await dialog.getByRole("button", { name: "Staff/London" }).click();
    expect(await page.getByLabel("Import Into Profile Group").inputValue()).toBe("Staff/London");
    await page.getByLabel("Group Override").selectOption({ label: "Add to existing records" });
    await page.getByLabel("Add Note").fill("Spring intake");
    await page.getByText("13 / 100").waitFor();

    await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(bad);
    await page.getByRole("button", { name: "Preview Changes" }).click();
    await page.getByRole("heading", { name: "Spreadsheet Information" }).waitFor();
    const errorRow = page.getByRole("row").filter({ hasText: "yes_no_invalid" });
    await errorRow.getByRole("cell", { name: "D3", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await page.getByRole("status").filter({ hasText: "yes_no_invalid" }).waitFor();
    await shot(page, "13-preview-error");
    expect(await noHorizontalScroll(page)).toBe(true);

    await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(fixed);
    expect(await page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Preview Changes" }).click();
    await page.getByText("No errors: Save will make these changes.").waitFor();
    await shot(page, "14-preview-clean");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Saving" }).waitFor();
    await shot(page, "15-saving");

    // Leave while it saves, come back: the history follows the save to its end.
    await page.getByRole("link", { name: "Users", exact: true }).click();
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await page.getByRole("link", { name: "Users & Groups | Imports" }).click();
    const savedRow = page.getByRole("row").filter({ hasText: "new-staff-fixed.xls" });
    await savedRow.filter({ hasText: "Saved: 32 created" }).waitFor({ timeout: 60_000 });
    await shot(page, "16-import-history");

    await page.getByRole("link", { name: "Users", exact: true }).click();
    await page.getByLabel("Search users").fill("rory");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "rory.williams@mailroster.local" }).waitFor();
    await shot(page, "17-imported-user-found");

    await page.getByRole("link", { name: "Users & Groups | Imports" }).click();
    await page.getByRole("link", { name: "new-staff.xls", exact: true }).click();
    await page.getByRole("heading", { name: "Import of new-staff.xls" }).waitFor();
    await page.getByRole("cell", { name: "D3", exact: true }).waitFor();
    await shot(page, "18-import-detail");
    const table = await downloadSheet(page, "Download error report (.xls)", dir);
    expect(table[0]?.slice(0, 5)).toEqual(["Cell", "Row", "Column", "Code", "Message"]);
    expect(table.slice(1).map((r) => [r[0], r[3]])).toEqual([["D3", "yes_no_invalid"]]);

    // The API's docs list the upload with its multipart body.
    await page.goto(`${served.url}/api/docs`);
    // Exactly this path (Swagger UI's data-path): /imports/preview/start starts with the same text.
    const upload = page
      .locator(".opblock-post")
      .filter({ has: page.locator('[data-path="/api/v1/imports/preview"]') });
    await upload.locator(".opblock-summary").click();
    await upload.locator("option", { hasText: "multipart/form-data" }).first().waitFor({ state: "attached" });
    // The whole docs page is very long: keep just this operation.
    await upload.screenshot({ path: join(E2E_ARTIFACTS, "19-api-docs-imports.png") });
  }, 120_000);
});
