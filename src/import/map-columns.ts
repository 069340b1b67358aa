import {
  looksLikeSecret,
  MAX_ATTRIBUTE_NAME_LENGTH,
  parseAttributeName,
} from "../directory/attribute-name.js";
import { MAX_ALIASES_PER_USER } from "../directory/user-change-rules.js";
import { USER_SETTING_KEYS, type UserSettingKey } from "../directory/user-settings.js";
import { columnName } from "../sheet/cell-ref.js";
import { headerDuplicate, headerNearMiss } from "./header-issues.js";
import { excerpt, issueAt, type ImportIssue } from "./import-issue.js";
import type { Checkpoint, ImportSheet } from "./locate-checkpoint.js";
import { squashHeader } from "./near-miss.js";

/** The yes/no columns are the rulebook's user settings, by their sheet headers. */
export type FlagKey = UserSettingKey;
export const FLAG_KEYS: readonly FlagKey[] = USER_SETTING_KEYS;
/** A row names at most this many aliases: alias1 to alias10, as many as a user may hold. */
export const MAX_ALIASES = MAX_ALIASES_PER_USER;

export const KNOWN_HEADERS: readonly string[] = [
  "email",
  "name",
  "password",
  ...FLAG_KEYS,
  "remoteaccountcode",
  "adminrole",
  ...Array.from({ length: MAX_ALIASES }, (_, i) => `alias${i + 1}`),
];

/** Where each known column stands (0-based columns) and which columns are custom attributes. */
export interface ColumnMap {
  readonly headerRow: number;
  readonly email: number;
  readonly name: number | undefined;
  readonly password: number | undefined;
  readonly flags: ReadonlyMap<FlagKey, number>;
  /** In header order; `index` is the n of aliasN. */
  readonly aliases: readonly { readonly col: number; readonly index: number }[];
  readonly remoteAccountCode: number | undefined;
  readonly adminRole: number | undefined;
  readonly attributes: readonly { readonly col: number; readonly name: string; readonly key: string }[];
  /** The last header column; cells right of it are ignored. */
  readonly lastCol: number;
}

export interface ColumnMapResult {
  readonly map: ColumnMap;
  readonly issues: ImportIssue[];
}

/**
 * The columns a results file appends right of the header (results-sheet.ts): ignored on re-import, so a
 * results file fixed and uploaded again imports without creating two attributes.
 */
export const RESULT_HEADERS = ["Status", "Error"] as const;

// `Alias1`, `POP`, `alias 2`, `change_password`: meant a known header but would become an attribute.
const squash = squashHeader;
const NEAR_MISS = new Map(KNOWN_HEADERS.map((h) => [squash(h), h]));
const ALIAS_N = /^alias([0-9]+)$/;

/**
 * Reads the header row from the checkpoint rightwards up to the first empty header cell. Known headers are
 * exact and case-sensitive; a near miss, alias11 and above, or a repeated header fails, naming the cell,
 * rather than silently becoming a custom attribute.
 */
export function mapColumns(sheet: ImportSheet, checkpoint: Checkpoint): ColumnMapResult {
  const row = checkpoint.row;
  const issues: ImportIssue[] = [];
  const text = (col: number): string => sheet.cell(row, col)?.text.trim() ?? "";
  let headerEnd = checkpoint.col;
  while (text(headerEnd + 1) !== "") headerEnd++;
  // A results file's own two columns, last in the header row, are not the sheet's.
  const resultsCols =
    headerEnd >= checkpoint.col + 3 &&
    text(headerEnd - 1) === RESULT_HEADERS[0] &&
    text(headerEnd) === RESULT_HEADERS[1];
  const lastCol = resultsCols ? headerEnd - 2 : headerEnd;

  let name: number | undefined;
  let password: number | undefined;
  let remoteAccountCode: number | undefined;
  let adminRole: number | undefined;
  const flags = new Map<FlagKey, number>();
  const aliases: { col: number; index: number }[] = [];
  const attributes: { col: number; name: string; key: string }[] = [];
  // Every header seen, by the key that makes two the same, with where it first stood.
  const seen = new Map<string, number>();
  seen.set("email", checkpoint.col);

  const nameCol = checkpoint.col + 1;
  if (text(nameCol) !== "name") {
    issues.push(
      issueAt(
        "header_name_missing",
        row,
        nameCol,
        `The header right of "email" must be "name" (found ${text(nameCol) === "" ? "nothing" : `"${excerpt(text(nameCol))}"`}).`,
      ),
    );
  }
  for (let col = checkpoint.col + 1; col <= lastCol; col++) {
    const header = text(col);
    const squashed = squash(header);
    const aliasN = ALIAS_N.exec(squashed);
    const outOfRange = aliasN !== null && (Number(aliasN[1]) < 1 || Number(aliasN[1]) > MAX_ALIASES);
    const known = KNOWN_HEADERS.includes(header);
    const resembles = outOfRange ? undefined : NEAR_MISS.get(squashed);
    const key = known ? header : (resembles ?? `attribute:${header.replace(/\s+/g, " ").toLowerCase()}`);
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(headerDuplicate(header, row, col, first));
      continue;
    }
    seen.set(key, col);
    // Already reported as header_name_missing: one error per cell.
    if (col === nameCol && header !== "name") continue;
    if (outOfRange) {
      issues.push(
        issueAt(
          "header_alias_out_of_range",
          row,
          col,
          `"${excerpt(header)}": at most ten aliases, alias1 to alias10.`,
        ),
      );
    } else if (!known && resembles !== undefined) {
      issues.push(headerNearMiss(header, row, col, resembles));
    } else if (header === "name") {
      if (col === nameCol) name = col;
      else
        issues.push(issueAt("header_name_missing", row, col, `"name" must stand directly right of "email".`));
    } else if (header === "password") {
      if (col === nameCol + 1 && name !== undefined) password = col;
      else
        issues.push(
          issueAt(
            "header_password_misplaced",
            row,
            col,
            `"password" may only stand directly right of "name".`,
          ),
        );
    } else if (header === "remoteaccountcode") {
      remoteAccountCode = col;
    } else if (header === "adminrole") {
      adminRole = col;
    } else if (aliasN && known) {
      aliases.push({ col, index: Number(aliasN[1]) });
    } else if (known) {
      // The rest of the known headers are the yes/no settings.
      flags.set(header as FlagKey, col);
    } else if (looksLikeSecret(header)) {
      // It would be stored and shown as plain text: refuse the column rather than keep a secret in it.
      issues.push(
        issueAt(
          "attribute_looks_secret",
          row,
          col,
          `"${excerpt(header)}" reads like a password column: custom attributes are plain text. Use the "password" column (right of "name"), or rename or remove this one.`,
        ),
      );
    } else if (header.length > MAX_ATTRIBUTE_NAME_LENGTH) {
      issues.push(
        issueAt(
          "attribute_name_invalid",
          row,
          col,
          `"${excerpt(header)}" is longer than ${MAX_ATTRIBUTE_NAME_LENGTH} characters: shorten the header.`,
        ),
      );
    } else {
      const attribute = parseAttributeName(header);
      attributes.push({ col, name: attribute.name, key: attribute.key });
    }
  }

  const beyond: string[] = [];
  for (const r of sheet.rows(row)) {
    for (const col of r.cols) {
      if (col > headerEnd + 1 && r.text(col).trim() !== "") beyond.push(columnName(col));
    }
  }
  const ignored = [...new Set(beyond)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  if (ignored.length > 0) {
    issues.push(
      issueAt(
        "header_gap_ignored",
        row,
        headerEnd + 1,
        `The header row ends at the empty cell ${columnName(headerEnd + 1)}${row + 1}; data in column(s) ${ignored.join(", ")} is ignored.`,
        "warning",
      ),
    );
  }
  return {
    map: {
      headerRow: row,
      email: checkpoint.col,
      name,
      password,
      flags,
      aliases,
      remoteAccountCode,
      adminRole,
      attributes,
      lastCol,
    },
    issues,
  };
}
