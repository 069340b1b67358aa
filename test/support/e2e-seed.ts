import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { ServiceContext } from "../../src/services/context.js";
import { saveUsers, type UserInput } from "../../src/services/users/save-users.js";
import { createSqliteDatabase, type OpenDatabase } from "../../src/store/open-database.js";
import { launchChromium } from "./chromium.js";
import { startServe, type Served } from "./serve-process.js";
import { makeContext } from "./service-context.js";

/** A service context on the served SQLite file, acting as the system named "e2e". */
export function e2eContext(open: OpenDatabase): ServiceContext {
  return makeContext(open, { kind: "system", name: "e2e" });
}

/**
 * Opens `file` under `dir` beside the running server (WAL lets the two share it) and saves `users` into it,
 * the people an end-to-end story starts with. The caller closes it.
 */
export async function openWithUsers(
  dir: string,
  file: string,
  users: readonly UserInput[],
): Promise<OpenDatabase> {
  const open = createSqliteDatabase(join(dir, file));
  if (users.length > 0) await saveUsers(e2eContext(open), { users });
  return open;
}

/** What useServedConsole gives each test of its describe(). */
export interface ServedConsole {
  readonly dir: string;
  readonly served: Served;
  /** The served database, opened beside the server. */
  readonly open: OpenDatabase;
  readonly browser: BrowserContext;
}

/**
 * Registers beforeAll/afterAll hooks: a temporary folder, the compiled `mailroster serve` on `<name>.db` in
 * it, the users `seed` lists saved there, and a Chromium; all ended and removed after. Call inside describe().
 */
export function useServedConsole(
  name: string,
  seed: (served: Served) => readonly UserInput[] = () => [],
): () => ServedConsole {
  let current: ServedConsole | undefined;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `mailroster-e2e-${name}-`));
    const served = await startServe(`sqlite:${join(dir, `${name}.db`)}`);
    const open = await openWithUsers(dir, `${name}.db`, seed(served));
    current = { dir, served, open, browser: await launchChromium(dir) };
  }, 60_000);
  afterAll(async () => {
    if (!current) return;
    await current.browser.close();
    await current.served.stop();
    await current.open.close();
    rmSync(current.dir, { recursive: true, force: true });
  });
  return () => {
    if (!current) throw new Error("useServedConsole: nothing served outside the tests");
    return current;
  };
}
