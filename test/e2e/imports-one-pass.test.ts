import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";
import {
  downloadSheet,
  firstPage,
  requireChromium,
  screenshots,
  signInFirstAdministrator,
} from "../support/chromium.js";
import { expectNoHorizontalOverflow } from "../support/page-overflow.js";
import { useServedConsole } from "../support/e2e-seed.js";
import type { Served } from "../support/serve-process.js";

// Issue 13, the imports part: a sheet with several kinds of errors shows them all in one preview, grouped
// by kind; the results file downloads with a Status column; fixed and uploaded again, it saves, with the
// progress banner on another page while it does; the saved import reads in the past tense. The real
// `mailroster serve` (dist/) on a temporary SQLite file, in the Debian chromium.
const DOMAIN = "mailroster.local";
/** Enough passwords to hash that the save runs for a few seconds: long enough to watch the banner. */
const GOOD_ROWS = 1200;

const haveChromium = requireChromium("the imports end-to-end test (test/e2e/imports-one-pass.test.ts)");

describe.skipIf(!haveChromium)("imports in one pass, in Chromium", () => {
  const e2e = useServedConsole("imports");
  let dir: string;
  let served: Served;
  let page: Page;

  const takeShot = screenshots("imports-");
  const shot = (name: string): Promise<Buffer> => takeShot(page, name);
  const heading = (name: string) => page.getByRole("heading", { level: 1, name, exact: true });

  beforeAll(async () => {
    ({ dir, served } = e2e());
    page = await firstPage(e2e().browser);
    await signInFirstAdministrator(page, served);
  }, 60_000);

  const goodRows = (): XlsValue[][] =>
    Array.from({ length: GOOD_ROWS }, (_, i) => [
      `user${i}@${DOMAIN}`,
      `User ${i}`,
      `Tidal-Lantern-${i}x`,
      "yes",
      // A typo'd header with values: the preview warns that it becomes an attribute.
      i === 0 ? "typo" : "",
    ]);

  it("lists every kind of error in one preview, hands back a results file, and saves the fixed file", async () => {
    const bad = join(dir, "staff.xls");
    writeFileSync(
      bad,
      writeXls([
        {
          name: "Staff",
          rows: [
            ["email", "name", "password", "pop", "emial"],
            // A bad yes/no cell and a foreign domain in one row: both reported.
            ["amy@elsewhere.test", "Amy Pond", "", "maybe", ""],
            ["bea at example", "Bea", "", "", ""],
            // A new user without a name and a weak password.
            [`rory@${DOMAIN}`, "", "abc", "", ""],
            ...goodRows(),
          ],
        },
      ]),
    );
    await page.goto(`${served.url}/#/imports`);
    await heading("Imports").waitFor();

    // A missing group is said before the file is sent.
    await page.getByLabel("Import Into Profile Group").fill("No/Such/Group");
    await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(bad);
    await page.getByRole("button", { name: "Preview Changes" }).click();
    await page.locator(".error", { hasText: "No/Such/Group" }).first().waitFor();
    await page.getByLabel("Upload Only (No Folder)").check();

    await page.getByRole("button", { name: "Preview Changes" }).click();
    const groups = page.getByRole("list", { name: "Errors by kind" });
    await groups.waitFor({ timeout: 30_000 });
    const kinds: (string | null)[] = [];
    for (const li of await groups.locator("li").all()) kinds.push(await li.getAttribute("data-code"));
    expect(kinds.sort()).toEqual(
      ["domain_not_internal", "email_invalid", "name_required", "password_weak", "yes_no_invalid"].sort(),
    );
    // The domain error offers its fix beside it.
    await groups
      .locator('li[data-code="domain_not_internal"]')
      .getByRole("button", { name: "Add domain" })
      .waitFor();
    // The header that would become an attribute is warned about, with the header it resembles.
    await page.getByText('If you meant "email"').waitFor();
    expect(await page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await shot("01-one-pass-preview-1280");
    await expectNoHorizontalOverflow(page, "preview at 1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("02-one-pass-preview-390");
    await expectNoHorizontalOverflow(page, "preview at 390");
    await page.setViewportSize({ width: 1280, height: 800 });

    // The results file: the sheet as uploaded, with Status and Error right of the last header.
    const grid = await downloadSheet(page, "Download results file (.xls)", dir);
    expect(grid[0]).toEqual(["email", "name", "password", "pop", "emial", "Status", "Error"]);
    expect(grid.slice(1, 4).map((r) => r[5])).toEqual(["Error", "Error", "Error"]);
    expect(grid[4]?.[5]).toBe("Skipped");

    // Fixed in the results file itself and uploaded again: its Status and Error columns are ignored.
    const fixedRows: XlsValue[][] = grid.map((r) => [...r]);
    fixedRows[1] = [`amy@${DOMAIN}`, "Amy Pond", "", "no", "", "Error", "was wrong"];
    fixedRows[2] = [`bea@${DOMAIN}`, "Bea", "", "", "", "Error", "was wrong"];
    fixedRows[3] = [`rory@${DOMAIN}`, "Rory Williams", "Tidal-Lantern-77", "", "", "Error", "was wrong"];
    const fixed = join(dir, "staff-fixed.xls");
    writeFileSync(fixed, writeXls([{ name: "Staff", rows: fixedRows }]));
    await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(fixed);
    await page.getByRole("button", { name: "Preview Changes" }).click();
    await page.getByText("No errors: Save will make these changes.").waitFor({ timeout: 30_000 });
    await shot("03-fixed-preview-1280");

    // The file creates the attribute "emial": the console asks before saving.
    let asked = "";
    page.once("dialog", (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Saving" }).waitFor();
    expect(asked).toContain("emial");

    // On another page (and after a reload) the banner shows the save's stage and percent.
    await page.getByRole("link", { name: "Users", exact: true }).click();
    await heading("Users").waitFor();
    const banner = page.locator(".import-banner");
    await banner.getByText(/Importing staff-fixed\.xls: .*%/).waitFor({ timeout: 30_000 });
    await shot("04-banner-users-1280");
    await page.reload();
    await banner.getByText("Importing staff-fixed.xls").waitFor({ timeout: 30_000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("05-banner-users-390");
    await expectNoHorizontalOverflow(page, "banner at 390");
    await page.setViewportSize({ width: 1280, height: 800 });
    await banner.waitFor({ state: "hidden", timeout: 120_000 });

    // The saved import, in the past tense, with the users it created.
    await page.goto(`${served.url}/#/imports`);
    await page.getByRole("link", { name: "staff-fixed.xls" }).first().click();
    await page.getByRole("heading", { name: "Import saved" }).waitFor();
    await page.getByText(`Created ${(GOOD_ROWS + 3).toLocaleString("en-US")} users, updated 0`).waitFor();
    await page.getByRole("link", { name: `amy@${DOMAIN}` }).waitFor();
    expect(await page.getByText("Users to create").count()).toBe(0);
    await shot("06-saved-results-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("07-saved-results-390");
    await expectNoHorizontalOverflow(page, "results at 390");
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 240_000);
});
