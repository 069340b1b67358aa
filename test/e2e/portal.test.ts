import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenDatabase } from "../../src/store/open-database.js";
import {
  E2E_ARTIFACTS,
  firstPage,
  fitsWidth,
  launchChromium,
  requireChromium,
  screenshots,
  servedDomain,
} from "../support/chromium.js";
import { openWithUsers } from "../support/e2e-seed.js";
import { startServe, type Served } from "../support/serve-process.js";

// The portal end to end: the real `mailroster serve` (compiled dist/) and the Debian chromium, with
// JavaScript off (the portal is plain forms), at a desktop and a phone size; screenshots for the issue.
const haveChromium = requireChromium("the portal end-to-end test (test/e2e/portal.test.ts)");

const PASSWORD = "Tidal-Lantern-7";
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

describe.skipIf(!haveChromium)("the portal in Chromium", () => {
  let dir: string;
  let served: Served;
  let open: OpenDatabase;
  const browsers: BrowserContext[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mailroster-e2e-portal-"));
    served = await startServe(`sqlite:${join(dir, "portal.db")}`);
    const domain = servedDomain(served);
    open = await openWithUsers(
      dir,
      "portal.db",
      VIEWPORTS.flatMap(({ name }) => [
        {
          email: `ada.${name}@${domain}`,
          name: "Ada Lovelace",
          password: PASSWORD,
          forceChangePassword: true,
          aliases: [`ada.l.${name}@${domain}`],
          groups: ["Staff/Engineering", "Projects/Analytical Engine"],
        },
        { email: `lou.${name}@${domain}`, name: "Lou Locked", password: PASSWORD, locked: true },
      ]),
    );
  }, 60_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await served.stop();
    await open.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const noHorizontalScroll = fitsWidth;
  const takeShot = screenshots("", join(E2E_ARTIFACTS, "../e2e-portal"));

  for (const viewport of VIEWPORTS) {
    it(`signs in, changes the forced password and shows the user's page (${viewport.name})`, async () => {
      const browser = await launchChromium(dir, {
        profile: `profile-${viewport.name}`,
        javaScriptEnabled: false,
        viewport: { width: viewport.width, height: viewport.height },
      });
      browsers.push(browser);
      const page = await firstPage(browser);
      const shot = (name: string) => takeShot(page, `${viewport.name}-${name}`);
      const domain = servedDomain(served);

      await page.goto(`${served.url}/portal`);
      // A locked user is refused, with the one answer every failure gets.
      await page.getByLabel("Email address").fill(`lou.${viewport.name}@${domain}`);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").getAttribute("class")).toBe("problem");
      await shot("01-sign-in-refused");

      await page.getByLabel("Email address").fill(`ada.l.${viewport.name}@${domain}`);
      await page.getByLabel("Password").fill(PASSWORD);
      await shot("02-sign-in");
      await page.getByRole("button", { name: "Sign in" }).click();

      await page.getByRole("heading", { name: "Change your password" }).waitFor();
      await page.getByLabel("Current password").fill(PASSWORD);
      await page.getByLabel("New password").fill("Copper-Kettle-93");
      await shot("03-forced-change");
      await page.getByRole("button", { name: "Change password" }).click();

      await page.getByRole("heading", { name: "Ada Lovelace" }).waitFor();
      expect(await page.getByRole("status").textContent()).toContain("Your password was changed.");
      const text = (await page.textContent("main")) ?? "";
      expect(text).toContain(`ada.${viewport.name}@${domain}`);
      expect(text).toContain(`ada.l.${viewport.name}@${domain}`);
      expect(text).toContain("Projects/Analytical Engine");
      expect(await noHorizontalScroll(page)).toBe(true);
      await shot("04-profile");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Sign in" }).waitFor();
    }, 120_000);
  }
});
