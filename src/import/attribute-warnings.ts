import { excerpt, issueAt, type ImportIssue } from "./import-issue.js";
import { KNOWN_HEADERS } from "./map-columns.js";
import { nearestHeader } from "./near-miss.js";

/** A header the directory holds no attribute for: saving the file creates one. */
export interface NewAttributeColumn {
  readonly name: string;
  readonly col: number;
}

/**
 * One warning per header that becomes a new attribute, at its header cell, with a near-miss hint when the
 * header is close to a known one ("emial" -> "email"): a typo would otherwise quietly create an attribute.
 */
export function newAttributeWarnings(
  headerRow: number,
  columns: Iterable<NewAttributeColumn>,
): ImportIssue[] {
  const warnings: ImportIssue[] = [];
  for (const { name, col } of [...columns].sort((a, b) => a.col - b.col)) {
    const meant = nearestHeader(name, KNOWN_HEADERS);
    const hint = meant === undefined ? "" : ` If you meant "${meant}", rename the header to "${meant}".`;
    warnings.push(
      issueAt(
        "attribute_will_be_created",
        headerRow,
        col,
        `"${excerpt(name)}" is a new attribute: saving creates it.${hint}`,
        "warning",
      ),
    );
  }
  return warnings;
}
