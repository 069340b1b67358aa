/**
 * Byte pieces laid end to end as the data of consecutive records, for tests of strings across CONTINUE:
 * returns the buffer and each piece's [start, end) as a segment.
 */
export function segmentsOf(...pieces: number[][]): { buf: Buffer; segments: [number, number][] } {
  const segments: [number, number][] = [];
  let at = 0;
  for (const piece of pieces) {
    // A 4-byte record header between segments, as in a real stream, so offsets are not contiguous.
    at += 4;
    segments.push([at, at + piece.length]);
    at += piece.length;
  }
  const buf = Buffer.alloc(at, 0xee);
  pieces.forEach((piece, i) => {
    buf.set(piece, segments[i]?.[0] ?? 0);
  });
  return { buf, segments };
}

export const latin1 = (s: string): number[] => [...Buffer.from(s, "latin1")];
export const utf16 = (s: string): number[] => [...Buffer.from(s, "utf16le")];
/** A string's header: the 16-bit character count and the flags byte. */
export const header = (cch: number, flags: number): number[] => [cch & 0xff, cch >> 8, flags];
