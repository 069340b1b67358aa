import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import type { Served } from "./serve-process.js";

/** The Debian chromium: end-to-end tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Where end-to-end tests put their screenshots. */
export const E2E_ARTIFACTS = join(import.meta.dirname, "../../test-artifacts/e2e");
/** The password every console end-to-end test changes serve's first administrator's password to. */
export const E2E_NEW_PASSWORD = "Copper-Kettle-93";

/**
 * Whether the end-to-end test `what` can run: CI fails instead of skipping when chromium is missing; a
 * developer's run says loudly that it skipped.
 */
export function requireChromium(what: string): boolean {
  if (HAVE_CHROMIUM) return true;
  if (process.env.CI === "true") {
    throw new Error(`CI=true and ${CHROMIUM} is missing: install the Debian package chromium (see .ci/run).`);
  }
  console.warn(
    `\n!!! SKIPPED: ${what}: ${CHROMIUM} is missing.\n` +
      "!!! Install it with: apt-get install -y chromium. CI fails instead of skipping.\n",
  );
  return false;
}

export interface LaunchOptions {
  /** The profile folder's name under `dir` (one per browser when a test opens several). */
  readonly profile?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Off for pages that must work as plain forms (the portal). */
  readonly javaScriptEnabled?: boolean;
}

/** A headless Chromium with a profile in `dir`, at 1280x800 unless told, as the end-to-end tests drive it. */
export function launchChromium(dir: string, options: LaunchOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(dir, options.profile ?? "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.javaScriptEnabled === undefined ? {} : { javaScriptEnabled: options.javaScriptEnabled }),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The browser's first page (a persistent context opens with one). */
export async function firstPage(browser: BrowserContext): Promise<Page> {
  return browser.pages()[0] ?? (await browser.newPage());
}

/**
 * A screenshot taker: `shot(page, name)` writes a full-page `<prefix><name>.png` under `dir` (created here),
 * for the pictures.
 */
export function screenshots(prefix = "", dir = E2E_ARTIFACTS): (page: Page, name: string) => Promise<Buffer> {
  mkdirSync(dir, { recursive: true });
  return (page, name) => page.screenshot({ path: join(dir, `${prefix}${name}.png`), fullPage: true });
}

/** Hooks run at the sign-in's steps, e.g. to take a screenshot of each form filled in. */
export interface SignInSteps {
  readonly signInFilled?: () => Promise<unknown>;
  readonly changeFilled?: () => Promise<unknown>;
}

/**
 * Signs in to the console as serve's first administrator, makes the forced password change to
 * E2E_NEW_PASSWORD and waits for the Users page.
 */
export async function signInFirstAdministrator(
  page: Page,
  served: Served,
  steps: SignInSteps = {},
): Promise<void> {
  const first = served.firstSignIn;
  if (!first) throw new Error("serve printed no first sign-in");
  const heading = (name: string) => page.getByRole("heading", { level: 1, name, exact: true });
  await page.goto(served.url);
  await page.getByLabel("Email").fill(first.email);
  await page.getByLabel("Password", { exact: true }).fill(first.password);
  await steps.signInFilled?.();
  await page.getByRole("button", { name: "Sign in" }).click();
  await heading("Change your password").waitFor();
  await page.getByLabel("Current password").fill(first.password);
  await page.getByLabel("New password", { exact: true }).fill(E2E_NEW_PASSWORD);
  await page.getByLabel("Repeat new password").fill(E2E_NEW_PASSWORD);
  await steps.changeFilled?.();
  await page.getByRole("button", { name: "Change password" }).click();
  await heading("Users").waitFor();
}

/** The mail domain of serve's first administrator (the one the first account was made with). */
export function servedDomain(served: Served): string {
  return /@(\S+)$/.exec(served.firstSignIn?.email ?? "")?.[1] ?? "mailroster.local";
}

/** Whether the page fits its width (no horizontal scroll bar); a string expression runs in the page. */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
  );
}

/**
 * Clicks the download link named `link`, saves the file in `dir` (as `fileName`, else as the server names it)
 * and reads its first sheet as text: a row an array, an empty cell "".
 */
export async function downloadSheet(
  page: Page,
  link: string,
  dir: string,
  fileName?: string,
): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: link }).click(),
  ]);
  const path = join(dir, fileName ?? download.suggestedFilename());
  await download.saveAs(path);
  const sheet = readXls(readFileSync(path), { fileName: basename(path) }).sheets[0];
  return [...(sheet?.rows() ?? [])].map((r) => Array.from(r.texts(), (t) => t ?? ""));
}
