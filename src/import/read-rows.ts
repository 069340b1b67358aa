import { tryParseAddress, type Address } from "../directory/address.js";
import type { Cell } from "../sheet/cell.js";
import { cellRef } from "../sheet/cell-ref.js";
import { excerpt, issueAt, issueNowhere, type ImportIssue } from "./import-issue.js";
import { IssueList } from "./issue-list.js";
import type { ImportSheet } from "./locate-checkpoint.js";
import type { ColumnMap, FlagKey } from "./map-columns.js";

/** One data row as the file states it; only what the row says is here (empty optional cells are absent). */
export interface ParsedRow {
  /** 0-based sheet row. */
  readonly row: number;
  readonly email: Address;
  readonly name: string | undefined;
  /** Plain text, only in memory: checked, hashed, and never written anywhere. */
  readonly password: string | undefined;
  readonly flags: ReadonlyMap<FlagKey, boolean>;
  readonly aliases: readonly { readonly address: Address; readonly col: number }[];
  readonly remoteAccountCode: string | undefined;
  readonly adminRole: string | undefined;
  readonly attributes: readonly {
    readonly key: string;
    readonly name: string;
    readonly value: string;
    readonly col: number;
  }[];
  /**
   * A cell of the row has an error (reported by readRows): the rest of the row is still checked against the
   * directory, so one preview lists everything, but the row is never planned to be written.
   */
  readonly invalid?: true;
}

export interface ReadRowsResult {
  readonly rows: ParsedRow[];
  /** Bounded: the first issues of each severity, and every issue counted by code. */
  readonly issues: IssueList;
  /** Rows below the header that hold data, with or without errors. */
  readonly dataRows: number;
}

const YES = new Set(["true", "yes", "y", "1"]);
const NO = new Set(["false", "no", "n", "0"]);

/** A yes/no cell: an Excel Boolean or, in any case, true/false, yes/no, y/n, 1/0; undefined for anything else. */
export function parseYesNo(cell: Cell): boolean | undefined {
  if (cell.kind === "bool") return cell.value === true;
  const text = cell.text.trim().toLowerCase();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}

/** The address a cell holds: none when it holds white space or a quote, whatever the address rules allow. */
export function parseCellAddress(text: string): Address | undefined {
  return /[\s"'`]/.test(text) ? undefined : tryParseAddress(text);
}

/** email_invalid on a cell whose text parseCellAddress refused. */
export function invalidEmailIssue(text: string, row: number, col: number): ImportIssue {
  return issueAt(
    "email_invalid",
    row,
    col,
    `"${excerpt(text)}" is not a valid address (no spaces, no quotes): correct it.`,
  );
}

const MAX_NAME_LENGTH = 200;
// More columns than a sheet has (BIFF8: 256), for packing a cell into one number.
const COLS = 1 << 14;

/**
 * Reads every row below the header: a fully empty row is skipped, every other is checked cell by cell.
 * Returns the rows and the issues (bounded, every one counted). A row with a cell error stays in `rows`
 * marked `invalid`, without the bad cells, so the planner checks its other cells too; only a row without a
 * usable email is left out.
 * `onProgress` is called now and then with the rows read so far.
 */
export function readRows(
  sheet: ImportSheet,
  map: ColumnMap,
  onProgress?: (rowsRead: number) => void,
  issues: IssueList = new IssueList(),
): ReadRowsResult {
  const rows: ParsedRow[] = [];
  // Every address in the file (primary or alias) with the cell where it first stood, as row * COLS + col:
  // a cell reference is made only for the rare duplicate, not for each of 262,000 addresses.
  const firstSeen = new Map<string, number>();
  const seenAt = (at: number): string => cellRef(Math.floor(at / COLS), at % COLS);
  // The first cell an address stands in is noted; a later one gets the issue naming that first cell.
  const claim = (
    address: Address,
    r: number,
    col: number,
    code: "email_duplicate" | "alias_duplicate",
    advice: string,
  ): ImportIssue | undefined => {
    const earlier = firstSeen.get(address.key);
    if (earlier === undefined) {
      firstSeen.set(address.key, r * COLS + col);
      return undefined;
    }
    return issueAt(
      code,
      r,
      col,
      `${excerpt(address.address)} already appears in ${seenAt(earlier)}: ${advice}.`,
    );
  };
  let dataRows = 0;
  for (const sheetRow of sheet.rows(map.headerRow + 1)) {
    const r = sheetRow.row;
    const text = (col: number | undefined): string => (col === undefined ? "" : sheetRow.text(col).trim());
    if (!sheetRow.cols.some((col) => col >= map.email && col <= map.lastCol && text(col) !== "")) continue;
    dataRows++;
    if (onProgress && dataRows % 4096 === 0) onProgress(dataRows);
    const rowIssues: ImportIssue[] = [];
    const emailText = text(map.email);
    if (emailText === "") {
      issues.add(
        issueAt("row_email_missing", r, map.email, `Row ${r + 1} holds data but no email: add the address.`),
      );
      continue;
    }
    const email = parseCellAddress(emailText);
    if (!email) {
      issues.add(invalidEmailIssue(emailText, r, map.email));
      continue;
    }
    const repeated = claim(email, r, map.email, "email_duplicate", "keep one row per user");
    if (repeated) rowIssues.push(repeated);

    const name = text(map.name);
    // Counted in characters, not UTF-16 units; only a name that long in units can be too long.
    if (name.length > MAX_NAME_LENGTH && Array.from(name).length > MAX_NAME_LENGTH) {
      rowIssues.push(
        issueAt("user_name_invalid", r, map.name ?? map.email, `The name is longer than 200 characters.`),
      );
    }
    // The password is taken as typed (spaces included); a cell of white space only is empty.
    const passwordRaw = map.password === undefined ? "" : sheetRow.text(map.password);
    const password = passwordRaw.trim() === "" ? undefined : passwordRaw;

    const flags = new Map<FlagKey, boolean>();
    for (const [flag, col] of map.flags) {
      const cell = sheetRow.cell(col);
      if (!cell || cell.text.trim() === "") continue;
      const value = parseYesNo(cell);
      if (value === undefined) {
        rowIssues.push(
          issueAt(
            "yes_no_invalid",
            r,
            col,
            `"${excerpt(cell.text)}" in ${flag} is not yes/no: use true/false, yes/no, y/n or 1/0.`,
          ),
        );
      } else flags.set(flag, value);
    }

    const aliases: { address: Address; col: number }[] = [];
    for (const { col } of map.aliases) {
      const aliasText = text(col);
      if (aliasText === "") continue;
      const alias = parseCellAddress(aliasText);
      if (!alias) {
        rowIssues.push(issueAt("alias_invalid", r, col, `"${excerpt(aliasText)}" is not a valid address.`));
        continue;
      }
      if (alias.key === email.key) {
        rowIssues.push(
          issueAt("alias_is_primary", r, col, `${excerpt(alias.address)} is this row's own email.`),
        );
        continue;
      }
      const aliasRepeated = claim(alias, r, col, "alias_duplicate", "keep one");
      if (aliasRepeated) {
        rowIssues.push(aliasRepeated);
        continue;
      }
      aliases.push({ address: alias, col });
    }

    const attributes: ParsedRow["attributes"][number][] = [];
    for (const { col, name: attributeName, key } of map.attributes) {
      const value = text(col);
      if (value !== "") attributes.push({ key, name: attributeName, value, col });
    }
    issues.addAll(rowIssues);
    rows.push({
      ...(rowIssues.length > 0 ? { invalid: true as const } : {}),
      row: r,
      email,
      name: name === "" ? undefined : name,
      password,
      flags,
      aliases,
      remoteAccountCode: text(map.remoteAccountCode) || undefined,
      adminRole: text(map.adminRole) || undefined,
      attributes,
    });
  }
  if (dataRows === 0) {
    issues.add(issueNowhere("import_no_rows", "The sheet holds no rows below the header.", "warning"));
  }
  onProgress?.(dataRows);
  return { rows, issues, dataRows };
}
