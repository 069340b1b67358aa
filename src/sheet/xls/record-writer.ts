import { RT_BOF } from "./biff-records.js";

/** The writer's byte output and the record framing every BIFF8 record shares. */

// MS-XLS 2.1.4: record data is at most 8224 bytes; longer data continues in CONTINUE records.
export const MAX_RECORD_DATA = 8224;

export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize: number) {
    this.buf = Buffer.allocUnsafe(Math.max(256, initialSize));
  }

  ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  // The callers reserve space with `ensure` first; these do not check. Plain byte stores are several
  // times faster than Buffer's write methods for the million small fields of a large sheet.
  u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    const b = this.buf;
    b[this.pos++] = v;
    b[this.pos++] = v >>> 8;
  }

  u32(v: number): void {
    const b = this.buf;
    b[this.pos++] = v;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v >>> 16;
    b[this.pos++] = v >>> 24;
  }

  f64(v: number): void {
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }

  /** Latin-1 bytes (`wide` false, every unit <= 0xFF) or UTF-16LE code units, surrogates kept as they are. */
  text(s: string, wide: boolean): void {
    if (s.length > 32) {
      this.pos += this.buf.write(s, this.pos, wide ? "utf16le" : "latin1");
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const unit = s.charCodeAt(i);
      b[p++] = unit;
      if (wide) b[p++] = unit >>> 8;
    }
    this.pos = p;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
  }
}

/** Writes a record header and reserves its data; the caller writes exactly `length` bytes. */
export function writeRecord(w: ByteWriter, type: number, length: number): void {
  w.ensure(4 + length);
  w.u16(type);
  w.u16(length);
}

/** MS-XLS 2.4.21 BOF; `dt` 0x0005 opens the workbook globals, 0x0010 a worksheet. */
export function writeBof(w: ByteWriter, dt: number): void {
  writeRecord(w, RT_BOF, 16);
  w.u16(0x0600); // BIFF8
  w.u16(dt);
  w.u16(0x0dbb); // rupBuild
  w.u16(0x07cc); // rupYear
  w.u32(0); // flags
  w.u32(0x00000006); // verLowestBiff: BIFF8
}

const NON_LATIN1 = /[\u0100-\uffff]/; // any UTF-16 code unit above 0xFF

/** Whether a string must be stored as UTF-16 (MS-XLS 2.5.293 fHighByte) rather than 8-bit. */
export function needsWide(s: string): boolean {
  return NON_LATIN1.test(s);
}
