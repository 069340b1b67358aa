/**
 * The shared string table as Gnumeric writes it (plugins/excel/ms-excel-write.c, excel_write_SST). Gnumeric
 * writes each string's count in code points, then, when the UTF-16 text fitted in the record, rewrites it
 * in code units as MS-XLS 2.5.293 wants. When the text runs on into a CONTINUE record it cannot, so there
 * the count stays in code points: a string holding characters outside the BMP (emoji, CJK Extension B)
 * that crosses a record boundary declares fewer characters than it stores, and a reader that counts code
 * units, as Excel's rule says, loses its place in the table.
 *
 * The layout is otherwise strict, which keeps guesses short-lived: flags 0 (8-bit) or 1 (UTF-16), never
 * rich text or phonetic data; a header never split; each continuation opens with the string's own option
 * byte; a surrogate pair never split. Where a UTF-16 string's count, read as code units, ends inside the
 * record but, read as code points, runs past it, the bytes alone cannot tell which was meant: both are
 * tried, depth first, and only a reading of the whole table that yields exactly the declared number of
 * strings and ends exactly at the end of the data is accepted, within work proportional to its size.
 */

type Segments = readonly (readonly [number, number])[];

/** A string read, and where the next one starts; `ambiguous` when reading it as crossing is also possible. */
interface StringRead {
  readonly text: string;
  readonly segment: number;
  readonly pos: number;
  readonly ambiguous: boolean;
}

/** A string to read again, counting code points across the record boundary, if the reading after it fails. */
interface Choice {
  readonly segment: number;
  readonly pos: number;
  readonly count: number;
}

const isHigh = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Reads the table (its data, after the SST record's 8-byte header) in Gnumeric's layout; undefined when it
 * is not one, or when telling it apart costs more than a few passes over the data.
 */
export function readGnumericSst(buf: Buffer, segments: Segments, declared: number): string[] | undefined {
  const first = segments[0];
  if (!first || first[1] - first[0] < 8 || declared < 0) return undefined;
  const total = segments.reduce((sum, [a, b]) => sum + b - a, 0);
  const reader = new GnumericStrings(buf, segments, 4 * total + 4096);
  const strings: string[] = [];
  const choices: Choice[] = [];
  let segment = 0;
  let pos = first[0] + 8;
  let crossing = false;
  for (;;) {
    // A header is never split: when a record is used up, the next string opens the next one.
    while (pos >= reader.end(segment) && segment + 1 < segments.length) pos = reader.start(++segment);
    const atEnd = pos >= reader.end(segment);
    let read: StringRead | undefined;
    if (strings.length === declared && atEnd) return strings;
    if (strings.length < declared && !atEnd) read = reader.readString(segment, pos, crossing);
    crossing = false;
    if (read) {
      if (read.ambiguous) choices.push({ segment, pos, count: strings.length });
      strings.push(read.text);
      ({ segment, pos } = read);
      continue;
    }
    const retry = choices.pop();
    if (!retry || reader.overBudget()) return undefined;
    strings.length = retry.count;
    ({ segment, pos } = retry);
    crossing = true;
  }
}

class GnumericStrings {
  private work = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly segments: Segments,
    private readonly budget: number,
  ) {}

  start(segment: number): number {
    return this.segments[segment]?.[0] ?? 0;
  }

  end(segment: number): number {
    return this.segments[segment]?.[1] ?? 0;
  }

  overBudget(): boolean {
    return this.work > this.budget;
  }

  /** One string at `pos`; `crossing` reads a UTF-16 one as running past its record, counting code points. */
  readString(segment: number, pos: number, crossing: boolean): StringRead | undefined {
    const { buf } = this;
    const end = this.end(segment);
    if (pos + 3 > end) return undefined;
    const cch = buf.readUInt16LE(pos);
    const flags = buf[pos + 2] ?? 0xff;
    const p = pos + 3;
    if (flags === 0) return this.readBytes(segment, p, cch);
    if (flags !== 1) return undefined;
    const room = (end - p) >> 1;
    if (cch <= room && !crossing) {
      // As code units the string ends in this record. Counting code points it may run past it instead,
      // but only if it takes more than half of what is left, since a code point is one or two units.
      const ambiguous = 2 * cch > room && this.mayCross(segment, p, cch);
      this.work += cch;
      return { text: buf.toString("utf16le", p, p + 2 * cch), segment, pos: p + 2 * cch, ambiguous };
    }
    return this.readCodePoints(segment, p, cch);
  }

  /** 8-bit text: `count` bytes, each continuation opening with option byte 0. */
  private readBytes(segment: number, from: number, count: number): StringRead | undefined {
    let text = "";
    let left = count;
    let seg = segment;
    let p = from;
    for (;;) {
      const take = Math.min(left, this.end(seg) - p);
      text += this.buf.toString("latin1", p, p + take);
      this.work += take;
      p += take;
      left -= take;
      if (left === 0) return { text, segment: seg, pos: p, ambiguous: false };
      p = this.continuation(++seg, 0);
      if (p < 0) return undefined;
    }
  }

  /** UTF-16 text of `count` code points that runs past its record, each continuation opening with 1. */
  private readCodePoints(segment: number, from: number, count: number): StringRead | undefined {
    const { buf } = this;
    let text = "";
    let left = count;
    let seg = segment;
    let p = from;
    for (;;) {
      const end = this.end(seg);
      const start = p;
      while (left > 0 && p + 2 <= end) {
        const unit = buf.readUInt16LE(p);
        if (isHigh(unit)) {
          if (p + 4 > end || !isLow(buf.readUInt16LE(p + 2))) return undefined;
          p += 4;
        } else if (isLow(unit)) return undefined;
        else p += 2;
        left--;
      }
      text += buf.toString("utf16le", start, p);
      this.work += (p - start) >> 1;
      // Gnumeric moves on only when the next character does not fit, so a string read this way that ends
      // inside its first record is not what Gnumeric wrote (it would have counted code units).
      if (left === 0) return seg === segment ? undefined : { text, segment: seg, pos: p, ambiguous: false };
      if (p !== end) return undefined;
      p = this.continuation(++seg, 1);
      if (p < 0) return undefined;
    }
  }

  /** Whether the UTF-16 text from `p` to the record's end holds fewer than `count` code points and goes on. */
  private mayCross(segment: number, p: number, count: number): boolean {
    const { buf } = this;
    const end = this.end(segment);
    const next = this.segments[segment + 1];
    if ((end - p) & 1 || !next || next[1] <= next[0] || buf[next[0]] !== 1) return false;
    this.work += (end - p) >> 1;
    let points = 0;
    for (let q = p; q < end; q += 2) {
      if (isLow(buf.readUInt16LE(q))) continue; // counted with its high half; a stray one fails when read
      if (++points >= count) return false;
    }
    return true;
  }

  /** The first character's position in `segment`, which must open with `option`; -1 if it does not. */
  private continuation(segment: number, option: number): number {
    const range = this.segments[segment];
    if (!range || range[1] <= range[0] || this.buf[range[0]] !== option) return -1;
    return range[0] + 1;
  }
}
