import { readGnumericSst } from "./gnumeric-sst.js";
import { fileCorrupt } from "./read-errors.js";
import { SegmentedReader } from "./segmented-string.js";

/**
 * MS-XLS 2.4.265 SST: cstTotal, cstUnique, then the strings, running on across CONTINUE records. Read by
 * the spec's rule (counts in code units) first; a table that does not come out whole that way (truncated,
 * fewer strings than declared, or bytes left over) is read again in Gnumeric's layout (gnumeric-sst.ts),
 * and that reading is kept only if it accounts for every string and every byte.
 */
export function parseSst(
  buf: Buffer,
  segments: readonly (readonly [number, number])[],
  fileName: string,
): string[] {
  const reader = new SegmentedReader(buf, segments);
  reader.readU32(); // cstTotal: references, not needed
  const declared = reader.readU32();
  const available = segments.reduce((sum, [a, b]) => sum + b - a, 0);
  // The declared count can lie (too small, too large, or absurd); never size anything from it alone.
  const strings: string[] = [];
  const limit = Math.min(Math.max(declared, 0), Math.floor(available / 3));
  let truncatedAt = 0;
  while (strings.length < limit) {
    const text = reader.readRichExtendedString();
    if (text === null) break;
    if (text === undefined) {
      truncatedAt = strings.length + 1;
      break;
    }
    strings.push(text);
  }
  if (truncatedAt === 0 && strings.length === declared && reader.atEnd()) return strings;
  const gnumeric = readGnumericSst(buf, segments, declared);
  if (gnumeric) return gnumeric;
  if (truncatedAt > 0) {
    throw fileCorrupt(fileName, `the shared string table is truncated at string ${truncatedAt}`);
  }
  return strings;
}
