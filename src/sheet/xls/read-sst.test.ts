import { describe, expect, it } from "vitest";
import { readGnumericSst } from "./gnumeric-sst.js";
import { parseSst } from "./read-sst.js";
import { header, latin1, segmentsOf, utf16 } from "./test-support/segments.js";

/** The SST record's own 8 bytes: cstTotal and cstUnique. */
const counts = (n: number): number[] => [n, 0, 0, 0, n, 0, 0, 0];
const sushi = "🍣"; // one code point, two UTF-16 code units

function read(...pieces: number[][]): string[] {
  const { buf, segments } = segmentsOf(...pieces);
  return parseSst(buf, segments, "t.xls");
}

describe("the shared string table: counts in code units, and Gnumeric's code points", () => {
  it("counts code units, as MS-XLS says, even where a surrogate pair is split between records", () => {
    const pair = utf16(sushi);
    expect(
      read(
        [...counts(2), ...header(4, 1), ...utf16("a"), ...pair.slice(0, 2)],
        [1, ...pair.slice(2), ...utf16("b"), ...header(2, 0), ...latin1("ok")],
      ),
    ).toEqual(["a🍣b", "ok"]);
  });

  it("keeps counting code units for a string with pairs that crosses a record, when the table agrees", () => {
    // 5 code units, 3 code points: read as code points it would swallow the next string's header.
    expect(
      read(
        [...counts(2), ...header(5, 1), ...utf16(sushi)],
        [1, ...utf16(`${sushi}x`), ...header(1, 0), ...latin1("k")],
      ),
    ).toEqual([`${sushi}${sushi}x`, "k"]);
  });

  it("reads Gnumeric's count of code points where a UTF-16 string crosses a record", () => {
    // "a🍣b🎉": 6 code units, but Gnumeric wrote 4, its code points, since the text crossed the record.
    expect(
      read(
        [...counts(2), ...header(4, 1), ...utf16(`a${sushi}`)],
        [1, ...utf16("b🎉"), ...header(2, 0), ...latin1("ok")],
      ),
    ).toEqual([`a${sushi}b🎉`, "ok"]);
  });

  it("reads code points where, as code units, the string would have ended inside the record", () => {
    // 4 code points; as code units the count ends after two of the three emoji in the first record.
    const triple = sushi.repeat(3);
    expect(
      read(
        [...counts(2), ...header(4, 1), ...utf16(triple)],
        [1, ...utf16("x"), ...header(2, 0), ...latin1("ok")],
      ),
    ).toEqual([`${triple}x`, "ok"]);
  });

  it("keeps code units for a string that ends inside its record, where code points would also fit", () => {
    // The first string (12 code units, 6 code points) could be read as crossing the record; only the
    // last one does, and Gnumeric counted that one in code points.
    const six = sushi.repeat(6);
    const first = [
      ...header(12, 1),
      ...utf16(six),
      ...header(2, 0),
      ...latin1("zz"),
      ...header(2, 1),
      ...utf16(sushi),
    ];
    expect(read([...counts(3), ...first], [1, ...utf16(sushi)])).toEqual([six, "zz", sushi.repeat(2)]);
  });

  it("keeps Gnumeric's code units for a string with pairs that ends inside its record", () => {
    // Gnumeric rewrites the count in code units when the text fits; the next string crosses with pairs.
    expect(
      read(
        [...counts(2), ...header(3, 1), ...utf16(`${sushi}x`), ...header(3, 1), ...utf16(sushi)],
        [1, ...utf16(`${sushi}y`)],
      ),
    ).toEqual([`${sushi}x`, `${sushi}${sushi}y`]);
  });

  it("refuses a table that neither reading accounts for", () => {
    expect(() => read([...counts(1), ...header(10, 0), ...latin1("abc")])).toThrow(
      expect.objectContaining({ code: "file_corrupt" }),
    );
  });

  it("keeps the spec's reading of an incomplete table that is not Gnumeric's either", () => {
    // cstUnique says 3, two strings are there: read them, as before (cells that refer further fail later).
    expect(read([...counts(3), ...header(1, 0), ...latin1("a"), ...header(1, 0), ...latin1("b")])).toEqual([
      "a",
      "b",
    ]);
  });

  it("accepts Gnumeric's reading only when it accounts for every string and every byte", () => {
    const { buf, segments } = segmentsOf(
      [...counts(2), ...header(4, 1), ...utf16(`a${sushi}`)],
      [1, ...utf16("b🎉"), ...header(2, 0), ...latin1("ok"), 0],
    );
    expect(readGnumericSst(buf, segments, 2)).toBeUndefined();
    expect(readGnumericSst(buf, segments, 3)).toBeUndefined();
  });

  it("stays bounded on tables built to make it guess", () => {
    // Random records of plausible pieces (headers, emoji, option bytes): every answer comes quickly.
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const started = performance.now();
    for (let t = 0; t < 300; t++) {
      const pieces: number[][] = [counts(random(40))];
      for (let s = 0; s < 40; s++) {
        const piece = [1];
        while (piece.length < 200) {
          const pick = random(4);
          if (pick === 0) piece.push(...header(random(12), random(2)));
          else if (pick === 1) piece.push(...utf16(sushi));
          else if (pick === 2) piece.push(...utf16("日"));
          else piece.push(1);
        }
        pieces.push(piece);
      }
      const { buf, segments } = segmentsOf(...pieces);
      try {
        parseSst(buf, segments, "t.xls");
      } catch (error) {
        expect(error).toMatchObject({ code: "file_corrupt" });
      }
    }
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
