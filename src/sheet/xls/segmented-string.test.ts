import { describe, expect, it } from "vitest";
import { SegmentedReader } from "./segmented-string.js";
import { header, latin1, segmentsOf, utf16 } from "./test-support/segments.js";

describe("strings across CONTINUE records", () => {
  it("reads a string that fits in one segment", () => {
    const { buf, segments } = segmentsOf([...header(5, 0), ...latin1("héllo")]);
    expect(new SegmentedReader(buf, segments).readRichExtendedString()).toBe("héllo");
  });

  it("joins a compressed string cut by a CONTINUE, with the option byte at the cut", () => {
    const { buf, segments } = segmentsOf([...header(10, 0), ...latin1("abcd")], [0x00, ...latin1("efghij")]);
    expect(new SegmentedReader(buf, segments).readRichExtendedString()).toBe("abcdefghij");
  });

  it("follows a change from 8-bit to UTF-16 at the cut", () => {
    const { buf, segments } = segmentsOf([...header(6, 0), ...latin1("abc")], [0x01, ...utf16("Жжж")]);
    expect(new SegmentedReader(buf, segments).readRichExtendedString()).toBe("abcЖжж");
  });

  it("follows a change from UTF-16 to 8-bit at the cut", () => {
    const { buf, segments } = segmentsOf([...header(4, 1), ...utf16("日本")], [0x00, ...latin1("ok")]);
    expect(new SegmentedReader(buf, segments).readRichExtendedString()).toBe("日本ok");
  });

  it("joins a surrogate pair split between its two halves", () => {
    const sushi = utf16("🍣"); // two UTF-16 code units
    const { buf, segments } = segmentsOf(
      [...header(4, 1), ...utf16("a"), ...sushi.slice(0, 2)],
      [0x01, ...sushi.slice(2), ...utf16("b")],
    );
    expect(new SegmentedReader(buf, segments).readRichExtendedString()).toBe("a🍣b");
  });

  it("starts the characters in the next segment when the header ends one", () => {
    const { buf, segments } = segmentsOf(header(3, 0), [0x00, ...latin1("xyz")]);
    expect(new SegmentedReader(buf, segments).readRichExtendedString()).toBe("xyz");
  });

  it("skips rich-text runs and phonetic data, even across a cut, without an option byte", () => {
    const runs = [1, 0, 0, 0, 2, 0, 0, 0];
    const phonetic = [9, 9, 9];
    const { buf, segments } = segmentsOf(
      [...header(2, 0x0c), 2, 0, 3, 0, 0, 0, ...latin1("ab"), ...runs.slice(0, 5)],
      [...runs.slice(5), ...phonetic, ...header(1, 0), ...latin1("c")],
    );
    const reader = new SegmentedReader(buf, segments);
    expect(reader.readRichExtendedString()).toBe("ab");
    expect(reader.readRichExtendedString()).toBe("c");
    expect(reader.readRichExtendedString()).toBeNull();
  });

  it("reports a string whose characters run past the data", () => {
    const { buf, segments } = segmentsOf([...header(10, 0), ...latin1("abc")]);
    expect(new SegmentedReader(buf, segments).readRichExtendedString()).toBeUndefined();
  });
});
