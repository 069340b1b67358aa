import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";

/** Builder: a one-sheet workbook with the rows given, header first, at A1. */
export function usersXls(rows: XlsValue[][], name = "Users"): Uint8Array {
  return writeXls([{ name, rows }]);
}

/** An import's errors as [code, cell] pairs, in order: what the import tests compare. */
export const errorCells = (outcome: {
  readonly errors: readonly { readonly code: string; readonly cell: string | null }[];
}): [string, string | null][] => outcome.errors.map((e) => [e.code, e.cell]);

/** The most data rows an .xls sheet holds below its header (65,536 rows in all). */
export const MAX_XLS_DATA_ROWS = 65_535;

/**
 * Builder: `rows` users (header at A1) whose addresses are all in `domain`, which the tests' directory does
 * not have: every row is a domain_not_internal error once the directory is consulted.
 */
export function foreignDomainXls(rows: number = MAX_XLS_DATA_ROWS, domain = "elsewhere.test"): Uint8Array {
  const sheet: XlsValue[][] = [["email", "name"]];
  for (let i = 0; i < rows; i++) sheet.push([`user${i}@${domain}`, `User ${i}`]);
  return usersXls(sheet);
}

/** What a preview of the whole foreignDomainXls() reports, whatever door it came through. */
export const FOREIGN_DOMAIN_PREVIEW = {
  ok: false,
  saved: false,
  summary: { rows: MAX_XLS_DATA_ROWS },
  errorCount: MAX_XLS_DATA_ROWS,
  errorCounts: { domain_not_internal: MAX_XLS_DATA_ROWS },
};

/**
 * Builder: `rows` users of example.com whose `flags` yes/no cells and `aliases` alias cells all hold the same
 * `junkLength`-character text: (flags + aliases) errors per row, each on a long cell (yes_no_invalid,
 * alias_invalid). The text is shared, so the file stays small however many cells repeat it.
 */
export function junkCellsXls(
  rows: number,
  options: { flags?: number; aliases?: number; junkLength?: number } = {},
): Uint8Array {
  const flags = ["changepassword", "passwordneverexpire", "accountlockedout", "pop", "submit"].slice(
    0,
    options.flags ?? 5,
  );
  const aliases = Array.from({ length: options.aliases ?? 10 }, (_, i) => `alias${i + 1}`);
  const junk = "x".repeat(options.junkLength ?? 300);
  const cells = [...flags, ...aliases].map(() => junk);
  const sheet: XlsValue[][] = [["email", "name", ...flags, ...aliases]];
  for (let i = 0; i < rows; i++) sheet.push([`user${i}@example.com`, `User ${i}`, ...cells]);
  return usersXls(sheet);
}
