import { ImportRunner, type ImportRunnerOptions } from "../../src/jobs/import-runner.js";
import { createGroup } from "../../src/services/groups-service.js";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { type ApiClient, createTestApp, signInClient } from "./api-client.js";
import type { TestDatabase } from "./databases.js";
import { usersXls } from "./import-files.js";
import { ADMIN_PASSWORD, initExample, makeContext } from "./service-context.js";
import { SHEET_WORKER_FROM_SOURCE } from "./sheet-worker.js";

/** The example directory with a group, an app whose sheet worker runs from the sources, a signed-in admin. */
export async function setUpImportApi(open: TestDatabase, runner: ImportRunnerOptions = {}) {
  const context = makeContext(open);
  await initExample(context);
  await createGroup(context, { path: "Staff/London" });
  const imports = new ImportRunner({ workerEntry: SHEET_WORKER_FROM_SOURCE, ...runner });
  const app = createTestApp(open.db, { imports });
  const admin = await signInClient(app, "admin@example.com", ADMIN_PASSWORD);
  return { app, admin, context, imports };
}

/** The form fields of an import into Staff/London. */
export const INTO_LONDON = { group: "Staff/London", override: "add", note: "Spring intake" };

/** An upload named users.xls of these rows. */
export function xlsUpload(rows: XlsValue[][]): { name: string; bytes: Uint8Array } {
  return { name: "users.xls", bytes: usersXls(rows) };
}

/** A row issue as the API lists it. */
export type IssueJson = { code: string; cell: string | null; row: number | null; column: string | null };

/** Polls the import until it leaves uploaded/saving; returns every state seen and the last view. */
export async function waitForImport(
  client: ApiClient,
  id: string,
): Promise<{ seen: string[]; view: Record<string, unknown> }> {
  const seen: string[] = [];
  for (let i = 0; i < 600; i++) {
    const { json } = await client.call("GET", `/imports/${id}`);
    const state = String(json.state);
    if (seen.at(-1) !== state) seen.push(state);
    if (state !== "uploaded" && state !== "saving") return { seen, view: json };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import ${id} did not finish: ${seen.join(" -> ")}`);
}

/** A header and `count` users with passwords: hashing them makes a save take long enough to be watched. */
export function usersWithPasswords(count: number): XlsValue[][] {
  const rows: XlsValue[][] = [["email", "name", "password"]];
  for (let i = 0; i < count; i++) rows.push([`p${i}@example.com`, `P ${i}`, `Tidal-Lantern-${i}x`]);
  return rows;
}
