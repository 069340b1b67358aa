const BOM = "\uFEFF";

/**
 * RFC 4180 CSV: CRLF line ends, every text field quoted with its quotes doubled, numbers bare. A UTF-8 byte
 * order mark opens the file so Excel reads it as UTF-8 rather than the machine's code page. Callers
 * neutralise formula-like text first (formula-guard.ts): quoting does not stop Excel from evaluating it.
 */
export function writeCsv(rows: readonly (readonly (string | number | null)[])[]): Uint8Array {
  const lines = rows.map((row) =>
    row
      .map((value) =>
        value === null ? "" : typeof value === "number" ? String(value) : `"${value.replaceAll('"', '""')}"`,
      )
      .join(","),
  );
  return new TextEncoder().encode(BOM + lines.join("\r\n") + "\r\n");
}
