import { RT_CONTINUE } from "./biff-records.js";

/**
 * Reading BIFF8 Unicode strings that may run on across CONTINUE records (MS-XLS 2.4.265 SST, 2.4.268
 * STRING). A record holds at most 8224 bytes, so long tables are cut into segments; where a cut falls inside
 * a string's characters, the next segment starts with one option byte that may switch between 8-bit and
 * UTF-16 storage. A cut may even fall between the two halves of a surrogate pair: each half is kept as a
 * UTF-16 code unit, so the pieces join into the right character.
 */
export class SegmentedReader {
  private segment = 0;
  private pos: number;
  private end: number;

  constructor(
    private readonly buf: Buffer,
    /** Pairs of [start, end) offsets into buf, one per record's data. */
    private readonly segments: readonly (readonly [number, number])[],
  ) {
    const first = segments[0];
    this.pos = first ? first[0] : 0;
    this.end = first ? first[1] : 0;
  }

  /**
   * One XLUnicodeRichExtendedString (MS-XLS 2.5.293), skipping its formatting runs and phonetic data.
   * Returns null at the clean end of the data and undefined when the data ends inside the string.
   */
  readRichExtendedString(): string | null | undefined {
    if (!this.ensureByte()) return null;
    // Fast path: the whole string lies in the current segment, as nearly every string does.
    const { buf, end } = this;
    let p = this.pos;
    if (p + 3 <= end) {
      const cch = buf.readUInt16LE(p);
      const flags = buf.readUInt8(p + 2);
      p += 3;
      let tail = 0;
      if (flags & 0x08 && p + 2 <= end) {
        tail += 4 * buf.readUInt16LE(p);
        p += 2;
      }
      if (flags & 0x04 && p + 4 <= end) {
        tail += buf.readUInt32LE(p);
        p += 4;
      }
      const wide = (flags & 0x01) !== 0;
      const stop = p + (wide ? cch * 2 : cch);
      const header = 3 + (flags & 0x08 ? 2 : 0) + (flags & 0x04 ? 4 : 0);
      if (p - this.pos === header && stop + tail <= end) {
        this.pos = stop + tail;
        return buf.toString(wide ? "utf16le" : "latin1", p, stop);
      }
    }
    const cch = this.readU16();
    const flags = this.readU8();
    if (cch < 0 || flags < 0) return undefined;
    const runs = (flags & 0x08) !== 0 ? this.readU16() : 0;
    const ext = (flags & 0x04) !== 0 ? this.readU32() : 0;
    if (runs < 0 || ext < 0) return undefined;
    const text = this.readChars(cch, (flags & 0x01) !== 0);
    if (text === undefined) return undefined;
    // Runs and phonetic data cut off at the very end are formatting only: keep the text.
    this.skip(runs * 4 + ext);
    return text;
  }

  /** Moves to the next non-empty segment when the current one is used up; false at the end of the data. */
  private ensureByte(): boolean {
    while (this.pos >= this.end) if (!this.nextSegment()) return false;
    return true;
  }

  atEnd(): boolean {
    return !this.ensureByte();
  }

  /** One byte, or -1 past the end of the data. */
  readU8(): number {
    if (!this.ensureByte()) return -1;
    return this.buf[this.pos++] ?? -1;
  }

  readU16(): number {
    const lo = this.readU8();
    const hi = this.readU8();
    return lo < 0 || hi < 0 ? -1 : lo | (hi << 8);
  }

  readU32(): number {
    const lo = this.readU16();
    const hi = this.readU16();
    return lo < 0 || hi < 0 ? -1 : lo + hi * 0x10000;
  }

  /** Skips bytes that carry no option byte at a cut (rich-text runs, phonetic data); false if the data ends. */
  skip(count: number): boolean {
    let left = count;
    while (left > 0) {
      if (!this.ensureByte()) return false;
      const step = Math.min(left, this.end - this.pos);
      this.pos += step;
      left -= step;
    }
    return true;
  }

  /**
   * Reads `count` characters stored 8-bit (`wide` false) or UTF-16LE. Returns undefined when the data ends
   * before the characters do.
   */
  readChars(count: number, wide: boolean): string | undefined {
    let text = "";
    let left = count;
    let isWide = wide;
    // The characters start where the header ended, even at the very end of a segment: the cut then
    // falls before the first character, and the next segment opens with an option byte as usual.
    for (;;) {
      const width = isWide ? 2 : 1;
      const fit = Math.min(left, Math.floor((this.end - this.pos) / width));
      if (fit > 0) {
        text += this.buf.toString(isWide ? "utf16le" : "latin1", this.pos, this.pos + fit * width);
        this.pos += fit * width;
        left -= fit;
      }
      if (left === 0) return text;
      // Half a character left in the segment: no writer does that, so the data is broken.
      if (this.pos !== this.end) return undefined;
      do {
        if (!this.nextSegment()) return undefined;
      } while (this.pos >= this.end);
      const flags = this.buf[this.pos++] ?? 0;
      isWide = (flags & 0x01) !== 0;
    }
  }

  private nextSegment(): boolean {
    this.segment++;
    const next = this.segments[this.segment];
    if (!next) return false;
    this.pos = next[0];
    this.end = next[1];
    return true;
  }
}

/**
 * Adds the data of the CONTINUE records that follow `from` to `segments`, stopping at any other record or
 * at one that runs past `end`; returns the position after the last one taken.
 */
export function appendContinueSegments(
  view: DataView,
  segments: [number, number][],
  from: number,
  end: number,
): number {
  let p = from;
  while (p + 4 <= end && view.getUint16(p, true) === RT_CONTINUE) {
    const clen = view.getUint16(p + 2, true);
    if (p + 4 + clen > end) break;
    segments.push([p + 4, p + 4 + clen]);
    p += 4 + clen;
  }
  return p;
}
