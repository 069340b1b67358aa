import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUser } from "../../src/services/users/find-users.js";
import { writeXls } from "../../src/sheet/xls/write-xls.js";
import { createSqliteDatabase, type OpenDatabase } from "../../src/store/open-database.js";
import { firstPage, fitsWidth, launchChromium, requireChromium, screenshots } from "../support/chromium.js";
import { initExampleArgv, runCli } from "../support/cli.js";
import { e2eContext } from "../support/e2e-seed.js";
import { requireTools } from "../support/external-tools.js";
import { THREE_PEOPLE } from "../support/ldap-fixtures.js";
import { startServe, type Served } from "../support/serve-process.js";
import { ADMIN_PASSWORD } from "../support/service-context.js";
import { LDAP_TOOLS, ROOT_DN, ROOT_PASSWORD, SUFFIX, startSlapd, type Slapd } from "../support/slapd.js";

// End to end, Directory Synchronization through the console: the compiled `mailroster serve` (as `npm test`
// builds it first) against a real slapd, driven by the Debian chromium through playwright-core. The story
// of issue 12: an import over a Directory User makes it imported, the Imports page offers Sync All right
// there, and one click brings the user back as a Directory User.
const haveChromium = requireChromium("the Directory Synchronization end-to-end test");
const ldapReady = requireTools(LDAP_TOOLS, "the Directory Synchronization end-to-end test (slapd)");

describe.skipIf(!haveChromium || !ldapReady)("Directory Synchronization in Chromium", () => {
  let dir: string;
  let served: Served;
  let slapd: Slapd;
  let browser: BrowserContext;
  let open: OpenDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mailroster-e2e-sync-"));
    const db = `sqlite:${join(dir, "sync.db")}`;
    expect((await runCli([...initExampleArgv(), "--db", db])).code).toBe(0);
    slapd = await startSlapd({ bulkLdif: THREE_PEOPLE });
    // The server process inherits it: connector passwords are sealed with this key.
    process.env.MAILROSTER_SECRET_KEY = randomBytes(32).toString("hex");
    served = await startServe(db);
    open = createSqliteDatabase(join(dir, "sync.db"));
    browser = await launchChromium(dir);
  }, 60_000);

  afterAll(async () => {
    await browser.close();
    await served.stop();
    await slapd.stop();
    await open.close();
    delete process.env.MAILROSTER_SECRET_KEY;
    rmSync(dir, { recursive: true, force: true });
  });

  const shot = screenshots();
  const noHorizontalScroll = fitsWidth;
  const userType = async (email: string): Promise<string> => (await getUser(e2eContext(open), email)).type;

  it("adds and tests a connector, runs Sync All, and lists the run", async () => {
    const page = await firstPage(browser);
    await page.goto(served.url);
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Users" }).waitFor();

    await page.getByRole("link", { name: "Users & Groups | Directory Synchronization" }).click();
    await page.getByText("No directory connector is configured.").waitFor();
    await page.getByRole("button", { name: "Add connector" }).click();
    await page.getByLabel("Name", { exact: true }).fill("corp");
    await page.getByLabel("Type", { exact: true }).selectOption({ label: "LDAP (OpenLDAP)" });
    await page.getByLabel("URL (ldap:// or ldaps://)").fill(slapd.url);
    await page.getByLabel("Bind DN").fill(ROOT_DN);
    await page.getByLabel("Bind password").fill(ROOT_PASSWORD);
    await page.getByLabel("Base DN").fill(SUFFIX);
    await shot(page, "sync-01-add-connector");
    await page.getByRole("button", { name: "Save connector" }).click();
    const card = page.getByRole("region", { name: "corp" });
    await card.getByText("Never").waitFor();

    await card.getByRole("button", { name: "Test" }).click();
    await card.getByText("Test passed: 3 entries found, 0 would be skipped.").waitFor();
    await shot(page, "sync-02-connector-tested");
    expect(await page.content()).not.toContain(ROOT_PASSWORD);

    // Editing keeps the stored password when the field is left empty.
    await card.getByRole("button", { name: "Edit" }).click();
    expect(await page.getByLabel("Bind password (leave empty to keep it)").inputValue()).toBe("");
    await page.getByLabel("Remove users the directory no longer lists").check();
    await page.getByRole("button", { name: "Save connector" }).click();
    await card.getByText("Remove missing users").waitFor();
    await card.getByRole("definition").filter({ hasText: /^Yes$/ }).waitFor();

    const syncAll = page.getByRole("region", { name: "Sync All" });
    await syncAll.getByRole("button", { name: "Sync All" }).click();
    await syncAll.getByText(/Sync All done: 3 created/).waitFor({ timeout: 30_000 });
    const history = page.getByRole("region", { name: "Sync history" });
    await history.getByRole("cell", { name: /Done: 3 created/ }).waitFor();
    await card.getByText(/3 entries read; 3 created/).waitFor();
    await shot(page, "sync-03-synced-1280");
    expect(await noHorizontalScroll(page)).toBe(true);
    expect(await userType("ann@example.com")).toBe("directory");

    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "sync-04-synced-390");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 90_000);

  it("offers Sync All on the Imports page after an import made a Directory User imported, and brings her back", async () => {
    const page = await firstPage(browser);
    const sheet = join(dir, "over-ann.xls");
    writeFileSync(
      sheet,
      writeXls([
        {
          name: "Staff",
          rows: [
            ["email", "name", "Department"],
            ["ann@example.com", "Ann Lee", "Sales"],
          ],
        },
      ]),
    );
    await page.getByRole("link", { name: "Users & Groups | Imports" }).click();
    await page.getByRole("heading", { name: "Imports", exact: true }).waitFor();
    await page.getByLabel("Upload Only (No Folder)").check();
    await page.getByLabel("Upload Spreadsheet (.xls)").setInputFiles(sheet);
    await page.getByRole("button", { name: "Preview Changes" }).click();
    await page.getByText("No errors: Save will make these changes.").waitFor();
    // The preview warns that the Directory User becomes a Manually Imported User.
    await page.getByText("users_become_imported").first().waitFor();
    await shot(page, "sync-05-preview-warns");

    // The file creates the attribute Department: the console asks first.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Save" }).click();
    const offer = page.getByRole("region", { name: "Directory Synchronization needed" });
    await offer.getByText("1 directory user became Manually Imported Users.").waitFor({ timeout: 30_000 });
    expect(await userType("ann@example.com")).toBe("imported");
    await shot(page, "sync-06-imports-offers-sync-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "sync-07-imports-offers-sync-390");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });

    await offer.getByRole("button", { name: "Sync All" }).click();
    await offer.getByText(/Sync All done: 0 created, 0 updated, 1 reclaimed/).waitFor({ timeout: 30_000 });
    await shot(page, "sync-08-imports-synced");

    await page.getByRole("link", { name: "Users", exact: true }).click();
    await page.getByLabel("Search users").fill("ann@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "ann@example.com" }).click();
    await page.getByRole("heading", { name: "ann@example.com" }).waitFor();
    await page
      .getByRole("definition")
      .filter({ hasText: /^Directory User$/ })
      .waitFor();
    await shot(page, "sync-09-user-directory-again");
    expect(await userType("ann@example.com")).toBe("directory");
  }, 90_000);
});
