import type { ByteTextDecoder } from "./codepage.js";

/** Strings that lie whole inside one record: sheet names, number formats, LABEL cells. */

/** MS-XLS 2.5.294 XLUnicodeString (lengthBytes 2) or 2.5.240 ShortXLUnicodeString (lengthBytes 1). */
export function readXLUnicodeString(
  buf: Buffer,
  view: DataView,
  pos: number,
  end: number,
  lengthBytes: 1 | 2,
): { text: string; next: number } {
  if (pos + lengthBytes + 1 > end) return { text: "", next: end };
  const cch = lengthBytes === 1 ? view.getUint8(pos) : view.getUint16(pos, true);
  const flags = view.getUint8(pos + lengthBytes);
  let p = pos + lengthBytes + 1;
  if (flags & 0x08) p += 2;
  if (flags & 0x04) p += 4;
  const wide = (flags & 0x01) !== 0;
  const stop = Math.min(end, p + cch * (wide ? 2 : 1));
  if (p >= stop) return { text: "", next: Math.min(stop, end) };
  return {
    text: buf.toString(wide ? "utf16le" : "latin1", p, wide ? stop - ((stop - p) & 1) : stop),
    next: stop,
  };
}

/** An 8-bit string with a 1- or 2-byte length (BIFF5 and earlier), decoded by the workbook's codepage. */
export function readByteString(
  buf: Buffer,
  pos: number,
  end: number,
  lengthBytes: 1 | 2,
  decode: ByteTextDecoder,
): string {
  if (pos + lengthBytes > end) return "";
  const cch = lengthBytes === 1 ? (buf[pos] ?? 0) : (buf[pos] ?? 0) | ((buf[pos + 1] ?? 0) << 8);
  const start = pos + lengthBytes;
  return decode(buf.subarray(start, Math.min(end, start + cch)));
}
