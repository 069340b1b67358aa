/** A1-style references, zero-based row and column indexes. */

export function columnName(col: number): string {
  let name = "";
  let n = col + 1;
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

export function cellRef(row: number, col: number): string {
  return columnName(col) + String(row + 1);
}

const REF_PATTERN = /^([A-Z]{1,3})([1-9][0-9]{0,6})$/;

/** Parses `B3` into `{ row: 2, col: 1 }`; returns undefined for anything that is not an A1 reference. */
export function parseCellRef(ref: string): { row: number; col: number } | undefined {
  const match = REF_PATTERN.exec(ref.toUpperCase());
  if (!match) return undefined;
  const [, letters = "", digits = ""] = match;
  let col = 0;
  for (const ch of letters) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(digits) - 1, col: col - 1 };
}
