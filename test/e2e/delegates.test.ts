import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";
import { firstPage, requireChromium, screenshots, signInFirstAdministrator } from "../support/chromium.js";
import { useServedConsole } from "../support/e2e-seed.js";

// A delegate import story end to end: the compiled `mailroster serve` on a loopback port and a temporary
// SQLite file, driven by the Debian chromium through playwright-core (see console.test.ts).
const haveChromium = requireChromium("the delegates end-to-end test (test/e2e/delegates.test.ts)");
const DOMAIN = "mailroster.local";

describe.skipIf(!haveChromium)("delegate mailbox access in Chromium", () => {
  const e2e = useServedConsole("delegates", () => [
    { email: `ann@${DOMAIN}`, name: "Ann Archer" },
    { email: `bob@${DOMAIN}`, name: "Bob Baker", aliases: [`robert@${DOMAIN}`] },
    { email: `cat@${DOMAIN}`, name: "Cat Carter" },
  ]);

  const shot = screenshots();
  const sheet = (name: string, rows: XlsValue[][]): string => {
    const path = join(e2e().dir, name);
    writeFileSync(
      path,
      writeXls([{ name: "Delegates", rows: [["primary", "delegate", "action"], ...rows] }]),
    );
    return path;
  };

  it("uploads, shows an error at its cell, saves the fixed file, lists the pairs and both directions", async () => {
    const { served, browser } = e2e();
    const page = await firstPage(browser);
    await signInFirstAdministrator(page, served);

    await page.getByRole("link", { name: "Delegate Mailbox Access" }).click();
    await page.getByRole("heading", { name: "Delegate Mailbox Access" }).waitFor();
    await page.getByText("No delegate access.").waitFor();

    const bad = sheet("delegates-bad.xls", [
      [`ann@${DOMAIN}`, `robert@${DOMAIN}`, ""],
      [`ann@${DOMAIN}`, `nobody@${DOMAIN}`, ""],
    ]);
    await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(bad);
    await page.getByRole("button", { name: "Preview Changes" }).click();
    const info = page.getByRole("region", { name: "Spreadsheet Information" });
    await info.getByText("1 error").first().waitFor();
    expect(await info.locator("dl").innerText()).toMatch(/Rows read\s+2[\s\S]*Pairs to add\s+1/);
    await info.getByRole("cell", { name: "B3", exact: true }).waitFor();
    await info.getByRole("cell", { name: "delegate_user_not_found" }).waitFor();
    expect(await page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await shot(page, "d01-delegates-preview-error");

    const good = sheet("delegates.xls", [
      [`ann@${DOMAIN}`, `robert@${DOMAIN}`, ""],
      [`ann@${DOMAIN}`, `cat@${DOMAIN}`, ""],
      [`cat@${DOMAIN}`, `bob@${DOMAIN}`, "add"],
    ]);
    await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(good);
    await page.getByRole("button", { name: "Preview Changes" }).click();
    await info.getByText("No errors: Save will make these changes.").waitFor();
    const facts = await info.locator("dl").innerText();
    expect(facts).toMatch(/Pairs to add\s+3/);
    await shot(page, "d02-delegates-preview-clean");
    await page.getByRole("button", { name: "Save" }).click();
    await info.getByText("Saved.").waitFor();
    const list = page.getByRole("region", { name: "Who may open whose mailbox" });
    await list
      .getByRole("cell", { name: `cat@${DOMAIN}` })
      .first()
      .waitFor();
    expect(await list.locator("tbody tr").count()).toBe(3);
    await shot(page, "d03-delegates-list");

    await page.getByLabel("Search delegate access").fill("CAT@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("caption").filter({ hasText: "CAT@" }).waitFor();
    expect(await list.locator("tbody tr").count()).toBe(2);

    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "d04-delegates-narrow");
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto(`${served.url}/#/user/${encodeURIComponent(`bob@${DOMAIN}`)}`);
    await page.getByRole("heading", { name: `bob@${DOMAIN}` }).waitFor();
    const details = await page.getByRole("region", { name: "Details" }).innerText();
    expect(details).toMatch(/May open the mailboxes of\s+None/);
    expect(details).toMatch(new RegExp(`Their mailbox may be opened by\\s+ann@${DOMAIN}, cat@${DOMAIN}`));
    await shot(page, "d05-user-delegates");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "d06-user-delegates-narrow");
  }, 120_000);
});
