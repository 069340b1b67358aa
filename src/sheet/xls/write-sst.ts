import { RT_CONTINUE, RT_EXTSST, RT_SST } from "./biff-records.js";
import { MAX_RECORD_DATA, needsWide, writeRecord, type ByteWriter } from "./record-writer.js";

/** The workbook's shared strings: each distinct text once, numbered in first-use order. */
export class SharedStrings {
  readonly strings: string[] = [];
  private readonly indexes = new Map<string, number>();
  total = 0;
  private chars = 0;

  indexOf(s: string): number {
    this.total++;
    let index = this.indexes.get(s);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(s);
      this.indexes.set(s, index);
      this.chars += s.length;
    }
    return index;
  }

  byteEstimate(): number {
    return this.strings.length * 3 + this.chars * 2 + 8 + (this.chars >> 11) * 5;
  }
}

/**
 * MS-XLS 2.4.265 SST, then 2.4.107 ExtSST. Records hold at most 8224 bytes; a string whose characters do
 * not fit continues in a CONTINUE record that starts with a repeated option-flags byte (2.5.293). The
 * 3-byte string header is never split, and a split never falls between the halves of a surrogate pair.
 */
export function writeSst(w: ByteWriter, sst: SharedStrings): void {
  const { strings } = sst;
  // MS-XLS 2.4.107: dsst = max(cstUnique / 128 + 1, 8), one ISSTInf per started bucket.
  const bucketSize = Math.max(Math.floor(strings.length / 128) + 1, 8);
  const bucketStarts: { streamPos: number; recordOffset: number }[] = [];

  w.ensure(12 + 8 + sst.byteEstimate());
  let recordStart = w.pos;
  w.u16(RT_SST);
  w.u16(0); // length, patched at the end of each record
  w.u32(sst.total); // cstTotal
  w.u32(strings.length); // cstUnique
  let used = 8;

  const closeRecord = (type: number): void => {
    w.buf.writeUInt16LE(used, recordStart + 2);
    w.ensure(4 + MAX_RECORD_DATA);
    recordStart = w.pos;
    w.u16(type);
    w.u16(0);
    used = 0;
  };

  strings.forEach((s, index) => {
    const wide = needsWide(s);
    const unit = wide ? 2 : 1;
    // The header and at least one whole character (two units if a surrogate pair begins) stay together.
    const firstUnits = Math.min(s.length, 2);
    if (MAX_RECORD_DATA - used < 3 + firstUnits * unit) closeRecord(RT_CONTINUE);
    if (index % bucketSize === 0) {
      bucketStarts.push({ streamPos: w.pos, recordOffset: w.pos - recordStart });
    }
    w.ensure(3 + s.length * unit + 5 * Math.ceil((s.length * unit) / MAX_RECORD_DATA));
    w.u16(s.length);
    w.u8(wide ? 1 : 0); // fHighByte; no rich text, no phonetic data
    used += 3;
    let done = 0;
    for (;;) {
      let count = Math.min(Math.floor((MAX_RECORD_DATA - used) / unit), s.length - done);
      if (done + count < s.length && count > 1 && isHighSurrogate(s.charCodeAt(done + count - 1))) count--;
      w.text(s.slice(done, done + count), wide);
      used += count * unit;
      done += count;
      if (done === s.length) break;
      closeRecord(RT_CONTINUE);
      w.u8(wide ? 1 : 0); // the continued part's own fHighByte
      used = 1;
    }
  });
  w.buf.writeUInt16LE(used, recordStart + 2);

  writeRecord(w, RT_EXTSST, 2 + 8 * bucketStarts.length);
  w.u16(bucketSize);
  for (const bucket of bucketStarts) {
    w.u32(bucket.streamPos); // ib: stream position of the bucket's first string
    w.u16(bucket.recordOffset); // cbOffset: from the start of its SST or CONTINUE record, header included
    w.u16(0);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
